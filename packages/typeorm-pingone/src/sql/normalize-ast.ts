import { PingOneDriverError } from '../errors';
import type { Expr, FromItem, JoinItem, SelectNode, Statement } from './sql-ast';

/**
 * alasql's parser output → the driver's own tree (sql-ast.ts). alasql nodes are class instances (Op, Column,
 * ParamValue, Select, …); their class name is the discriminant, as the shapes in alasql.d.ts document.
 */
type Node = Record<string, unknown> & { constructor: { name: string } };

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null;
}

const cls = (node: unknown) => (isNode(node) ? node.constructor.name : '');

function collectSelects(value: unknown, out: SelectNode[], depth = 0): void {
  if (depth > 50 || !isNode(value)) return;
  if (cls(value) === 'Select') {
    out.push(normalizeSelect(value));
    return;
  }
  for (const child of Object.values(value)) {
    if (Array.isArray(child)) for (const item of child) collectSelects(item, out, depth + 1);
    else collectSelects(child, out, depth + 1);
  }
}

export function normalizeExpr(node: unknown): Expr {
  if (!isNode(node)) return { k: 'other', subqueries: [] };
  // Function calls are instances of an anonymous class in alasql: recognise them by their fields.
  if (typeof node.funcid === 'string') {
    return { k: 'func', name: node.funcid.toUpperCase(), args: (Array.isArray(node.args) ? node.args : []).map(normalizeExpr) };
  }
  switch (cls(node)) {
    case 'Expression':
      return normalizeExpr(node.expression);
    case 'Column':
      return { k: 'col', table: typeof node.tableid === 'string' ? node.tableid : undefined, column: String(node.columnid) };
    case 'ParamValue':
      return { k: 'param', index: Number(node.param) };
    case 'NumValue':
    case 'StringValue':
    case 'LogicValue':
      return { k: 'lit', value: node.value as string | number | boolean };
    case 'NullValue':
      return { k: 'lit', value: null };
    case 'FuncValue':
      return { k: 'func', name: String(node.funcid).toUpperCase(), args: (Array.isArray(node.args) ? node.args : []).map(normalizeExpr) };
    case 'Select': {
      let sql: string | undefined;
      try {
        sql = String(node.toString());
      } catch {
        sql = undefined; // alasql can't print every node; the sub-query then just isn't used for key pushdown
      }
      return { k: 'subquery', select: normalizeSelect(node), ...(sql ? { sql } : {}) };
    }
    case 'AggrValue':
      return { k: 'func', name: String(node.aggregatorid).toUpperCase(), args: node.expression === undefined ? [] : [normalizeExpr(node.expression)] };
    case 'ExistsValue':
      return { k: 'func', name: 'EXISTS', args: [normalizeExpr(node.value)] };
    case 'UniOp': {
      if (node.op === 'NOT') {
        const inner = normalizeExpr(node.right);
        // NOT(x IS NULL), TypeORM's Not(IsNull()), is x IS NOT NULL.
        return inner.k === 'isnull' ? { ...inner, not: !inner.not } : { k: 'not', expr: inner };
      }
      if (node.op === null || node.op === undefined) return normalizeExpr(node.right); // parentheses
      break;
    }
    case 'Op':
      return normalizeOp(node);
  }
  const subqueries: SelectNode[] = [];
  collectSelects(node, subqueries);
  return { k: 'other', subqueries };
}

function normalizeOp(node: Node): Expr {
  const op = String(node.op).toUpperCase();
  const left = normalizeExpr(node.left);
  if (op === 'IN' || op === 'NOT IN') {
    const list = Array.isArray(node.right) ? node.right.map(normalizeExpr) : [normalizeExpr(node.right)];
    return { k: 'in', left, list, not: op === 'NOT IN' };
  }
  if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
    return { k: 'between', expr: left, low: normalizeExpr(node.right1), high: normalizeExpr(node.right2), not: op === 'NOT BETWEEN' };
  }
  if (op === 'IS') {
    const right = node.right;
    const negated = cls(right) === 'UniOp' && isNode(right) && right.op === 'NOT';
    const target = negated && isNode(right) ? right.right : right;
    if (cls(target) === 'NullValue') return { k: 'isnull', expr: left, not: negated };
  }
  const escape = node.escape === undefined ? undefined : normalizeExpr(node.escape);
  return { k: 'op', op, left, right: normalizeExpr(node.right), ...(escape ? { escape } : {}) };
}

function fromItem(node: unknown): FromItem {
  if (!isNode(node)) throw new PingOneDriverError('SQL_ERROR', 'Unsupported FROM clause.');
  const alias = typeof node.as === 'string' ? node.as : undefined;
  if (cls(node) === 'Table') return { k: 'table', table: String(node.tableid), alias: alias ?? String(node.tableid) };
  if (cls(node) === 'Select') return { k: 'derived', select: normalizeSelect(node), alias: alias ?? '' };
  throw new PingOneDriverError('UNSUPPORTED_STATEMENT', `The FROM item ${cls(node)} is not supported; select from the tables users, groups, populations or a sub-query.`);
}

function joinItem(node: Node): JoinItem {
  const source: FromItem = isNode(node.table)
    ? { k: 'table', table: String(node.table.tableid), alias: typeof node.as === 'string' ? node.as : String(node.table.tableid) }
    : isNode(node.select) ? { k: 'derived', select: normalizeSelect(node.select), alias: String(node.as ?? '') }
      : fromItem(node);
  return { mode: String(node.joinmode ?? 'INNER').toUpperCase(), source, on: node.on === undefined ? undefined : normalizeExpr(node.on) };
}

function literalNumber(node: unknown): number | undefined {
  return isNode(node) && typeof node.value === 'number' ? node.value : undefined;
}

/**
 * `SELECT COUNT(*)` (or COUNT(1), or COUNT(DISTINCT id) as TypeORM's count() writes it) alone, without grouping,
 * HAVING, DISTINCT or paging: the only shape PingOne's `count` answers. Its output name: the alias, or SQLite's
 * name for an unaliased column ("COUNT(*)").
 */
function countAlias(node: Node, columns: unknown[]): string | undefined {
  const only = columns[0];
  if (columns.length !== 1 || cls(only) !== 'AggrValue' || !isNode(only) || only.aggregatorid !== 'COUNT') return undefined;
  if (node.group || node.having || node.distinct || node.limit || node.offset) return undefined;
  const expression = unparenthesized(only.expression);
  const star = isNode(expression) && cls(expression) === 'Column' && expression.columnid === '*';
  const literal = isNode(expression) && (cls(expression) === 'NumValue' || cls(expression) === 'StringValue');
  const idColumn = isNode(expression) && cls(expression) === 'Column' && only.distinct === true;
  if (!star && !literal && !idColumn) return undefined;
  if ((star || literal) && only.distinct === true) return undefined;
  return typeof only.as === 'string' ? only.as : String(only.toString());
}

/** COUNT(DISTINCT x): the column x, which must be the table's id for PingOne's count to answer it. */
function countDistinctColumn(columns: unknown[]): string | undefined {
  const only = columns[0];
  const expression = isNode(only) ? unparenthesized(only.expression) : undefined;
  if (!isNode(only) || only.distinct !== true || !isNode(expression) || cls(expression) !== 'Column') return undefined;
  return String(expression.columnid);
}

/** `(x)` is x: TypeORM writes `COUNT(DISTINCT("User"."id"))`, which alasql parses as a parenthesis around the column. */
function unparenthesized(node: unknown): unknown {
  let current = node;
  while (isNode(current) && cls(current) === 'UniOp' && (current.op === null || current.op === undefined)) current = current.right;
  return current;
}

export function normalizeSelect(node: Node): SelectNode {
  if (node.union || node.unionall || node.except || node.intersect) {
    throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'UNION, EXCEPT and INTERSECT are not supported; run the SELECTs separately and combine the results in code.');
  }
  const columns = Array.isArray(node.columns) ? node.columns : [];
  const nested: SelectNode[] = [];
  for (const part of [node.columns, node.having, node.order, node.group]) collectSelects(part, nested);
  const aggregate = columns.some((c) => cls(c) === 'AggrValue');
  return {
    outputs: columns.map((c) => ({ expr: normalizeExpr(c), as: isNode(c) && typeof c.as === 'string' ? c.as : undefined })),
    orderBy: (Array.isArray(node.order) ? node.order : []).map(normalizeExpr),
    groupBy: (Array.isArray(node.group) ? node.group : []).map(normalizeExpr),
    from: (Array.isArray(node.from) ? node.from : []).map(fromItem),
    joins: (Array.isArray(node.joins) ? node.joins : []).filter(isNode).map(joinItem),
    where: node.where === undefined ? undefined : normalizeExpr(node.where),
    nested,
    hasGroupBy: Array.isArray(node.group) && node.group.length > 0,
    hasOrderBy: Array.isArray(node.order) && node.order.length > 0,
    hasDistinct: node.distinct === true,
    hasAggregate: aggregate || node.having !== undefined,
    limit: literalNumber(node.limit),
    offset: literalNumber(node.offset),
    countAlias: countAlias(node, columns),
    countDistinct: countDistinctColumn(columns),
  };
}

export function normalizeStatement(node: unknown, sql: string): Statement {
  const keyword = sql.trim().split(/\s+/)[0]!.toUpperCase();
  if (!isNode(node)) return { kind: 'other', keyword };
  if (cls(node) === 'Select') return { kind: 'select', select: normalizeSelect(node) };
  if (keyword === 'INSERT' && isNode(node.into)) {
    const values = Array.isArray(node.values) ? node.values : [];
    return {
      kind: 'insert',
      table: String(node.into.tableid),
      columns: (Array.isArray(node.columns) ? node.columns : []).map((c) => String((c as Node).columnid)),
      rows: values.map((row) => (Array.isArray(row) ? row.map(normalizeExpr) : [])),
    };
  }
  if (keyword === 'UPDATE' && isNode(node.table)) {
    return {
      kind: 'update',
      table: String(node.table.tableid),
      set: (Array.isArray(node.columns) ? node.columns : []).map((c) => ({ column: String(((c as Node).column as Node).columnid), value: normalizeExpr((c as Node).expression) })),
      where: node.where === undefined ? undefined : normalizeExpr(node.where),
    };
  }
  if (keyword === 'DELETE' && isNode(node.table)) {
    return { kind: 'delete', table: String(node.table.tableid), where: node.where === undefined ? undefined : normalizeExpr(node.where) };
  }
  return { kind: 'other', keyword };
}
