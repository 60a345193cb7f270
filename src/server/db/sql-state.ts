/** A PostgreSQL error as both drivers raise it (drizzle wraps it as the `cause` of a failed query). */
export type DatabaseErrorInfo = { code: string; constraint?: string };

/** True for an error raised by PostgreSQL itself (node-postgres or PGlite): a severity and a five-character SQLSTATE. */
export function isDatabaseError(value: unknown): value is Record<string, unknown> & { code: string; severity: string } {
  if (typeof value !== 'object' || value === null) return false;
  if (!('severity' in value) || !('code' in value)) return false;
  return typeof value.severity === 'string' && typeof value.code === 'string' && /^[0-9A-Z]{5}$/.test(value.code);
}

/**
 * The SQLSTATE (and constraint) of a database error, looking through the wrappers around it, or undefined when
 * the error did not come from the database. A database error is known by its severity and five-character code.
 */
export function databaseErrorOf(error: unknown): DatabaseErrorInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if (isDatabaseError(current)) {
      return { code: current.code, ...(typeof current.constraint === 'string' ? { constraint: current.constraint } : {}) };
    }
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

/** A unique index refused the row (23505), optionally a named one. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const found = databaseErrorOf(error);
  return found?.code === '23505' && (constraint === undefined || found.constraint === constraint);
}
