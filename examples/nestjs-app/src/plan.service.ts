import { BadRequestException, ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PingOneDataSource, PingOneDriverError, type PlanReport, type PreparedStatement, type ResultColumn } from 'typeorm-pingone';
import { unwrapPingOneError } from 'typeorm-pingone/nestjs';

/** Rows sent to the page at most: the plan shows how many there were; a table of thousands helps nobody read it. */
export const MAX_ROWS_SHOWN = 500;

/** Statement kinds the page runs: reads only. Everything else is refused before anything is sent. */
const READS: ReadonlySet<PreparedStatement['kind']> = new Set(['select', 'explain']);

/** Driver errors about the statement itself (the page's user wrote it): a 400 with the driver's message. */
const STATEMENT_ERRORS: ReadonlySet<string> = new Set(['SQL_ERROR', 'UNSUPPORTED_STATEMENT', 'STATEMENT_TOO_COMPLEX']);

export interface PlanAnswer {
  readonly kind: 'select' | 'explain';
  /** result columns in order; `attribute` and `kind` for a column that shows a PingOne attribute */
  readonly columns: readonly { readonly name: string; readonly attribute: string | null; readonly kind: string | null }[];
  /** values by column, as JSON: booleans true/false, timestamps ISO 8601 in UTC, big integers as text */
  readonly rows: readonly (readonly unknown[])[];
  readonly rowCount: number;
  /** wall-clock time of the statement in this process, in milliseconds */
  readonly elapsedMs: number;
  /** what the driver did: steps with the conditions PingOne evaluated and those run locally, requests, round trips */
  readonly plan: PlanReport & { readonly readCache: boolean };
}

function jsonValue(value: unknown, kind: string | undefined): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return null;
  if (kind === 'boolean' && (value === 0 || value === 1)) return value === 1;
  // the driver's rows carry a datetime as UTC text, YYYY-MM-DD HH:MM:SS.SSS
  if (kind === 'datetime' && typeof value === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(value))
    return `${value.replace(' ', 'T')}Z`;
  return value;
}

/** Runs what the plan page sends, on the app's own PingOneDataSource: reads only, with the driver's plan. */
@Injectable()
export class PlanService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async query(sql: string): Promise<PlanAnswer> {
    const ds = this.dataSource;
    if (!(ds instanceof PingOneDataSource)) throw new Error("The plan page needs the app's PingOneDataSource.");
    // parsed, bound and checked first: a write is refused before any request, whatever its WHERE
    const statement = this.#statementError(() => ds.pingoneDriver.prepare(sql, [], { uniqueNames: true }));
    if (!READS.has(statement.kind)) {
      const what =
        statement.kind === 'control' || statement.kind === 'other'
          ? 'This statement'
          : `${statement.kind.toUpperCase()} changes the directory and`;
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        code: 'READ_ONLY_PAGE',
        message:
          `${what} is not run here: this page runs only SELECT and EXPLAIN, and nothing was sent to PingOne. ` +
          "Change data through the app's API (POST /users, PATCH /groups/:id) or with pingone-sql.",
      });
    }
    const started = performance.now();
    const result = await this.#statementError(() => statement.run());
    const elapsedMs = Math.round((performance.now() - started) * 10) / 10;
    const columns = columnsOf(statement.columns, result.records);
    const rows = result.records.slice(0, MAX_ROWS_SHOWN).map((r) => columns.map((c) => jsonValue(r[c.name], c.kind ?? undefined)));
    const plan = {
      ...(result.plan ?? { steps: [], local: '', requests: [], roundTrips: 0, cacheHits: 0 }),
      readCache: ds.pingoneDriver.responseCache !== undefined,
    };
    return { kind: statement.kind as 'select' | 'explain', columns, rows, rowCount: result.records.length, elapsedMs, plan };
  }

  /** The driver's errors about the statement become 400s with its message; PingOne's answers go to PingOneExceptionFilter. */
  #statementError<T>(work: () => T): T {
    const rethrow = (error: unknown): never => {
      const found = unwrapPingOneError(error);
      if (found instanceof PingOneDriverError && STATEMENT_ERRORS.has(found.code)) {
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', code: found.code, message: found.message });
      }
      throw error;
    };
    try {
      const value = work();
      return (value instanceof Promise ? value.catch(rethrow) : value) as T;
    } catch (error) {
      return rethrow(error);
    }
  }
}

/** The statement's columns (an EXPLAIN's are its plan rows' keys), with the PingOne attribute each shows. */
function columnsOf(columns: readonly ResultColumn[], records: readonly Record<string, unknown>[]): PlanAnswer['columns'] {
  if (columns.length > 0)
    return columns.map((c) => ({ name: c.name, attribute: c.source?.attribute ?? null, kind: c.source?.kind ?? null }));
  return [...new Set(records.flatMap((r) => Object.keys(r)))].map((name) => ({ name, attribute: null, kind: null }));
}
