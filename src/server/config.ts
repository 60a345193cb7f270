import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Names proxy-addr knows for whole ranges: 127.0.0.0/8 and ::1; link-local; private (10/8, 172.16/12, 192.168/16, fc00::/7). */
const proxyRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR range (`10.0.0.0/8`, `fd00::/8`) or one of proxy-addr's range names. */
function isProxyAddress(entry: string): boolean {
  if (proxyRangeNames.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The environment Rollcall reads, validated once at start (fails fast with a clear message). */
const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a PostgreSQL URL such as postgres://user@host:5432/rollcall')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ROLLCALL_DATA_DIR: z.string().min(1).default('./data'),
  ROLLCALL_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  ROLLCALL_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  ROLLCALL_LOCKOUT_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
  ROLLCALL_SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  ROLLCALL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROLLCALL_QA_ESCALATE_HOURS: z.coerce.number().positive().max(24 * 90).default(48),
  ROLLCALL_SECRET_KEY: z
    .string()
    .optional()
    .refine((text) => text === undefined || text === '' || Buffer.from(text, 'base64').length === 32, {
      message: 'ROLLCALL_SECRET_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)',
    })
    .transform((text) => (text ? Buffer.from(text, 'base64') : undefined)),
  ROLLCALL_TRUST_PROXY: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine((entries) => entries.every(isProxyAddress), {
      message: 'ROLLCALL_TRUST_PROXY must list proxy addresses or CIDR ranges, comma-separated (e.g. 127.0.0.1,10.0.0.0/8)',
    }),
  ROLLCALL_DEMO: z
    .string()
    .default('true')
    .transform((text) => text.trim().toLowerCase() || 'true')
    .pipe(z.enum(['true', '1', 'yes', 'false', '0', 'no'], { message: 'ROLLCALL_DEMO 应为 true 或 false / ROLLCALL_DEMO must be true or false (also 1/0, yes/no)' }))
    .transform((value) => !['false', '0', 'no'].includes(value)),
});

export type Config = {
  port: number;
  host: string;
  /** A PostgreSQL URL, or undefined for the embedded database. */
  databaseUrl: string | undefined;
  dataDir: string;
  sessionHours: number;
  loginMaxFailures: number;
  lockoutMinutes: number;
  secureCookies: boolean;
  logLevel: z.infer<typeof environmentSchema>['ROLLCALL_LOG_LEVEL'];
  /** 答疑: hours a question may wait unanswered in a queue before it escalates by itself. */
  qaEscalateHours: number;
  /**
   * The reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges); empty, the default,
   * believes none, so the client address is the connection's and nobody can choose what the log records.
   */
  trustedProxies: string[];
  /**
   * Whether `start` loads the demo province into a new embedded database (the default). A real deployment
   * turns it off (`ROLLCALL_DEMO=false` or `start --no-demo`) and creates its first admin with `rollcall init`.
   */
  demo: boolean;
  /** ROLLCALL_SECRET_KEY: the AES-256 key that keeps initial passwords until downloaded (see `secretKeyOf`). */
  secretKey: Buffer | undefined;
};

export class ConfigError extends Error {}

/** Reads and validates the configuration from an environment (process.env by default). */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`配置错误 / Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.ROLLCALL_DATA_DIR),
    sessionHours: env.ROLLCALL_SESSION_HOURS,
    loginMaxFailures: env.ROLLCALL_LOGIN_MAX_FAILURES,
    lockoutMinutes: env.ROLLCALL_LOCKOUT_MINUTES,
    secureCookies: env.ROLLCALL_SECURE_COOKIES,
    logLevel: env.ROLLCALL_LOG_LEVEL,
    qaEscalateHours: env.ROLLCALL_QA_ESCALATE_HOURS,
    trustedProxies: env.ROLLCALL_TRUST_PROXY,
    demo: env.ROLLCALL_DEMO,
    secretKey: env.ROLLCALL_SECRET_KEY,
  };
}

const secretKeyFile = 'secret.key';

/**
 * The server key for data kept encrypted (initial passwords): ROLLCALL_SECRET_KEY, or on the embedded
 * database a random key written to `<data dir>/secret.key` (mode 600) on first use and read back after.
 * On PostgreSQL the key must come from the environment, so every app server shares it: undefined without it.
 */
export function secretKeyOf(config: Config): Buffer | undefined {
  if (config.secretKey) return config.secretKey;
  if (config.databaseUrl) return undefined;
  const file = path.join(config.dataDir, secretKeyFile);
  try {
    return keyFromFile(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process wrote it first: use theirs.
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return keyFromFile(readFileSync(file, 'utf8'), file);
    throw error;
  }
}

function keyFromFile(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new ConfigError(`${file} 不是 32 字节的 base64 密钥 / is not a 32-byte base64 key`);
  return key;
}
