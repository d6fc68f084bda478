import alasql from 'alasql';

/**
 * The only module that imports alasql. alasql runs the joins of local SQL: its nested loops, LEFT JOIN rows with no
 * match, and its hash index for equi-joins. It compiles statements into JavaScript by concatenating names, so it is
 * only ever handed a statement the driver writes itself from the join's shape: tables `t0…`, aliases `a0…`, and, in
 * place of every expression, a call of the form `params[0].on[3](p)`, with nothing but those names and digits.
 * Every value, name and condition of the user's statement stays in the closures passed in `params[0]` at run time;
 * no text of the user's, no literal and no directory value ever reaches alasql's parser or code generator.
 * (docs/local-sql.md lists each path by which text reaches alasql's generated code and why each is closed.)
 */
export interface JoinInput<P> {
  /** the rows of each source, in join order (the first is FROM's) */
  readonly sources: readonly (readonly unknown[])[];
  /** the joins after the first source: mode, and an equi-join index or an ON test (neither: every pair) */
  readonly steps: readonly { readonly mode: 'INNER' | 'LEFT' | 'CROSS'; readonly index: boolean; readonly on: boolean }[];
  /** the closures the generated code calls, over alasql's scope `p` (`p.a0` is the first source's row); [n]: step n */
  readonly calls: {
    readonly on: readonly (((p: P) => boolean) | undefined)[];
    readonly left: readonly (((p: P) => string) | undefined)[];
    readonly right: readonly (((p: P) => string) | undefined)[];
    readonly where: (p: P) => boolean;
    /** called for each joined row that passes `where` */
    readonly each: (p: P) => void;
  };
}

/** alasql's node for an expression written by the driver: its JavaScript is the fixed text given. */
class DriverCall {
  constructor(
    private readonly js: string,
    readonly as?: string,
  ) {
    // the generated code may only hold these driver-made forms
    if (!/^params\[0\]\.(each|where)\(p\)$|^params\[0\]\.(on|left|right)\[\d+\]\(p(,p\['a\d+'\])?\)$/.test(js))
      throw new Error(`not a driver call: ${js}`);
  }
  toJS(): string {
    return this.js;
  }
  toString(): string {
    return 'driver expression';
  }
  findAggregator(): void {}
  toType(): string {
    return 'unknown';
  }
}

type Compiled = ((params: unknown[]) => unknown) & { query?: Record<string, unknown> & { sources?: Record<string, unknown>[] } };

const engine = alasql as typeof alasql & { yy: Record<string, new (init: Record<string, unknown>) => unknown> };

/** The statement text for a shape: only fixed keywords, `t<n>`, `a<n>` and TRUE. */
function skeleton(steps: JoinInput<unknown>['steps']): string {
  let sql = 'SELECT TRUE AS r FROM t0 AS a0';
  steps.forEach((s, i) => {
    const n = i + 1;
    sql +=
      s.index || s.on
        ? ` ${s.mode === 'LEFT' ? 'LEFT' : 'INNER'} JOIN t${n} AS a${n} ON TRUE`
        : ` ${s.mode === 'LEFT' ? 'LEFT' : 'CROSS'} JOIN t${n} AS a${n}${s.mode === 'LEFT' ? ' ON TRUE' : ''}`;
  });
  return `${sql} WHERE TRUE`;
}

/**
 * Compiled statements per shape and nesting depth (a correlated sub-query runs a join while its outer join is
 * running: each depth has its own database and compiled statements, which hold a run's state).
 */
const compiled = new Map<string, Compiled>();
const databases: { readonly id: string; readonly db: InstanceType<typeof alasql.Database>; tables: number }[] = [];
let depth = 0;
let counter = 0;
const MAX_DEPTH = 64;
const COMPILED_LIMIT = 256;

function databaseAt(level: number, tables: number) {
  let entry = databases[level];
  if (!entry) {
    const id = `pingone_join_${process.pid}_${++counter}`;
    entry = { id, db: new alasql.Database(id), tables: 0 };
    databases[level] = entry;
  }
  for (; entry.tables < tables; entry.tables++) {
    entry.db.exec(`CREATE TABLE t${entry.tables}`);
    // never reuse an index alasql kept from an earlier run: the same driver text stands for other closures then
    (entry.db.tables as Record<string, { dirty?: boolean }>)[`t${entry.tables}`].dirty = true;
  }
  return entry;
}

function compile(steps: JoinInput<unknown>['steps'], level: number, id: string): Compiled {
  const text = skeleton(steps);
  // an equi-join's index and an ON test share their skeleton's text: the key tells which calls the code makes
  const key = `${level}:${steps.map((s) => (s.index ? 'i' : s.on ? 'o' : 'x')).join('')}:${text}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const ast = (alasql.parse(text) as unknown as { statements: Record<string, unknown>[] }).statements[0];
  ast.columns = [new DriverCall('params[0].each(p)', 'r')];
  const joins = ast.joins as Record<string, unknown>[] | undefined;
  steps.forEach((s, i) => {
    const n = i + 1;
    if (s.index)
      joins![i].on = new engine.yy.Op({
        op: '=',
        left: new DriverCall(`params[0].left[${n}](p)`),
        right: new DriverCall(`params[0].right[${n}](p,p['a${n}'])`),
      });
    else if (s.on) joins![i].on = new DriverCall(`params[0].on[${n}](p)`);
  });
  ast.where = new engine.yy.Expression({ expression: new DriverCall('params[0].where(p)') });
  const fn = (ast as unknown as { compile(db: string): Compiled }).compile(id);
  compiled.set(key, fn);
  if (compiled.size > COMPILED_LIMIT) compiled.delete(compiled.keys().next().value!);
  return fn;
}

/** Runs the join; `calls.each` sees every joined row that passes `where`, in alasql's nested-loop order. */
export function runJoin<P>(input: JoinInput<P>): void {
  if (depth >= MAX_DEPTH) throw new RangeError(`sub-queries nest more than ${MAX_DEPTH} deep`);
  const level = depth++;
  const { id, db } = databaseAt(level, input.sources.length);
  const tables = db.tables as Record<string, { data: unknown; indices: unknown }>;
  let fn: Compiled | undefined;
  try {
    input.sources.forEach((rows, i) => {
      tables[`t${i}`].data = rows;
    });
    fn = compile(input.steps, level, id);
    fn([input.calls]);
  } finally {
    depth--;
    input.sources.forEach((_rows, i) => {
      tables[`t${i}`].data = [];
      tables[`t${i}`].indices = {};
    });
    if (fn) release(fn);
  }
}

/** alasql leaves a run's rows and parameters on the compiled statement until it runs again: drop them now. */
function release(fn: Compiled): void {
  const query = fn.query;
  if (!query) return;
  query.data = [];
  query.params = undefined;
  query.groups = [];
  query.xgroups = {};
  for (const source of query.sources ?? []) {
    source.data = [];
    source.ix = undefined;
  }
}

/** Sizes of alasql's caches, for tests that check nothing accumulates per statement. */
export function joinCacheSizes(): { compiled: number; databases: number; alasqlDatabases: number; alasqlSqlCache: number } {
  const all = alasql.databases as Record<string, { sqlCache?: Record<string, unknown> }>;
  return {
    compiled: compiled.size,
    databases: databases.length,
    alasqlDatabases: Object.keys(all).length,
    alasqlSqlCache: Object.values(all).reduce((n, db) => n + Object.keys(db.sqlCache ?? {}).length, 0),
  };
}
