/**
 * A Rollcall server process for tests that kill one (`node --import tsx src/server/test/serve.ts`): the
 * configured database (the embedded folder or DATABASE_URL, opened and migrated as `rollcall start` does)
 * and the application, listening on PORT. It skips what `start` adds around them — the web build, the demo,
 * the hourly housekeeping — and prints `listening <url>` once it answers.
 */
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../db/open.ts';

const config = loadConfig();
const database = await openConfiguredDatabase(config);
const app = await buildApp({ config, database }, { logger: config.logLevel !== 'silent' });
const address = await app.listen({ port: config.port, host: config.host });
console.log(`listening ${address}`);
const stop = async () => {
  await app.close();
  await database.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
