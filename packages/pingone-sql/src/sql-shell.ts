import 'reflect-metadata';
import { Group, PingOneDataSource, Population, User, type PreparedStatement } from 'typeorm-pingone';
import { createPingOneClient, pingOneOptionsFromUrl, type PingOneClientOptions } from '@typeorm-pingone/client';
import { columnsFromSchema, customAttributesEntity, type CustomAttributeColumn } from './custom-attributes';
import { formatExpanded, formatTable } from './table-format';
import type { Catalog } from './completion';
import { runRepl, type ReplOptions } from './repl';
import { bannerText, configuredTarget, conninfoText, readTarget, type ConnectionTarget } from './connection-info';
import { describeTable, listEnvironments, listTables } from './meta-commands';
import { DEFAULT_NULL_TEXT, jsonValue, visible } from './value-format';

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
  /** the connection is an embedded simulator this process started (the banner and \conninfo say so) */
  readonly simulator?: boolean;
}

/** Asks a yes/no question; undefined where nobody can answer (piped input, -c without a terminal). */
export type Confirm = (question: string) => Promise<boolean>;

export type RunOutcome = 'ok' | 'error' | 'quit';

const VERB_DONE: Readonly<Record<string, string>> = { insert: 'inserted', update: 'updated', delete: 'deleted' };

const rowsText = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

function errorMessage(error: unknown): string {
  // TypeORM's QueryFailedError carries the driver's error, which has the message with the fix.
  const cause = error instanceof Error && 'driverError' in error && error.driverError instanceof Error ? error.driverError : error;
  return visible(cause instanceof Error ? cause.message : String(cause));
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
    out.write(
      `note: the user schema could not be read (${errorMessage(error)}); custom attributes are not columns. Name them with --custom-attributes.\n`,
    );
    return [];
  }
}

/** One SQL session on a PingOneDataSource: statements, EXPLAIN, and psql's meta commands (`\d`, `\dt`, `\l`, `\conninfo`, `\x`, …). */
export class SqlShell {
  #expanded = false;
  #timing = true;
  #nullText = DEFAULT_NULL_TEXT;
  #busy = false;
  #cancelled = false;

  constructor(
    private readonly dataSource: PingOneDataSource,
    private readonly out: ShellOutput,
    private readonly options: SqlShellOptions = {},
    /** what it is connected to (read by open(); the environment's id and API only, for a shell made otherwise) */
    readonly target: ConnectionTarget = configuredTarget(dataSource.pingone, options.simulator ?? false),
  ) {}

  static async open(pingone: PingOneClientOptions | string, out: ShellOutput, options: SqlShellOptions = {}): Promise<SqlShell> {
    const custom = options.customAttributes ?? (await discoverCustomAttributes(pingone, out));
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
    return new SqlShell(ds, out, options, await readTarget(ds.pingone, options.simulator ?? false));
  }

  /** The first line of an interactive session: where statements go, and how to begin. */
  get banner(): string {
    return `${visible(bannerText(this.target))}\nType SQL ending with ; (EXPLAIN SELECT … shows the plan), \\dt for tables, \\? for help, \\q or Ctrl-D to quit.`;
  }

  /** Tables and their columns, for completion. */
  get catalog(): Catalog {
    return new Map(
      [...this.dataSource.pingoneDriver.mappings.values()].map((m) => [
        m.table,
        m.kind === 'resource' ? m.columns.map((c) => c.column) : [m.memberColumn, m.groupColumn, ...(m.typeColumn ? [m.typeColumn] : [])],
      ]),
    );
  }

  get running(): boolean {
    return this.#busy;
  }

  /** Ctrl-C during a statement: aborts its PingOne requests in flight (the statement then fails as cancelled). */
  cancel(): void {
    if (!this.#busy) return;
    this.#cancelled = true;
    this.dataSource.pingone.cancelInFlight();
  }

  /**
   * Runs one input (a statement or a meta command). Errors are printed, never thrown. A statement is parsed, bound
   * and checked first (an error here asks nothing); an UPDATE or DELETE then says how many rows its own WHERE
   * matches and asks; what runs is that same parsed statement.
   */
  async run(input: string, confirm?: Confirm): Promise<RunOutcome> {
    const text = input.trim();
    if (text === '' || text === ';') return 'ok';
    const word = text.replace(/;\s*$/, '');
    if (word === '\\q' || word === 'exit' || word === 'quit') return 'quit';
    if (word.startsWith('\\')) return this.#meta(word);
    if (word === 'help') return this.#meta('\\?');
    let prepared: PreparedStatement;
    try {
      prepared = this.dataSource.pingoneDriver.prepare(text, [], { uniqueNames: true });
    } catch (error) {
      this.out.write(`ERROR: ${errorMessage(error)}\n`);
      return 'error';
    }
    if (prepared.destructive && !this.options.yes) {
      const allowed = await this.#confirmDestructive(prepared, confirm);
      if (allowed !== true) return allowed;
    }
    return this.#execute(prepared);
  }

  async #confirmDestructive(statement: PreparedStatement, confirm: Confirm | undefined): Promise<true | RunOutcome> {
    const verb = statement.kind === 'delete' ? 'DELETE' : 'UPDATE';
    const counted = await this.#running(() => statement.countTargets());
    if (counted.error !== undefined) {
      this.out.write(`ERROR: ${verb} not run: counting the rows it would touch failed: ${counted.error}\n`);
      return 'error';
    }
    const n = counted.value;
    if (n === 0) return true;
    const what = `${verb} will ${verb === 'DELETE' ? 'delete' : 'change'} ${rowsText(n)} of ${statement.table}`;
    if (!confirm) {
      this.out.write(
        `ERROR: ${what}, and nobody can confirm it here (input is not a terminal). Nothing was changed. Re-run with --yes to allow UPDATE and DELETE without asking.\n`,
      );
      return 'error';
    }
    if (await confirm(`${what}. Continue? [y/N] `)) return true;
    this.out.write('Not run: nothing was changed.\n');
    return 'ok';
  }

  /** Runs work that sends requests, so that Ctrl-C can cancel it; its error as text. */
  async #running<T>(work: () => Promise<T>): Promise<{ value: T; error?: undefined } | { value?: undefined; error: string }> {
    this.#busy = true;
    this.#cancelled = false;
    try {
      return { value: await work() };
    } catch (error) {
      return { error: this.#cancelled ? 'CANCELLED' : errorMessage(error) };
    } finally {
      this.#busy = false;
    }
  }

  async #execute(statement: PreparedStatement): Promise<RunOutcome> {
    const started = process.hrtime.bigint();
    const result = await this.#running(() => statement.run());
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const timing = this.#timing ? `, ${ms.toFixed(0)} ms` : '';
    const done = VERB_DONE[statement.kind];
    if (result.error === 'CANCELLED') {
      const applied = done ? ' Changes PingOne had already applied stay applied.' : '';
      this.out.write(`Cancelled: the statement was stopped and its PingOne requests in flight aborted.${applied}\n`);
      return 'error';
    }
    if (result.error !== undefined) {
      this.out.write(`ERROR: ${result.error}\n`);
      return 'error';
    }
    const { records, affected } = result.value;
    const columns = statement.columns;
    if (done) {
      const n = affected ?? records.length;
      this.out.write(
        this.options.json
          ? `${JSON.stringify({ command: statement.kind.toUpperCase(), affected: n })}\n`
          : `${rowsText(n)} ${done}${this.#timing ? ` (${ms.toFixed(0)} ms)` : ''}\n`,
      );
      return 'ok';
    }
    if (this.options.json) {
      const kinds = new Map(columns.map((c) => [c.name, c.source?.kind]));
      // each value by its column's kind (as entries: a column may be named __proto__)
      const typed = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonValue(v, kinds.get(k))])));
      this.out.write(`${JSON.stringify(typed)}\n`);
    } else {
      const format = { columns, nullText: this.#nullText };
      this.out.write(
        `${this.#expanded ? formatExpanded(records, format) : formatTable(records, format)}\n(${rowsText(records.length)}${timing})\n`,
      );
    }
    return 'ok';
  }

  async #meta(text: string): Promise<RunOutcome> {
    const [command = '', ...args] = text.split(/\s+/);
    const arg = args.join(' ');
    const toggle = (current: boolean) => (arg === 'on' ? true : arg === 'off' ? false : !current);
    const mappings = this.dataSource.pingoneDriver.mappings;
    switch (command) {
      case '\\d':
        this.out.write(`${arg ? describeTable(mappings, arg) : listTables(mappings)}\n`);
        return 'ok';
      case '\\dt':
        this.out.write(`${listTables(mappings)}\n`);
        return 'ok';
      case '\\l': {
        const listed = await this.#running(() => listEnvironments(this.dataSource.pingone));
        if (listed.error === undefined) this.out.write(`${listed.value}\n`);
        else
          this.out.write(
            `ERROR: the environments could not be listed (GET /environments): ${listed.error}. The worker app needs a role that can read environments (\\conninfo shows the one it reads).\n`,
          );
        return listed.error === undefined ? 'ok' : 'error';
      }
      case '\\conninfo':
        this.out.write(`${visible(conninfoText(this.target))}\n`);
        return 'ok';
      case '\\x':
        this.#expanded = toggle(this.#expanded);
        this.out.write(`Expanded display is ${this.#expanded ? 'on' : 'off'}.\n`);
        return 'ok';
      case '\\timing':
        this.#timing = toggle(this.#timing);
        this.out.write(`Timing is ${this.#timing ? 'on' : 'off'}.\n`);
        return 'ok';
      case '\\pset':
        return this.#pset(args);
      case '\\?':
        this.out.write(HELP);
        return 'ok';
      case '\\q':
        return 'quit';
      default:
        this.out.write(
          `ERROR: unknown command ${visible(command)}. Meta commands: \\d [table], \\dt, \\l, \\conninfo, \\x, \\timing, \\pset null, \\?, \\q.\n`,
        );
        return 'error';
    }
  }

  /** `\pset null '(null)'`: how NULL is shown (psql's habit); `\pset null` alone shows the current text. */
  #pset(args: readonly string[]): RunOutcome {
    if (args[0] !== 'null') {
      this.out.write(`ERROR: \\pset sets only null here (how NULL is shown): \\pset null '(null)'.\n`);
      return 'error';
    }
    if (args.length > 1) {
      const raw = args.slice(1).join(' ');
      this.#nullText = /^'.*'$/.test(raw) ? raw.slice(1, -1).replace(/''/g, "'") : raw;
    }
    this.out.write(`Null display is "${visible(this.#nullText)}".\n`);
    return 'ok';
  }

  /** `\d`: the tables; `\d users`: its columns beside the PingOne attributes behind them. */
  describe(table: string): string {
    const mappings = this.dataSource.pingoneDriver.mappings;
    return table ? describeTable(mappings, table) : listTables(mappings);
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
Meta: \\dt (tables), \\d <table> (its columns beside their PingOne attributes), \\l (environments), \\conninfo,
  \\x (expanded display), \\timing, \\pset null <text> (how NULL shows; ∅ by default), \\? (this help), \\q (quit).
Results: booleans as t/f, timestamps in UTC with their zone (2024-01-31 12:00:00.123+00), NULL as ∅.
Keys: Tab completes what fits where the cursor is (tables after FROM, x.<Tab> the columns of x, keywords);
  Ctrl-C cancels the running statement or clears the input; Ctrl-D quits.
`;
