import type { FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import type { Config } from '../config.ts';

/** HSTS lifetime when the site runs behind HTTPS: 180 days, this host only (a county's other sites may not have HTTPS). */
const hstsSeconds = 180 * 24 * 3600;

/**
 * The Content-Security-Policy: scripts only from this server (the built web app, the API docs), no plugins, and
 * the app may not be framed by any page. Styles allow inline: antd writes its CSS at run time; images allow
 * `data:` and `blob:` (the slips' QR codes, the docs' icons). Insecure requests are upgraded only behind HTTPS:
 * on a plain-HTTP address the upgrade would break every request.
 */
export function contentSecurityPolicy(config: Pick<Config, 'secureCookies'>): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(config.secureCookies ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * Security headers on every answer (helmet: CSP, X-Frame-Options DENY, Referrer-Policy no-referrer, nosniff, HSTS
 * only behind HTTPS) and `Cache-Control: no-store` on every API answer, so no browser or proxy keeps personal data
 * or an export with full ID numbers.
 */
export async function installSecurityHeaders(app: FastifyInstance, config: Config) {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: config.secureCookies ? { maxAge: hstsSeconds, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?')) {
      const current = reply.getHeader('cache-control');
      if (typeof current !== 'string' || !current.includes('no-store')) reply.header('cache-control', 'no-store');
    }
  });
}
