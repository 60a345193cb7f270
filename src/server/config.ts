import path from 'node:path';
import { z } from 'zod';

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
  };
}
