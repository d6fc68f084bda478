import 'reflect-metadata';
import { createInterface, type Interface } from 'node:readline';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { QueryFailedError } from 'typeorm';
import { Group, PingOneDataSource, Population, User, type TableMapping } from 'typeorm-pingone';
import type { PingOneClientOptions } from '@typeorm-pingone/client';
import { formatTable } from './table-format';

export interface ShellOutput {
  write(text: string): void;
}

/** One SQL session on a PingOneDataSource: statements, EXPLAIN, and `\d` meta commands. */
export class SqlShell {
  constructor(private readonly dataSource: PingOneDataSource, private readonly out: ShellOutput, private readonly json = false) {}

  static async open(pingone: PingOneClientOptions | string, out: ShellOutput, options: { json?: boolean; customUserAttributes?: readonly string[] } = {}): Promise<SqlShell> {
    const ds = new PingOneDataSource({ entities: [User, Group, Population], pingone, customUserAttributes: options.customUserAttributes ?? [] });
    await ds.initialize();
    return new SqlShell(ds, out, options.json ?? false);
  }

  /** Runs one input (a statement or a meta command). Errors are printed, never thrown. */
  async run(input: string): Promise<'ok' | 'error' | 'quit'> {
    const text = input.trim().replace(/;\s*$/, '');
    if (text === '') return 'ok';
    if (text === '\\q' || text === 'exit' || text === 'quit') return 'quit';
    if (text.startsWith('\\d')) {
      this.out.write(`${this.describe(text.slice(2).trim())}\n`);
      return 'ok';
    }
    if (text === '\\?' || text === 'help') {
      this.out.write(HELP);
      return 'ok';
    }
    const started = process.hrtime.bigint();
    try {
      const rows = (await this.dataSource.query(text)) as Record<string, unknown>[];
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (this.json) this.out.write(`${JSON.stringify(rows)}\n`);
      else this.out.write(`${formatTable(rows)}\n(${rows.length} row${rows.length === 1 ? '' : 's'}, ${ms.toFixed(0)} ms)\n`);
      return 'ok';
    } catch (error) {
      const cause = error instanceof QueryFailedError ? error.driverError : error;
      this.out.write(`ERROR: ${cause instanceof Error ? cause.message : String(cause)}\n`);
      return 'error';
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
    return formatTable(mapping.columns.map((c) => ({ column: c.column, attribute: c.attribute, type: c.kind, 'read-only': c.readOnly ? 'yes' : '' })));
  }

  /** Interactive loop with history (kept in `historyFile`), until `\q` or end of input. */
  async repl(input: NodeJS.ReadableStream, historyFile?: string): Promise<void> {
    const history = historyFile && existsSync(historyFile) ? readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 500) : [];
    const rl: Interface = createInterface({ input, output: process.stdout, terminal: input === process.stdin && process.stdin.isTTY, history, prompt: 'pingone> ' });
    this.out.write('Connected. Type SQL ending with ; (EXPLAIN SELECT … shows the plan), \\d for tables, \\? for help, \\q to quit.\n');
    let buffer = '';
    rl.prompt();
    for await (const line of rl) {
      buffer += `${line}\n`;
      const trimmed = buffer.trim();
      const complete = trimmed.endsWith(';') || trimmed.startsWith('\\') || ['exit', 'quit', 'help'].includes(trimmed);
      if (!complete) continue;
      if (historyFile) appendFileSync(historyFile, `${trimmed.replace(/\n/g, ' ')}\n`, { mode: 0o600 });
      buffer = '';
      if ((await this.run(trimmed)) === 'quit') break;
      rl.prompt();
    }
    rl.close();
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }
}

const HELP = `Statements: SELECT (joins, GROUP BY, ORDER BY, aggregates run locally), INSERT/UPDATE/DELETE, EXPLAIN SELECT …,
EXPLAIN ANALYZE SELECT …. Tables: users, groups, populations, group_memberships; \\d <table> lists columns.
Meta: \\d, \\d <table>, \\?, \\q.
`;
