import { inspect } from 'node:util';

export type PingOneDriverErrorCode =
  | 'UNSUPPORTED_STATEMENT'
  | 'UNSUPPORTED_OPTION'
  | 'MAPPING_ERROR'
  | 'REMOTE_ERROR'
  | 'SQL_ERROR'
  | 'READ_ONLY_ATTRIBUTE'
  /** a write was sent, its answer lost, and reading back could not tell whether PingOne applied it */
  | 'OUTCOME_UNKNOWN'
  /** a write applied in part (e.g. a user created whose follow-up failed and could not be undone); the message names the ids */
  | 'PARTIALLY_APPLIED'
  /** a required attribute or a nullable: false column has no value (checked before any request) */
  | 'VALIDATION_ERROR'
  /** UPDATE / DELETE without WHERE, refused unless allowUnfilteredWrites */
  | 'UNFILTERED_WRITE'
  /** a statement over the size or nesting limits (sqlLimits), refused before anything runs */
  | 'STATEMENT_TOO_COMPLEX'
  /** a group or population kept being overwritten by another writer's PUT while this UPDATE re-applied its change */
  | 'CONCURRENT_UPDATE'
  /** a table PingOne lists only per parent (a user's sessions) read without its parents named (refused before any request) */
  | 'KEY_REQUIRED';

/**
 * Base class of the driver's errors. Inside TypeORM calls it arrives wrapped in TypeORM's QueryFailedError, whose
 * `driverError` is this error. `code` is the stable discriminant; the message names the construct and what to do.
 */
export class PingOneDriverError extends Error {
  readonly code: PingOneDriverErrorCode;

  constructor(code: PingOneDriverErrorCode, message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = 'PingOneDriverError';
    this.code = code;
    if (options && 'cause' in options) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true });
  }

  [inspect.custom](): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/**
 * A write was sent and its answer lost (`cause`: the client's PingOneOutcomeUnknownError), and reading back could not
 * settle whether PingOne applied it. `reconciliation` says what was tried and how it failed (`error`), or which
 * resource it found that is not provably this write's (`found`: its id and why it is not taken as this write's).
 */
export class PingOneWriteOutcomeUnknownError extends PingOneDriverError {
  readonly reconciliation: {
    readonly tried: string;
    readonly error: unknown;
    readonly found?: { readonly resource: string; readonly id: string; readonly why: string };
  };

  constructor(
    message: string,
    init: { cause: unknown; tried: string; error?: unknown; found?: { resource: string; id: string; why: string } },
  ) {
    super('OUTCOME_UNKNOWN', message, { cause: init.cause });
    this.name = 'PingOneWriteOutcomeUnknownError';
    this.reconciliation = { tried: init.tried, error: init.error, ...(init.found ? { found: init.found } : {}) };
  }
}

/**
 * PingOne refused a filter the driver pushed (400 about the filter). The load step that sent it re-plans without the
 * refused cells (`cells`), so this error reaches the user only when a step can't do without them.
 */
export class PingOneFilterRefusedError extends PingOneDriverError {
  readonly resource: string;
  /** the refused cells, e.g. `name.given co` */
  readonly cells: readonly string[];

  constructor(resource: string, cells: readonly string[], why: string, options?: { cause?: unknown }) {
    super(
      'REMOTE_ERROR',
      `PingOne refused the filter on ${resource} (${cells.map((c) => `\`${c}\``).join(', ')}): ${why}. ` +
        'The driver evaluates such conditions locally from now on; this statement could not do without it. Run it again, or report the filter it sent.',
      options,
    );
    this.name = 'PingOneFilterRefusedError';
    this.resource = resource;
    this.cells = cells;
  }
}
