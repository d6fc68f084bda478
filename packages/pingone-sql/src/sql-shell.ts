import 'reflect-metadata';
import { Group, PingOneDataSource, Population, User, type TableMapping } from 'typeorm-pingone';
import { createPingOneClient, pingOneOptionsFromUrl, type PingOneClientOptions } from '@typeorm-pingone/client';
import { columnsFromSchema, customAttributesEntity, type CustomAttributeColumn } from './custom-attributes';
import { aliasDuplicateColumns, destructiveStatement } from './sql-text';
import { formatExpanded, formatTable } from './table-format';
import type { Catalog } from './completion';
import { runRepl, type ReplOptions } from './repl';

export interface ShellOutput {
  write(text: string): void;
}

export interface SqlShellOptions {
  /** print rows as JSON */
  readonly json?: boolean;
  /** columns added to `users` for custom attributes of the user schema (the seam for schema discovery) */
  readonly customAttributes?: readonly CustomAttributeColumn[];
  /** run UPDATE/DELETE without asking (scripts) */
  readonly yes?: boolean;
}

/** Asks a yes/no question; undefined where nobody can answer (piped input, -c without a terminal). */
export type Confirm = (question: string) => Promise<boolean>;

export type RunOutcome = 'ok' | 'error' | 'quit';

const VERB_DONE: Readonly<Record<string, string>> = { INSERT: 'inserted', UPDATE: 'updated', DELETE: 'deleted' };

const rowsText = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

function errorMessage(error: unknown): string {
  // TypeORM's QueryFailedError carries the driver's error, which has the message with the fix.
  const cause = error instanceof Error && 'driverError' in error && error.driverError instanceof Error ? error.driverError : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * The environment's custom user attributes, read from its user schema (`GET /schemas`, `/schemas/{id}/attributes`).
 * A worker app without a role that can read schemas gets a note and no custom columns (--custom-attributes names them).
 */
async function discoverCustomAttributes(pingone: PingOneClientOptions | string, out: ShellOutput): Promise<CustomAttributeColumn[]> {
  const client = createPingOneClient(typeof pingone === 'string' ? pingOneOptionsFromUrl(pingone) : pingone);
  try {
    const schema = await client.schemas.userSchema();
    return schema ? columnsFromSchema(schema.attributes) : [];
  } catch (error) {
    out.write(`note: the user schema could not be read (${errorMessage(error)}); custom attributes are not columns. Name them with --custom-attributes.\n`);
    return [];
  }
}

/** One SQL session on a PingOneDataSource: statements, EXPLAIN, and meta commands (`\d`, `\x`, `\timing`). */
export class SqlShell {
  #expanded = false;
  #timing = true;
  #running = false;
  #cancelled = false;

  constructor(private readonly dataSource: PingOneDataSource, private readonly out: ShellOutput, private readonly options: SqlShellOptions = {}) {}

  static async open(pingone: PingOneClientOptions | string, out: ShellOutput, options: SqlShellOptions = {}): Promise<SqlShell> {
    const custom = options.customAttributes ?? await discoverCustomAttributes(pingone, out);
    const extra = customAttributesEntity(custom);
    const ds = new PingOneDataSource({
      entities: [User, Group, Population, ...(extra ? [extra] : [])],
      pingone,
      // named attributes skip the driver's own schema read; discovered ones let it read (and type-check) them
      ...(options.customAttributes ? { customUserAttributes: custom.map((c) => c.name) } : {}),
      // the shell asks before UPDATE/DELETE and says how many rows they touch, so it may run unfiltered ones
      allowUnfilteredWrites: true,
    });
    await ds.initialize();
    return new SqlShell(ds, out, options);
  }

  /** Tables and their columns, for completion. */
  get catalog(): Catalog {
    return new Map([...this.dataSource.pingoneDriver.mappings.values()].map((m) => [m.table, m.kind === 'resource' ? m.columns.map((c) => c.column) : [m.userColumn, m.groupColumn]]));
  }

  get running(): boolean {
    return this.#running;
  }

  /** Ctrl-C during a statement: aborts its PingOne requests in flight (the statement then fails as cancelled). */
  cancel(): void {
    if (!this.#running) return;
    this.#cancelled = true;
    this.dataSource.pingone.cancelInFlight();
  }

  /** Runs one input (a statement or a meta command). Errors are printed, never thrown. */
  async run(input: string, confirm?: Confirm): Promise<RunOutcome> {
    const text = input.trim().replace(/;\s*$/, '');
    if (text === '') return 'ok';
    if (text === '\\q' || text === 'exit' || text === 'quit') return 'quit';
    if (text.startsWith('\\')) return this.#meta(text);
    if (text === 'help') return this.#meta('\\?');
    const destructive = destructiveStatement(text);
    if (destructive && !this.options.yes) {
      const allowed = await this.#confirmDestructive(destructive, confirm);
      if (allowed !== true) return allowed;
    }
    return this.#execute(text);
  }

  async #confirmDestructive(statement: NonNullable<ReturnType<typeof destructiveStatement>>, confirm: Confirm | undefined): Promise<true | RunOutcome> {
    const counted = await this.#query(statement.countSql);
    if (counted.error !== undefined) {
      this.out.write(`ERROR: ${statement.verb} not run: counting the rows it would touch failed: ${counted.error}\n`);
      return 'error';
    }
    const n = Number(counted.records[0]?.n ?? 0);
    if (n === 0) return true;
    const what = `${statement.verb} will ${statement.verb === 'DELETE' ? 'delete' : 'change'} ${rowsText(n)} of ${statement.table}`;
    if (!confirm) {
      this.out.write(`ERROR: ${what}, and nobody can confirm it here (input is not a terminal). Nothing was changed. Re-run with --yes to allow UPDATE and DELETE without asking.\n`);
      return 'error';
    }
    if (await confirm(`${what}. Continue? [y/N] `)) return true;
    this.out.write('Not run: nothing was changed.\n');
    return 'ok';
  }

  async #query(sql: string): Promise<{ records: Record<string, unknown>[]; affected?: number; error?: string }> {
    const runner = this.dataSource.createQueryRunner();
    this.#running = true;
    this.#cancelled = false;
    try {
      // A structured result carries the affected-row count of writes.
      const result = (await runner.query(sql, [], true)) as { records?: Record<string, unknown>[]; affected?: number };
      return { records: result.records ?? [], ...(result.affected !== undefined ? { affected: result.affected } : {}) };
    } catch (error) {
      return { records: [], error: this.#cancelled ? 'CANCELLED' : errorMessage(error) };
    } finally {
      this.#running = false;
      await runner.release();
    }
  }

  async #execute(text: string): Promise<RunOutcome> {
    const started = process.hrtime.bigint();
    const result = await this.#query(aliasDuplicateColumns(text));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const timing = this.#timing ? `, ${ms.toFixed(0)} ms` : '';
    const verb = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
    if (result.error === 'CANCELLED') {
      const applied = VERB_DONE[verb] ? ' Changes PingOne had already applied stay applied.' : '';
      this.out.write(`Cancelled: the statement was stopped and its PingOne requests in flight aborted.${applied}\n`);
      return 'error';
    }
    if (result.error !== undefined) {
      this.out.write(`ERROR: ${result.error}\n`);
      return 'error';
    }
    if (VERB_DONE[verb]) {
      const affected = result.affected ?? result.records.length;
      this.out.write(this.options.json ? `${JSON.stringify({ command: verb, affected })}\n` : `${rowsText(affected)} ${VERB_DONE[verb]}${this.#timing ? ` (${ms.toFixed(0)} ms)` : ''}\n`);
      return 'ok';
    }
    const rows = result.records;
    if (this.options.json) this.out.write(`${JSON.stringify(rows)}\n`);
    else this.out.write(`${this.#expanded ? formatExpanded(rows) : formatTable(rows)}\n(${rowsText(rows.length)}${timing})\n`);
    return 'ok';
  }

  #meta(text: string): RunOutcome {
    const [command = '', ...args] = text.split(/\s+/);
    const arg = args.join(' ');
    const toggle = (current: boolean) => (arg === 'on' ? true : arg === 'off' ? false : !current);
    switch (command) {
      case '\\d': this.out.write(`${this.describe(arg)}\n`); return 'ok';
      case '\\x': this.#expanded = toggle(this.#expanded); this.out.write(`Expanded display is ${this.#expanded ? 'on' : 'off'}.\n`); return 'ok';
      case '\\timing': this.#timing = toggle(this.#timing); this.out.write(`Timing is ${this.#timing ? 'on' : 'off'}.\n`); return 'ok';
      case '\\?': this.out.write(HELP); return 'ok';
      case '\\q': return 'quit';
      default: this.out.write(`ERROR: unknown command ${command}. Meta commands: \\d [table], \\x, \\timing, \\?, \\q.\n`); return 'error';
    }
  }

  /** `\d`: the tables; `\d users`: its columns and the PingOne attributes behind them. */
  describe(table: string): string {
    const mappings = this.dataSource.pingoneDriver.mappings;
    if (!table) {
      return formatTable([...mappings.values()].map((m) => ({ table: m.table, pingone: m.kind === 'resource' ? `/${m.resource}` : 'direct group memberships of users' })));
    }
    const mapping: TableMapping | undefined = mappings.get(table);
    if (!mapping) return `No table ${table}. Tables: ${[...mappings.keys()].join(', ')}.`;
    if (mapping.kind === 'membership') return formatTable([{ column: mapping.userColumn, attribute: 'user id' }, { column: mapping.groupColumn, attribute: 'group id' }]);
    return formatTable(mapping.columns.map((c) => ({ column: c.column, attribute: c.attribute, type: c.kind, 'read-only': c.readOnly ? 'yes' : '', custom: c.custom ? 'yes' : '' })));
  }

  /** The interactive loop (see runRepl); `terminal` defaults to whether `input` is this process's TTY. */
  repl(input: NodeJS.ReadableStream, historyFile?: string, options: Partial<ReplOptions> = {}): Promise<{ errors: number }> {
    const terminal = options.terminal ?? (input === process.stdin && process.stdin.isTTY === true);
    return runRepl(this, this.out, input, { ...options, terminal, ...(historyFile ? { historyFile } : {}) });
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }
}

const HELP = `Statements end with ; and may span lines: SELECT (joins, GROUP BY, ORDER BY, aggregates run locally),
INSERT/UPDATE/DELETE (UPDATE and DELETE first say how many rows they touch and ask; --yes skips the question),
EXPLAIN SELECT …, EXPLAIN ANALYZE SELECT …. Tables: users, groups, populations, group_memberships.
Meta: \\d (tables), \\d <table> (columns), \\x (expanded display), \\timing, \\? (this help), \\q (quit).
Keys: Tab completes tables, columns and keywords; Ctrl-C cancels the running statement or clears the input; Ctrl-D quits.
`;
