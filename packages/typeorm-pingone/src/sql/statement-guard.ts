import { PingOneDriverError } from '../errors';
import { functionArity } from './sqlite-functions';

/**
 * The allow-list every parsed statement passes before anything runs or any request is sent. alasql is a whole
 * JavaScript environment (backtick expressions run JavaScript, INTO/FROM table functions read and write files and
 * URLs, `->` reaches object properties, user functions and aggregates are global); the driver hands it only the
 * SQL subset below, checked node by node and property by property, in every position (select list, WHERE, JOIN ON,
 * GROUP BY, HAVING, ORDER BY, CASE, CAST, sub-queries, INSERT values, UPDATE SET, DELETE/UPDATE WHERE).
 */
export type AstNode = Record<string, unknown>;
/** alasql's node kind of a value: its class name in alasql.yy ('Object' for plain objects, '' for others) */
export type KindOf = (node: unknown) => string;

const COMPARISONS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const OPERATORS = new Set([...COMPARISONS, ...ARITHMETIC, 'AND', 'OR', '||', 'LIKE', 'NOT LIKE', 'IN', 'NOT IN', 'BETWEEN', 'NOT BETWEEN', 'IS']);
const AGGREGATES = new Set(['COUNT', 'MIN', 'MAX', 'SUM', 'AVG']);
const CAST_TYPES = new Set(['INTEGER', 'INT', 'BIGINT', 'REAL', 'FLOAT', 'DOUBLE', 'NUMERIC', 'TEXT', 'VARCHAR', 'CHAR']);
const JOIN_MODES = new Set(['INNER', 'LEFT', 'CROSS']);

export { COMPARISONS, ARITHMETIC };

/** Properties each node kind may carry; anything else present is a construct outside the subset. */
const ALLOWED: Readonly<Record<string, ReadonlySet<string>>> = {
  Select: new Set(['columns', 'distinct', 'from', 'joins', 'where', 'group', 'having', 'order', 'limit', 'offset', 'exists', 'queries', 'as']),
  Insert: new Set(['into', 'columns', 'values']),
  Update: new Set(['table', 'columns', 'where']),
  Delete: new Set(['table', 'where']),
  SetColumn: new Set(['column', 'expression']),
  Table: new Set(['tableid', 'as']),
  Join: new Set(['joinmode', 'table', 'select', 'as', 'on']),
  Expression: new Set(['expression', 'direction', 'nullsOrder']),
  Column: new Set(['columnid', 'tableid', 'as']),
  ParamValue: new Set(['param', 'as']),
  NumValue: new Set(['value', 'as']),
  StringValue: new Set(['value', 'as']),
  LogicValue: new Set(['value', 'as']),
  NullValue: new Set(['as']),
  Op: new Set(['left', 'op', 'right', 'right1', 'right2', 'escape', 'queriesidx', 'as']),
  UniOp: new Set(['op', 'right', 'as']),
  FuncValue: new Set(['funcid', 'args', 'as']),
  AggrValue: new Set(['aggregatorid', 'expression', 'distinct', 'as']),
  CaseValue: new Set(['expression', 'whens', 'elses', 'as']),
  Convert: new Set(['expression', 'dbtypeid', 'dbsize', 'dbprecision', 'as']),
  ExistsValue: new Set(['value', 'existsidx', 'as']),
};

/** What a refused property means in SQL words, for the error message. */
const CONSTRUCT: Readonly<Record<string, string>> = {
  into: 'INTO (writing results to files or tables)', top: 'TOP', modifier: 'SELECT VALUE/ROW/COLUMN/MATRIX/RECORDSET/TEXT',
  union: 'UNION', unionall: 'UNION ALL', except: 'EXCEPT', intersect: 'INTERSECT', pivot: 'PIVOT', unpivot: 'UNPIVOT',
  apply: 'APPLY', over: 'window functions (OVER)', allsome: 'ANY/ALL/SOME comparisons', databaseid: 'database-qualified names',
  using: 'JOIN … USING (write the ON condition)', natural: 'NATURAL JOIN (write the ON condition)', select: 'INSERT … SELECT',
  default: 'DEFAULT VALUES', orreplace: 'INSERT OR REPLACE', nocase: 'COLLATE', fetch: 'FETCH', percent: 'PERCENT',
  distinctOn: 'DISTINCT ON', window: 'WINDOW', with: 'WITH (common table expressions)', style: 'CONVERT(…, style)',
  returning: 'RETURNING', output: 'OUTPUT', group: 'GROUP BY', ignore: 'INSERT IGNORE',
};

/** What an alasql-only node kind is, for the error message. */
const KIND_NAME: Readonly<Record<string, string>> = {
  JavaScript: 'JavaScript expressions (``…``)', Json: 'JSON literals ({…} / […])', VarValue: '@variables',
  ArrayValue: 'ARRAY[…] values', DomainValueValue: 'VALUE', FromData: 'table functions and data sources in FROM',
  Search: 'SEARCH', Literal: 'literal blocks', Over: 'window functions (OVER)', GroupExpression: 'GROUPING SETS/CUBE/ROLLUP',
  WithSelect: 'WITH (common table expressions)', Union: 'UNION', Apply: 'APPLY',
};

const FIXES: readonly [RegExp, string][] = [
  [/ON\s+CONFLICT/i, 'upsert (INSERT … ON CONFLICT) is not SQL the driver can run: save() an entity loaded by its unique key, or use repository.upsert() when the driver offers it for that table.'],
  [/\bFOR\s+UPDATE\b|\bLOCK\b/i, 'locks do not exist in PingOne: remove setLock()/lock options.'],
  [/->|->>|::jsonb?|@>/i, 'JSON and ARRAY operators are not supported: select the column and read the value in code.'],
];

export function refuse(construct: string, hint = ''): never {
  throw new PingOneDriverError('UNSUPPORTED_STATEMENT',
    `The statement uses ${construct}, which the driver does not run. It runs standard SQLite-dialect SELECT (joins, WHERE, GROUP BY/HAVING, ` +
    `ORDER BY, LIMIT/OFFSET, CASE, CAST, sub-queries, COUNT/MIN/MAX/SUM/AVG, ${Object.keys(functionArity).join('/')}), INSERT … VALUES, UPDATE and DELETE.` +
    (hint ? ` ${hint}` : ''));
}

/** A fix-it hint for a statement that did not parse, for the constructs TypeORM users meet most. */
export function fixFor(sql: string): string {
  return FIXES.find(([re]) => re.test(sql))?.[1] ?? '';
}

export function guardStatement(statement: unknown, kindOf: KindOf): void {
  const kind = kindOf(statement);
  if (!['Select', 'Insert', 'Update', 'Delete'].includes(kind)) refuse(`the ${kind || 'unknown'} statement`, 'Only SELECT, INSERT, UPDATE and DELETE reach PingOne.');
  new Guard(kindOf).node(statement, kind);
}

class Guard {
  constructor(private readonly kindOf: KindOf) {}

  node(value: unknown, expected?: string): void {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) this.node(item, expected);
      return;
    }
    if (typeof value !== 'object') return;
    const node = value as AstNode;
    const kind = this.kindOf(node);
    if (expected && kind !== expected) refuse(KIND_NAME[kind] ?? `a ${kind || 'non-SQL'} node where ${expected} belongs`);
    const allowed = ALLOWED[kind];
    if (!allowed) refuse(KIND_NAME[kind] ?? `the alasql construct ${kind || '(unnamed)'}`);
    for (const [key, child] of Object.entries(node)) {
      if (child === undefined || child === null || child === false) continue;
      if (!allowed.has(key)) refuse(CONSTRUCT[key] ?? `'${key}' in ${kind}`);
    }
    this.check(kind, node);
  }

  private check(kind: string, n: AstNode): void {
    switch (kind) {
      case 'Select': return this.select(n);
      case 'Insert':
        this.node(n.into, 'Table');
        this.node(n.columns, 'Column');
        for (const row of Array.isArray(n.values) ? n.values : [n.values]) {
          if (!Array.isArray(row)) refuse('INSERT with a non-VALUES source');
          this.node(row);
        }
        return;
      case 'Update': this.node(n.table, 'Table'); this.node(n.columns, 'SetColumn'); this.node(n.where); return;
      case 'Delete': this.node(n.table, 'Table'); this.node(n.where); return;
      case 'SetColumn': this.node(n.column, 'Column'); this.node(n.expression); return;
      case 'Table': if (typeof n.tableid !== 'string') refuse('a computed table name'); return;
      case 'Join':
        if (!JOIN_MODES.has(String(n.joinmode ?? 'INNER').toUpperCase())) refuse(`${String(n.joinmode)} JOIN`, 'Write it as a LEFT JOIN with the tables swapped, or an INNER JOIN.');
        if (n.table) this.node(n.table, 'Table');
        if (n.select) this.node(n.select, 'Select');
        if (!n.table && !n.select) refuse('a JOIN source that is not a table or a sub-query');
        this.node(n.on);
        return;
      case 'Expression':
        if (n.direction !== undefined && !['ASC', 'DESC'].includes(String(n.direction))) refuse(`ORDER BY direction ${String(n.direction)}`);
        this.node(n.expression);
        return;
      case 'Column':
        if (typeof n.columnid !== 'string' || (n.tableid !== undefined && typeof n.tableid !== 'string')) refuse('a computed column reference');
        return;
      case 'ParamValue':
        // `?` parses as a number; `$n` (how alasql prints a sub-query's `?` back) as a numeric string
        if (typeof n.param !== 'number' && !/^\d+$/.test(String(n.param))) refuse(`the named parameter ${String(n.param)}`, 'Use positional ? parameters.');
        return;
      case 'NumValue': if (typeof n.value !== 'number') refuse('a non-numeric number literal'); return;
      case 'StringValue': if (typeof n.value !== 'string') refuse('a non-text string literal'); return;
      case 'Op': return this.op(n);
      case 'UniOp':
        if (n.op !== undefined && n.op !== null && !['NOT', '-', '+'].includes(String(n.op))) refuse(`the unary operator ${String(n.op)}`);
        this.node(n.right);
        return;
      case 'FuncValue': {
        const name = String(n.funcid).toUpperCase();
        const arity = functionArity[name];
        if (!arity) refuse(`the function ${String(n.funcid)}()`);
        const args = Array.isArray(n.args) ? n.args : [];
        if (args.length < arity[0] || args.length > arity[1]) {
          throw new PingOneDriverError('SQL_ERROR', `wrong number of arguments to function ${name}(): ${args.length} given, ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} expected.`);
        }
        this.node(args);
        return;
      }
      case 'AggrValue':
        if (!AGGREGATES.has(String(n.aggregatorid))) refuse(`the aggregate ${String(n.aggregatorid)}`, 'Aggregates: COUNT, MIN, MAX, SUM, AVG.');
        this.node(n.expression);
        return;
      case 'CaseValue':
        this.node(n.expression);
        for (const w of Array.isArray(n.whens) ? n.whens : []) {
          if (typeof w !== 'object' || w === null) refuse('a malformed CASE');
          const { when, then, ...rest } = w as AstNode;
          if (Object.values(rest).some((v) => v !== undefined)) refuse('a malformed CASE');
          this.node(when);
          this.node(then);
        }
        this.node(n.elses);
        return;
      case 'Convert':
        if (!CAST_TYPES.has(String(n.dbtypeid).toUpperCase())) refuse(`CAST to ${String(n.dbtypeid)}`, `Types: ${[...CAST_TYPES].join(', ')}.`);
        this.node(n.expression);
        return;
      case 'ExistsValue': this.node(n.value, 'Select'); return;
      default: return;
    }
  }

  private select(n: AstNode): void {
    this.node(n.columns);
    for (const item of Array.isArray(n.from) ? n.from : []) {
      const kind = this.kindOf(item);
      if (kind !== 'Table' && kind !== 'Select') refuse(KIND_NAME[kind] ?? 'table functions and data sources in FROM', 'FROM names tables (users, groups, populations, memberships) or sub-queries.');
      this.node(item, kind);
    }
    this.node(n.joins, 'Join');
    this.node(n.where);
    this.node(n.group);
    this.node(n.having);
    this.node(n.order, 'Expression');
    for (const bound of [n.limit, n.offset]) {
      const kind = this.kindOf(bound);
      if (bound !== undefined && kind !== 'NumValue' && kind !== 'ParamValue') refuse('a computed LIMIT or OFFSET', 'Use a number or a ? parameter.');
      this.node(bound);
    }
    this.node(n.exists, 'Select');
    this.node(n.queries, 'Select');
  }

  private op(n: AstNode): void {
    const op = String(n.op).toUpperCase();
    if (!OPERATORS.has(op)) refuse(`the operator ${String(n.op)}`, op === 'ILIKE' ? "SQLite has no ILIKE: write UPPER(x) LIKE UPPER(?) (TypeORM's ILike does)." : '');
    this.node(n.left);
    if (op === 'IS') {
      const right = n.right as AstNode | undefined;
      const target = this.kindOf(right) === 'UniOp' && right?.op === 'NOT' ? right.right : right;
      if (this.kindOf(target) !== 'NullValue') refuse('IS with something other than NULL', 'Write = or <>, or IS [NOT] NULL.');
      return;
    }
    if (op === 'IN' || op === 'NOT IN') {
      const kind = this.kindOf(n.right);
      if (!Array.isArray(n.right) && kind !== 'Select') refuse('IN over something other than a list or a sub-query');
      this.node(n.right);
      return;
    }
    if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
      this.node(n.right1);
      this.node(n.right2);
      return;
    }
    this.node(n.right);
    if (n.escape !== undefined) {
      if (op !== 'LIKE' && op !== 'NOT LIKE') refuse('ESCAPE outside LIKE');
      this.node(n.escape);
    }
  }
}
