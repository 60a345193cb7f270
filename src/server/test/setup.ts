import { restartAccountNumbers } from './factories.ts';

// Runs before each test file. Files share their worker's modules (`isolate: false`), so state a file may
// observe starts over here, as it would in a process of its own.
restartAccountNumbers();
