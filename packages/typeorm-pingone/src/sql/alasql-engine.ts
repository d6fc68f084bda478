import alasql from 'alasql';
import { PingOneDriverError } from '../errors';
import type { LocalColumn } from './name-scope';
import { normalizeStatement } from './normalize-ast';
import { SqliteBinder, type TopLevel } from './sqlite-binder';
import { aggregateImplementations, cast, scalarFunctions } from './sqlite-functions';
import { like } from './sqlite-like';
import * as values from './sqlite-values';
import type { Statement } from './sql-ast';
import { selectListItems, toAlasqlDialect } from './sqlite-dialect';
import { finishTopLevel } from './top-level-result';
import { statementKey, tablesKey } from './statement-key';
import { fixFor, guardStatement, refuse, type AstNode, type KindOf } from './statement-guard';

/**
 * The only module that imports alasql. Every statement is parsed, then checked against the allow-list
 * (statement-guard.ts) before anything else sees it. A local run copies the tree parsed once (alasql mutates the tree it
 * compiles), binds it to this DataSource's tables with SQLite's semantics (sqlite-binder.ts), compiles it in a
 * long-lived private database whose tables hold, for that run only, the rows fetched for it, and applies ORDER BY / LIMIT / OFFSET itself. Statements
 * are compiled directly, bypassing alasql's global SQL text caches, so distinct texts never accumulate.
 */
export interface ParsedSql {
  readonly sql: string;
  /** SQLite's names for the top-level select list's unaliased items: their source text */
  readonly itemNames?: readonly string[];
  readonly statement: Statement;
}

export interface LocalTable {
  readonly columns: readonly LocalColumn[];
  readonly rows: readonly Record<string, unknown>[];
}

type Compiled = ((params: unknown[], cb?: unknown, scope?: unknown) => unknown) & { query?: { isCorrelated?: boolean } };

/**
 * The IN sub-queries of the statement running now. A local run is synchronous from compile to result, so one
 * module-level slot is enough; each entry is compiled on first use and, unless correlated, evaluated once.
 */
let running: { readonly db: string; readonly nodes: readonly AstNode[]; readonly compiled: Compiled[]; readonly values: (unknown[] | undefined)[] } | undefined;

function subquery(k: number, params: unknown[], scope: unknown): unknown[] {
  if (!running) throw new Error('sub-query outside a local run');
  const r = running;
  if (r.values[k]) return r.values[k]!;
  r.compiled[k] ??= (r.nodes[k] as unknown as { compile(db: string, p: unknown[]): Compiled }).compile(r.db, params);
  const rows = r.compiled[k]!(params, undefined, scope) as Record<string, unknown>[];
  const column = rows.map((row) => Object.values(row)[0]);
  if (!r.compiled[k]!.query?.isCorrelated) r.values[k] = column;
  return column;
}

type Runtime = typeof values & { like: typeof like; cast: typeof cast; fn: typeof scalarFunctions; subquery: typeof subquery };
const engine = alasql as typeof alasql & { p1?: Runtime; yy: Record<string, unknown>; aggr: Record<string, unknown> };
engine.p1 = Object.freeze({ ...values, like, cast, fn: scalarFunctions, subquery });
Object.assign(engine.aggr, aggregateImplementations());

// alasql's node classes by constructor: several are anonymous functions, so their `name` can't be used.
const KINDS = new Map<unknown, string>(Object.entries(engine.yy).filter(([, v]) => typeof v === 'function').map(([k, v]) => [v, k]));
const kindOf: KindOf = (node) => {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return '';
  const ctor = (node as { constructor?: unknown }).constructor;
  return KINDS.get(ctor) ?? (ctor === Object ? 'Object' : (ctor as { name?: string } | undefined)?.name ?? '');
};

const CACHE_LIMIT = 500;
const cache = new Map<string, ParsedSql>();
let databaseCounter = 0;

function parseOne(rewritten: string, original: string): AstNode {
  let ast: { statements: unknown[] };
  try {
    ast = alasql.parse(rewritten) as unknown as { statements: unknown[] };
  } catch (error) {
    throw parseError(error, original);
  }
  if (ast.statements.length !== 1) {
    throw new PingOneDriverError('SQL_ERROR', `Expected one statement, found ${ast.statements.length}. Send statements one at a time.`);
  }
  return ast.statements[0] as AstNode;
}

function parseError(error: unknown, sql: string): PingOneDriverError {
  const message = error instanceof Error ? error.message : String(error);
  const line = /line (\d+)/i.exec(message);
  const lineNumber = line ? Number(line[1]) : 1;
  // alasql's message shows the text up to the failure and a caret under it: recover the column from the caret.
  const lines = message.split('\n');
  const caret = lines.findIndex((l) => /^-*\^$/.test(l));
  const column = caret > 0 ? lines[caret]!.length : undefined;
  const sourceLine = sql.split('\n')[lineNumber - 1] ?? sql;
  const near = column === undefined ? sourceLine.slice(0, 80) : sourceLine.slice(Math.max(0, column - 30), column + 30);
  const fix = fixFor(sql);
  return new PingOneDriverError('SQL_ERROR', `The SQL could not be parsed at line ${lineNumber}${column === undefined ? '' : `, column ${column}`}, near "${near}". ` +
    (fix || 'The driver understands the SQLite dialect TypeORM emits: SELECT with JOIN, WHERE, GROUP BY, ORDER BY, LIMIT; INSERT … VALUES; UPDATE; DELETE.'), { cause: error });
}

export function parseSql(sql: string): ParsedSql {
  const hit = cache.get(sql);
  if (hit) {
    cache.delete(sql); // refresh its place: the cache evicts the least recently used text
    cache.set(sql, hit);
    return hit;
  }
  const rewritten = toAlasqlDialect(sql);
  // alasql reads ILIKE and ~~ as LIKE; SQLite has neither, so they are refused by their text
  const code = rewritten.replace(/'(?:[^']|'')*'|`(?:[^`]|``)*`/g, ' ');
  if (/\bILIKE\b|~~/i.test(code)) refuse('the operator ILIKE', "SQLite has no ILIKE: write UPPER(x) LIKE UPPER(?) (TypeORM's ILike does).");
  const node = parseOne(rewritten, sql);
  guardStatement(node, kindOf);
  const itemNames = selectListItems(sql);
  const parsed: ParsedSql = Object.freeze({ sql: rewritten, statement: normalizeStatement(node, rewritten), ...(itemNames ? { itemNames } : {}) });
  cache.set(sql, parsed);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return parsed;
}

/**
 * The tree alasql parsed for a statement, kept unbound and uncompiled: each run binds and compiles its own copy
 * (alasql and the binder rewrite the tree they work on), which costs far less than lexing and parsing the text again.
 */
const pristine = new WeakMap<ParsedSql, AstNode>();

function freshTree(parsed: ParsedSql): AstNode {
  let tree = pristine.get(parsed);
  if (!tree) {
    tree = parseOne(parsed.sql, parsed.sql);
    pristine.set(parsed, tree);
  }
  return copyTree(tree, new Map());
}

/** A deep copy of alasql nodes, arrays and plain objects (same classes, shared nodes stay shared); other values as they are. */
function copyTree<T>(value: T, seen: Map<object, unknown>): T {
  if (typeof value !== 'object' || value === null) return value;
  const hit = seen.get(value);
  if (hit !== undefined) return hit as T;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copyTree(item, seen));
    return out as T;
  }
  const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  if (proto !== Object.prototype && proto !== null && !KINDS.has(proto.constructor)) return value;
  const out = Object.create(proto) as Record<string, unknown>;
  seen.set(value, out);
  for (const key of Object.keys(value)) out[key] = copyTree((value as Record<string, unknown>)[key], seen);
  return out as T;
}

/**
 * Resolves every name and parameter of a statement against the tables, before any request is sent:
 * unknown tables and columns, ambiguous names and missing parameters are errors here.
 */
export function checkNames(parsed: ParsedSql, params: readonly unknown[], tables: ReadonlyMap<string, readonly LocalColumn[]>): void {
  const key = statementKey(parsed.sql, params, tables);
  if (key !== undefined && checked.has(key)) return;
  const node = freshTree(parsed);
  const binder = new SqliteBinder(kindOf, tables, params);
  const kind = kindOf(node);
  if (kind === 'Select') binder.top(node);
  else binder.write(node, kind);
  if (key === undefined) return;
  checked.add(key);
  if (checked.size > COMPILED_LIMIT) checked.delete(checked.keys().next().value!);
}

/** Statements whose names were already resolved with the same parameters and tables: the check would pass again. */
const checked = new Set<string>();

interface CompiledStatement {
  readonly compiled: Compiled;
  readonly top: TopLevel;
}

/**
 * Compiled statements, for a statement run again over other rows with the same parameters and tables (stream()'s
 * pages, early stop's pages, the same query repeated). A compiled alasql statement reads its tables' rows when it
 * runs, as alasql's own statement cache relies on; the binder's work depends only on the text, the parameters and the
 * tables' columns, which make the key. Statements with IN sub-queries are not cached (their nodes compile per run).
 */
const COMPILED_LIMIT = 64;
const compiledStatements = new Map<string, CompiledStatement>();

function compileStatement(parsed: ParsedSql, params: readonly unknown[], tables: ReadonlyMap<string, LocalTable>, id: string): CompiledStatement & { readonly subqueries: readonly AstNode[] } {
  const key = statementKey(parsed.sql, params, tables);
  const hit = key === undefined ? undefined : compiledStatements.get(key);
  if (hit) {
    compiledStatements.delete(key!);
    compiledStatements.set(key!, hit);
    return { ...hit, subqueries: [] };
  }
  const node = freshTree(parsed);
  const binder = new SqliteBinder(kindOf, new Map([...tables].map(([name, t]) => [name, t.columns])), params);
  const top = binder.top(node, parsed.itemNames);
  const compiled = (node as unknown as { compile(db: string, p: unknown[]): Compiled }).compile(id, [...params]);
  if (key !== undefined && binder.subqueries.length === 0) {
    compiledStatements.set(key, { compiled, top });
    if (compiledStatements.size > COMPILED_LIMIT) compiledStatements.delete(compiledStatements.keys().next().value!);
  }
  return { compiled, top, subqueries: binder.subqueries };
}

/** Runs a parsed SELECT over the given tables in a private database and returns its rows. */
export function runLocal(parsed: ParsedSql, params: readonly unknown[], tables: ReadonlyMap<string, LocalTable>, options: { readonly window?: boolean } = {}): Record<string, unknown>[] {
  const { id, db } = databaseFor(tables);
  let ran: Compiled | undefined;
  try {
    for (const [name, table] of tables) {
      // The fetched rows themselves, not copies: the binder compiles every read into expressions over them and
      // alasql builds new result objects, so nothing writes to a source row.
      // alasql keeps join indices per table, built on first use: the previous run's must not serve these rows.
      Object.assign(db.tables[name] as object, { data: table.rows as unknown[], indices: {} });
    }
    const { compiled, top, subqueries } = compileStatement(parsed, params, tables, id);
    ran = compiled;
    running = { db: id, nodes: subqueries, compiled: [], values: [] };
    const result = compiled([...params]);
    return finishTopLevel(Array.isArray(result) ? (result as Record<string, unknown>[]) : [], options.window === false ? { ...top, offset: 0, limit: undefined } : top);
  } catch (error) {
    if (error instanceof PingOneDriverError) throw error;
    throw new PingOneDriverError('SQL_ERROR', `Running the query locally failed: ${error instanceof Error ? error.message : String(error)}. ` +
      'This construct is outside what the driver supports; rewrite it with plain comparisons, joins and aggregates.', { cause: error });
  } finally {
    running = undefined;
    // The database outlives the statement; its rows don't.
    for (const name of tables.keys()) Object.assign(db.tables[name] as object, { data: [], indices: {} });
    if (ran) releaseRows(ran);
  }
}

/**
 * alasql leaves a run's rows on the compiled query (each source's rows and index, the result, the groups) until it
 * runs again, and a cached statement lives on: stream() would keep the previous page reachable while the next one is
 * fetched, long enough for it to be promoted to the old generation. Every run sets these anew (queryfn, preIndex).
 */
function releaseRows(compiled: Compiled): void {
  const query = compiled.query as ({ data?: unknown; groups?: unknown; xgroups?: unknown; sources?: { data?: unknown; ix?: unknown }[] } | undefined);
  if (!query) return;
  query.data = [];
  query.groups = [];
  query.xgroups = {};
  for (const source of query.sources ?? []) {
    source.data = [];
    source.ix = undefined;
  }
}

const DATABASE_LIMIT = 8;
const databases = new Map<string, { readonly id: string; readonly db: InstanceType<typeof alasql.Database> }>();

/**
 * A private database per set of table definitions (one per DataSource's mappings), created once: a statement only
 * swaps the rows in, instead of a new database and a CREATE TABLE per table each time. A local run is synchronous
 * from compile to result, so statements never share one concurrently.
 */
function databaseFor(tables: ReadonlyMap<string, LocalTable>): { readonly id: string; readonly db: InstanceType<typeof alasql.Database> } {
  const signature = tablesKey(tables);
  const hit = databases.get(signature);
  if (hit) {
    databases.delete(signature);
    databases.set(signature, hit);
    return hit;
  }
  const id = `pingone_${++databaseCounter}`;
  const db = new alasql.Database(id);
  for (const [name, table] of tables) {
    db.exec(`CREATE TABLE \`${name.replace(/`/g, '``')}\` (${table.columns.map((c) => `\`${c.name.replace(/`/g, '``')}\``).join(', ')})`);
  }
  const entry = { id, db };
  databases.set(signature, entry);
  if (databases.size > DATABASE_LIMIT) {
    const [oldest, evicted] = databases.entries().next().value!;
    databases.delete(oldest);
    delete (alasql.databases as Record<string, unknown>)[evicted.id];
  }
  return entry;
}

/** Sizes of every cache a statement could grow, for tests that check nothing accumulates. */
export function cacheSizes(): { parsed: number; databases: number; compiled: number; alasqlSqlCache: number; alasqlSets: number } {
  const databases = alasql.databases as Record<string, { sqlCache?: Record<string, unknown> }>;
  return {
    parsed: cache.size,
    compiled: compiledStatements.size,
    databases: Object.keys(databases).length,
    alasqlSqlCache: Object.values(databases).reduce((n, db) => n + Object.keys(db.sqlCache ?? {}).length, 0),
    alasqlSets: Object.keys((engine as unknown as { sets?: Record<string, unknown> }).sets ?? {}).length,
  };
}
