import { PingOneDriverError } from '../errors';
import type { BoundSelect, RunState, SourceRow } from './bound-plan';
import { TreeMapper } from './canonical-tree';
import type { SubqueryPort } from './expr-compiler';
import type { LocalColumn, NameScope, Resolved } from './name-scope';
import { bindSelect, type BindEnv } from './select-binder';
import { runSelect, subqueryRows, type ResultRow } from './select-runner';
import type { Expr, FromItem, SelectNode, Statement } from './sql-ast';
import { deepGuard, parseStatement } from './sql-parser';
import { DEFAULT_SQL_LIMITS, type SqlLimits } from './statement-limits';
import { tablesKey } from './statement-key';
import { resultValue, sqlValue } from './sqlite-values';
import { bindWrite } from './write-binder';
import { joinCacheSizes } from './alasql-join';

/**
 * The local SQL engine's entry points. A statement's text is parsed once (sql-parser.ts) into the driver's tree;
 * binding resolves its names against a DataSource's tables and compiles it into closures (select-binder.ts),
 * giving the canonical tree the planner and the write executor read; a run evaluates the plan over fetched rows
 * (select-runner.ts, with alasql-join.ts for joins). Parses and bindings are cached, the parses bounded in bytes.
 */
export interface ParsedSql {
  /** the statement's text (for messages and the request log), or a label for a tree made by the driver */
  readonly sql: string;
  readonly statement: Statement;
  readonly paramCount: number;
  /**
   * 'unique': result columns that share a name are told apart (`username`, `username_1`) instead of the later one
   * winning as in sql.js's objects; for callers that show every column (the shell).
   */
  readonly outputNames?: 'sqlite' | 'unique';
}

export interface LocalTable {
  readonly columns: readonly LocalColumn[];
  readonly rows: readonly SourceRow[];
}

type Tables = ReadonlyMap<string, readonly LocalColumn[]>;

// ── the parse cache: least recently used first out, bounded by an estimate of the trees' bytes ──
const PARSE_BUDGET_BYTES = 32 * 1024 * 1024;
const parses = new Map<string, { readonly parsed: ParsedSql; readonly bytes: number }>();
let parseBytes = 0;

export function parseSql(sql: string, limits: SqlLimits = DEFAULT_SQL_LIMITS): ParsedSql {
  const key = limits === DEFAULT_SQL_LIMITS ? sql : `${limits.maxStatementLength}:${limits.maxExpressionDepth}:${sql}`;
  const hit = parses.get(key);
  if (hit) {
    parses.delete(key);
    parses.set(key, hit);
    return hit.parsed;
  }
  const result = parseStatement(sql, limits);
  const parsed: ParsedSql = Object.freeze({ sql, statement: result.statement, paramCount: result.paramCount });
  // about 150 bytes a token in the tree, and the text itself (twice: key and ParsedSql)
  const bytes = result.tokenCount * 150 + sql.length * 4;
  if (bytes <= PARSE_BUDGET_BYTES / 8) {
    parses.set(key, { parsed, bytes });
    parseBytes += bytes;
    for (const [k, v] of parses) {
      if (parseBytes <= PARSE_BUDGET_BYTES) break;
      parses.delete(k);
      parseBytes -= v.bytes;
    }
  }
  return parsed;
}

/** A tree the driver built (a write's target rows, a sub-query run on its own), as a statement to bind and run. */
const madeParsed = new WeakMap<SelectNode, ParsedSql>();
export function parsedSelect(select: SelectNode, label: string, paramCount: number): ParsedSql {
  let parsed = madeParsed.get(select);
  if (!parsed) {
    const statement: Statement = { kind: 'select', select };
    parsed = Object.freeze({ sql: label, statement, paramCount });
    madeParsed.set(select, parsed);
  }
  return parsed;
}

// ── binding ──
interface Bound {
  /** the statement with canonical names (same shape) */
  readonly parsed: ParsedSql;
  readonly plan: BoundSelect | undefined;
}

const bindings = new WeakMap<ParsedSql, Map<string, Bound>>();
const BINDINGS_PER_STATEMENT = 8;

function bind(parsed: ParsedSql, tables: Tables): Bound {
  const key = tablesKey(tables);
  let perTables = bindings.get(parsed);
  const hit = perTables?.get(key);
  if (hit) return hit;
  const columns = new Map<Expr, { table: string; column: string }>();
  const items = new Map<FromItem, string>();
  const subqueries: SubqueryPort = { bind: (select: SelectNode, scope: NameScope) => bindSelect(select, scope, env), rows: subqueryRows };
  const env: BindEnv = {
    tables,
    subqueries,
    onColumn: (node: Expr, r: Resolved) => {
      columns.set(node, { table: r.source.alias, column: r.column.name });
    },
    onTable: (item: FromItem, table: string) => {
      items.set(item, table);
    },
  };
  const bound = deepGuard(
    () => bindStatement(parsed, parsed.statement, env, new TreeMapper({ columns, tables: items })),
    DEFAULT_SQL_LIMITS,
  );
  if (!perTables) {
    perTables = new Map();
    bindings.set(parsed, perTables);
  }
  perTables.set(key, bound);
  if (perTables.size > BINDINGS_PER_STATEMENT) perTables.delete(perTables.keys().next().value!);
  return bound;
}

function bindStatement(parsed: ParsedSql, statement: Statement, env: BindEnv, mapper: TreeMapper): Bound {
  switch (statement.kind) {
    case 'select': {
      const plan = bindSelect(statement.select, undefined, env);
      return { plan, parsed: { ...parsed, statement: { kind: 'select', select: mapper.select(statement.select) } } };
    }
    case 'explain': {
      const inner = bindStatement(parsed, statement.statement, env, mapper);
      return { plan: inner.plan, parsed: { ...parsed, statement: { ...statement, statement: inner.parsed.statement } } };
    }
    case 'insert':
    case 'update':
    case 'delete':
      return { plan: undefined, parsed: { ...parsed, statement: bindWrite(statement, env) } };
    default:
      return { plan: undefined, parsed };
  }
}

/** Whether the parameters cover every placeholder; checked before any request. */
function checkParams(parsed: ParsedSql, params: readonly unknown[]): void {
  if (parsed.paramCount > params.length) {
    throw new PingOneDriverError(
      'SQL_ERROR',
      `The statement uses parameter ${parsed.paramCount} but only ${params.length} value(s) were given. Pass one value per ? placeholder.`,
    );
  }
}

/**
 * Resolves every name and parameter of a statement against the tables, before any request is sent (unknown tables
 * and columns, ambiguous names, misplaced aggregates and missing parameters are errors here), and returns the
 * statement with canonical names.
 */
export function checkNames(parsed: ParsedSql, params: readonly unknown[], tables: Tables): ParsedSql {
  checkParams(parsed, params);
  return bind(parsed, tables).parsed;
}

/** Runs a SELECT over the given tables' rows; rows named as SQLite names result columns. */
export function runLocal(
  parsed: ParsedSql,
  params: readonly unknown[],
  tables: ReadonlyMap<string, LocalTable>,
  options: { readonly window?: boolean } = {},
): Record<string, unknown>[] {
  checkParams(parsed, params);
  const columns = new Map<string, readonly LocalColumn[]>();
  const rows = new Map<string, readonly SourceRow[]>();
  for (const [name, t] of tables) {
    columns.set(name, t.columns);
    rows.set(name, t.rows);
  }
  const { plan } = bind(parsed, columns);
  if (!plan) throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'Only a SELECT runs locally.');
  const run: RunState = { params: params.map(sqlValue), now: new Date(), tables: rows, cache: new Map() };
  let result: ResultRow[];
  try {
    result = runSelect(plan, run, undefined, options.window !== false);
  } catch (error) {
    if (error instanceof PingOneDriverError) throw error;
    if (error instanceof RangeError)
      throw new PingOneDriverError(
        'STATEMENT_TOO_COMPLEX',
        'The statement nests sub-queries deeper than the local engine can run. Nothing was changed. Flatten the sub-queries into joins.',
        { cause: error },
      );
    throw new PingOneDriverError(
      'SQL_ERROR',
      `Running the statement locally failed (${error instanceof Error ? error.message : String(error)}): this is a fault of the driver's SQL engine, please report it with the statement. Nothing was changed.`,
      { cause: error },
    );
  }
  const names = plan.outputs.map((o) => o.name);
  return namedRows(result, parsed.outputNames === 'unique' ? uniqueNames(names) : names);
}

/** Names made distinct: a repeated name gets the first free `_1`, `_2`, … suffix. */
function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let n = 1;
    while (taken.has(`${name}_${n}`)) n++;
    const unique = `${name}_${n}`;
    taken.add(unique);
    seen.add(unique);
    return unique;
  });
}

/** Result rows as objects, as sql.js returns them: a later column of the same name wins, `__proto__` is a column. */
function namedRows(rows: readonly ResultRow[], names: readonly string[]): Record<string, unknown>[] {
  const make = rowMaker(names);
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const values = rows[r];
    const converted: unknown[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) converted[i] = resultValue(values[i]);
    out[r] = make(converted);
  }
  return out;
}

type RowMaker = (values: readonly unknown[]) => Record<string, unknown>;
const rowMakers = new Map<string, RowMaker>();
const ROW_MAKERS = 256;

/**
 * A constructor per list of result names, so every row of a statement is one object shape built in one go (V8
 * builds rows 10-20x faster this way than property by property). Its code holds only indices: the names are read
 * from an array it closes over, never written into the source; `__proto__` is defined, not assigned.
 */
function rowMaker(names: readonly string[]): RowMaker {
  const key = names.join('\u0000');
  const hit = rowMakers.get(key);
  if (hit) return hit;
  const body = names
    .map((name, i) =>
      name === '__proto__'
        ? `define(this, n[${i}], { value: v[${i}], enumerable: true, writable: true, configurable: true });`
        : `this[n[${i}]] = v[${i}];`,
    )
    .join(' ');
  type RowClass = { new (v: readonly unknown[]): Record<string, unknown>; prototype: object };
  // eslint-disable-next-line no-new-func, @typescript-eslint/no-implied-eval -- deliberate (see above): the code holds only indices and fixed text; names stay data in `n`
  const factory = new Function('n', 'define', `return function Row(v) { ${body} }`) as (
    n: string[],
    define: typeof Object.defineProperty,
  ) => RowClass;
  const Row = factory([...names], Object.defineProperty);
  Row.prototype = Object.prototype;
  const make: RowMaker = (values) => new Row(values);
  rowMakers.set(key, make);
  if (rowMakers.size > ROW_MAKERS) rowMakers.delete(rowMakers.keys().next().value!);
  return make;
}

/** The output names a SELECT's rows will have, in order (duplicates kept), after binding. */
export function outputNames(parsed: ParsedSql, tables: Tables): string[] {
  const { plan } = bind(parsed, tables);
  return plan ? plan.outputs.map((o) => o.name) : [];
}

/** A SELECT's result columns, in order, named as its rows are, each with the table column it shows (if any). */
export function outputColumns(
  parsed: ParsedSql,
  tables: Tables,
): { name: string; origin: { table: string; column: string } | undefined }[] {
  const { plan } = bind(parsed, tables);
  if (!plan) return [];
  const names = plan.outputs.map((o) => o.name);
  const shown = parsed.outputNames === 'unique' ? uniqueNames(names) : names;
  return plan.outputs.map((o, i) => ({ name: shown[i], origin: o.origin }));
}

/** Sizes of every cache a statement could grow, for tests that check nothing accumulates. */
export function cacheSizes(): ReturnType<typeof joinCacheSizes> & { parsed: number; parsedBytes: number; parseBudgetBytes: number } {
  return { parsed: parses.size, parsedBytes: parseBytes, parseBudgetBytes: PARSE_BUDGET_BYTES, ...joinCacheSizes() };
}
