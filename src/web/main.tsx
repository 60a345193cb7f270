import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './app/App';
import './app/styles.css';

// The server's Content-Security-Policy allows no eval: zod would probe `new Function` to compile its parsers and
// report a violation each time; its interpreted parsers are quick enough for forms.
z.config({ jitless: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
