import { parseSql } from '../sql/sql-engine';
import { childExprs, walkExpr, type Expr, type SelectNode, type Statement } from '../sql/sql-ast';
import type { TableMapping } from '../mapping/table-mapping';

const REDACTED = '[REDACTED]';
const LOGICAL = new Set(['AND', 'OR']);

/** Column names that hold a write-only secret (a user's password) in any mapped table. */
function secretColumns(mappings: ReadonlyMap<string, TableMapping>): ReadonlySet<string> {
  const names = new Set<string>();
  for (const mapping of mappings.values()) {
    if (mapping.kind === 'resource') for (const c of mapping.columns) if (c.writeOnly) names.add(c.column.toLowerCase());
  }
  return names;
}

/**
 * Parameters with write-only secrets (a user's password) replaced, for the TypeORM logger and error texts: TypeORM
 * logs every query with its parameters, and a password must never reach a log line, whether it is written
 * (INSERT/UPDATE values) or compared (`findBy({ password })`, a raw `WHERE password = ?`, IN lists, sub-queries).
 * A column is secret by name in any mapped table, so an alias the walk can't resolve still redacts. The statement
 * is read by the same parse that runs it (cached by its text).
 */
export function redactSecretParams(
  sql: string,
  params: readonly unknown[],
  mappings: ReadonlyMap<string, TableMapping> | undefined,
): unknown[] {
  if (!mappings || params.length === 0) return [...params];
  const secrets = secretColumns(mappings);
  if (secrets.size === 0) return [...params];
  let statement: Statement;
  try {
    statement = parseSql(sql).statement;
  } catch {
    // A statement that can't be read: nothing tells which value is a secret.
    return params.map((p) => (p === null ? p : `${REDACTED}: unparsable statement`));
  }
  const found = new SecretParamFinder(secrets);
  found.statement(statement);
  if (found.opaque) return params.map((p) => (p === null ? p : REDACTED));
  return params.map((p, i) => (found.indexes.has(i) && p !== null ? REDACTED : p));
}

/** Walks a statement for parameters written to, or compared with, a secret column. */
class SecretParamFinder {
  readonly indexes = new Set<number>();
  /** A part of the statement the walk can't see into mentions a secret column: every parameter is redacted. */
  opaque = false;

  constructor(private readonly secrets: ReadonlySet<string>) {}

  statement(s: Statement): void {
    const secret = (column: string) => this.secrets.has(column.toLowerCase());
    switch (s.kind) {
      case 'insert':
        s.columns.forEach((c, i) => {
          if (secret(c)) s.rows.forEach((row) => this.#params(row[i]));
        });
        s.rows.forEach((row) => row.forEach((e) => this.#expr(e)));
        s.upsert?.set?.forEach((item) => {
          if (secret(item.column)) this.#params(item.value);
          else this.#expr(item.value);
        });
        return;
      case 'update':
        s.set.forEach((item) => {
          if (secret(item.column)) this.#params(item.value);
          else this.#expr(item.value);
        });
        this.#expr(s.where);
        return;
      case 'delete':
        this.#expr(s.where);
        return;
      case 'select':
        this.#select(s.select);
        return;
      case 'explain':
        this.statement(s.statement);
        return;
      case 'control':
        return;
      default:
        this.opaque = true;
    }
  }

  #select(node: SelectNode): void {
    node.outputs.forEach((o) => this.#expr(o.expr));
    this.#expr(node.where);
    this.#expr(node.having);
    node.joins.forEach((j) => {
      this.#expr(j.on);
      if (j.source.k === 'derived') this.#select(j.source.select);
    });
    node.from.forEach((f) => {
      if (f.k === 'derived') this.#select(f.select);
    });
    [...node.orderBy, ...node.groupBy].forEach((e) => this.#expr(e));
    [node.limitExpr, node.offsetExpr].forEach((e) => this.#expr(e));
  }

  /** Any comparison or call touching a secret column marks every parameter on its other side. */
  #expr(root: Expr | undefined): void {
    walkExpr(root, (e) => {
      if (e.k === 'subquery' || e.k === 'exists') this.#select(e.select);
      // AND/OR join separate conditions: `password = ? OR username = ?` keeps the username visible
      if (e.k === 'op' && LOGICAL.has(e.op)) return;
      if (e.k === 'op' || e.k === 'in' || e.k === 'between' || e.k === 'func' || e.k === 'case') {
        const parts = childExprs(e);
        if (parts.some((x) => this.#touchesSecret(x))) parts.forEach((x) => this.#params(x));
      }
    });
  }

  #touchesSecret(root: Expr): boolean {
    let found = false;
    walkExpr(root, (e) => {
      if (e.k === 'col' && this.secrets.has(e.column.toLowerCase())) found = true;
      if ((e.k === 'subquery' || e.k === 'exists') && e.select.outputs.some((o) => this.#touchesSecret(o.expr))) found = true;
    });
    return found;
  }

  /** Every parameter inside `e` (a value list, an arithmetic expression); a sub-query's parameters: all of them. */
  #params(root: Expr | undefined): void {
    walkExpr(root, (e) => {
      if (e.k === 'param') this.indexes.add(e.index);
      else if (e.k === 'subquery' || e.k === 'exists') this.opaque = true;
    });
  }
}
