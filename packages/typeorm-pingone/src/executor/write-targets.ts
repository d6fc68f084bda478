import { selectNode } from '../sql/select-node';
import type { Expr, SelectNode, Statement } from '../sql/sql-ast';
import { PingOneDriverError } from '../errors';
import { conjuncts, valueOf } from '../planner/pushdown';

/**
 * The rows an UPDATE/DELETE addresses, when its WHERE says so directly: TypeORM's save(), remove() and delete(id)
 * always write `"id" = ?` or `"id" IN (…)` (or, for junction rows, ORs of `("userId" = ? AND "groupId" = ?)`).
 * Anything else returns undefined and is resolved by running the WHERE through the read planner.
 */
export function directKeys(where: Expr | undefined, column: string, params: readonly unknown[]): string[] | undefined {
  const parts = conjuncts(where);
  if (parts.length !== 1) return undefined;
  const only = parts[0];
  const isColumn = (e: Expr) => e.k === 'col' && e.column === column;
  if (only.k === 'op' && only.op === '=') {
    const [col, val] = isColumn(only.left)
      ? [only.left, only.right]
      : isColumn(only.right)
        ? [only.right, only.left]
        : [undefined, undefined];
    const value = col && val ? valueOf(val, params) : undefined;
    return value?.ok && typeof value.value === 'string' ? [value.value] : undefined;
  }
  if (only.k === 'in' && !only.not && isColumn(only.left)) {
    const values = only.list.map((e) => valueOf(e, params));
    return values.every((v) => v.ok && typeof v.value === 'string') ? values.map((v) => (v as { value: string }).value) : undefined;
  }
  return undefined;
}

/** Junction rows named by a WHERE of ORs of `(user = ? AND group = ?)`, or undefined for any other shape. */
export function directPairs(
  where: Expr | undefined,
  memberColumn: string,
  groupColumn: string,
  params: readonly unknown[],
): [string, string][] | undefined {
  if (!where) return undefined;
  const disjuncts = (e: Expr): Expr[] => (e.k === 'op' && e.op === 'OR' ? [...disjuncts(e.left), ...disjuncts(e.right)] : [e]);
  const pairs: [string, string][] = [];
  for (const d of disjuncts(where)) {
    const found: Record<string, string> = {};
    for (const c of conjuncts(d)) {
      if (c.k !== 'op' || c.op !== '=' || c.left.k !== 'col') return undefined;
      const value = valueOf(c.right, params);
      if (!value.ok || typeof value.value !== 'string') return undefined;
      found[c.left.column] = value.value;
    }
    if (found[memberColumn] === undefined || found[groupColumn] === undefined || Object.keys(found).length !== 2) return undefined;
    pairs.push([found[memberColumn], found[groupColumn]]);
  }
  return pairs;
}

type TargetedWrite = Extract<Statement, { kind: 'update' | 'delete' }>;

const targetSelects = new WeakMap<TargetedWrite, Map<string, SelectNode>>();

/**
 * The SELECT of the rows an UPDATE/DELETE addresses: its own table, alias and WHERE tree (the WHERE that was parsed
 * and bound, nothing re-read from text), selecting `columns`. Kept per bound statement, so its binding is reused.
 */
export function targetSelect(statement: TargetedWrite, columns: readonly string[]): SelectNode {
  const key = columns.join('\u0000');
  let perStatement = targetSelects.get(statement);
  const hit = perStatement?.get(key);
  if (hit) return hit;
  const alias = statement.alias ?? statement.table;
  const select = selectNode({
    outputs: columns.map((column) => ({ expr: { k: 'col', table: alias, column }, as: undefined, text: column })),
    source: { k: 'item', item: { k: 'table', table: statement.table, alias } },
    where: statement.where,
    groupBy: [],
    having: undefined,
    distinct: false,
    order: [],
    limitExpr: undefined,
    offsetExpr: undefined,
  });
  if (!perStatement) {
    perStatement = new Map();
    targetSelects.set(statement, perStatement);
  }
  perStatement.set(key, select);
  return select;
}

/** An INSERT row's values by column; checked for every row before the first is sent, so a refusal sends nothing. */
export function insertValues(
  statement: { readonly table: string; readonly columns: readonly string[] },
  row: readonly Expr[],
  params: readonly unknown[],
): Map<string, unknown> {
  return new Map(
    statement.columns.map((c, i) => {
      const v = valueOf(row[i], params);
      if (!v.ok)
        throw new PingOneDriverError(
          'UNSUPPORTED_STATEMENT',
          `INSERT into '${statement.table}': the value of '${c}' must be a literal or a parameter; nothing was sent.`,
        );
      return [c, v.value] as const;
    }),
  );
}
