import { PingOneDriverError } from '../errors';

/**
 * How large a statement the driver reads. The defaults cover anything TypeORM emits (a findBy of 10,000 objects is
 * about 0.6 MB of SQL; AND/OR chains of any length are kept balanced, so they never nest deep) and match SQLite's own
 * expression depth limit (SQLITE_MAX_EXPR_DEPTH, 1000). Past them a statement is refused with STATEMENT_TOO_COMPLEX
 * before any work, instead of costing seconds of CPU and ending in a stack overflow.
 */
export interface SqlLimits {
  /** characters of SQL text (default 4,000,000) */
  readonly maxStatementLength: number;
  /** how deep expressions nest: parentheses, operators, sub-queries (default 1000, as SQLite) */
  readonly maxExpressionDepth: number;
}

export const DEFAULT_SQL_LIMITS: SqlLimits = Object.freeze({ maxStatementLength: 4_000_000, maxExpressionDepth: 1000 });

export function tooComplex(what: string, limit: number, option: keyof SqlLimits): PingOneDriverError {
  return new PingOneDriverError(
    'STATEMENT_TOO_COMPLEX',
    `The statement is too complex: ${what}, over the limit of ${limit}. Nothing was run and no request was sent. ` +
      `Split it into smaller statements (e.g. In() lists of a few thousand values), or raise the DataSource option sqlLimits.${option} if this size is intended.`,
  );
}

/** The DataSource option `sqlLimits`, checked and merged with the defaults (frozen). */
export function resolveSqlLimits(option: unknown): SqlLimits {
  if (option === undefined) return DEFAULT_SQL_LIMITS;
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new PingOneDriverError(
      'UNSUPPORTED_OPTION',
      "PingOneDataSource option 'sqlLimits' must be an object, e.g. { maxExpressionDepth: 2000 }.",
    );
  }
  const out: Record<string, number> = { ...DEFAULT_SQL_LIMITS };
  for (const [key, value] of Object.entries(option)) {
    if (!(key in DEFAULT_SQL_LIMITS)) {
      throw new PingOneDriverError(
        'UNSUPPORTED_OPTION',
        `Unknown sqlLimits option '${key}'. Options: ${Object.keys(DEFAULT_SQL_LIMITS).join(', ')}.`,
      );
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new PingOneDriverError(
        'UNSUPPORTED_OPTION',
        `sqlLimits.${key} must be a positive whole number (the default is ${DEFAULT_SQL_LIMITS[key as keyof SqlLimits]}).`,
      );
    }
    out[key] = value;
  }
  return Object.freeze(out as unknown as SqlLimits);
}
