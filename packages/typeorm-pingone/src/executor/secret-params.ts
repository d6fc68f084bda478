import { parseSql } from '../sql/alasql-engine';
import type { Expr, SelectNode, Statement } from '../sql/sql-ast';
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
 * A column is secret by name in any mapped table, so an alias the walk can't resolve still redacts.
 */
export function redactSecretParams(sql: string, params: readonly unknown[], mappings: ReadonlyMap<string, TableMapping> | undefined): unknown[] {
  if (!mappings || params.length === 0) return [...params];
  const secrets = secretColumns(mappings);
  if (secrets.size === 0) return [...params];
  const mentioned = [...secrets].some((name) => new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(sql));
  if (!mentioned) return [...params];
  let statement: Statement;
  try {
    statement = parseSql(sql).statement;
  } catch {
    // The statement names a secret column but can't be read: nothing tells which value is the secret.
    return params.map(() => `${REDACTED}: unparsable statement`);
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
    if (s.kind === 'insert') {
      s.columns.forEach((c, i) => { if (secret(c)) s.rows.forEach((row) => this.#params(row[i])); });
      s.rows.forEach((row) => row.forEach((e) => this.#expr(e)));
    } else if (s.kind === 'update') {
      s.set.forEach((item) => { if (secret(item.column)) this.#params(item.value); else this.#expr(item.value); });
      this.#expr(s.where);
    } else if (s.kind === 'delete') {
      this.#expr(s.where);
    } else if (s.kind === 'select') {
      this.#select(s.select);
    } else {
      this.opaque = true;
    }
  }

  #select(node: SelectNode): void {
    node.outputs.forEach((o) => this.#expr(o.expr));
    this.#expr(node.where);
    node.joins.forEach((j) => { this.#expr(j.on); if (j.source.k === 'derived') this.#select(j.source.select); });
    node.from.forEach((f) => { if (f.k === 'derived') this.#select(f.select); });
    [...node.orderBy, ...node.groupBy].forEach((e) => this.#expr(e));
    node.nested.forEach((n) => this.#select(n));
  }

  /** Any comparison touching a secret column marks every parameter on its other side. */
  #expr(e: Expr | undefined): void {
    if (!e) return;
    switch (e.k) {
      case 'op':
        // AND/OR join separate conditions: `password = ? OR username = ?` keeps the username visible.
        if (!LOGICAL.has(e.op.toUpperCase())) {
          if (this.#touchesSecret(e.left)) this.#params(e.right);
          if (this.#touchesSecret(e.right)) this.#params(e.left);
        }
        this.#expr(e.left);
        this.#expr(e.right);
        return;
      case 'in':
        if (this.#touchesSecret(e.left)) e.list.forEach((x) => this.#params(x));
        this.#expr(e.left);
        e.list.forEach((x) => this.#expr(x));
        return;
      case 'between':
        if (this.#touchesSecret(e.expr)) { this.#params(e.low); this.#params(e.high); }
        [e.expr, e.low, e.high].forEach((x) => this.#expr(x));
        return;
      case 'not': case 'isnull': this.#expr(e.expr); return;
      case 'func':
        // COALESCE(password, ?) or similar: a parameter beside a secret column is treated as the secret.
        if (e.args.some((a) => this.#touchesSecret(a))) e.args.forEach((a) => this.#params(a));
        e.args.forEach((a) => this.#expr(a));
        return;
      case 'subquery': this.#select(e.select); return;
      case 'other': this.opaque = true; e.subqueries.forEach((s) => this.#select(s)); return;
      default: return;
    }
  }

  #touchesSecret(e: Expr): boolean {
    switch (e.k) {
      case 'col': return this.secrets.has(e.column.toLowerCase());
      case 'op': return !LOGICAL.has(e.op.toUpperCase()) && (this.#touchesSecret(e.left) || this.#touchesSecret(e.right));
      case 'func': return e.args.some((a) => this.#touchesSecret(a));
      case 'not': case 'isnull': return this.#touchesSecret(e.expr);
      case 'subquery': return e.select.outputs.some((o) => this.#touchesSecret(o.expr));
      case 'other': return true;
      default: return false;
    }
  }

  /** Every parameter inside `e` (a value list, an arithmetic expression, a sub-query's parameters). */
  #params(e: Expr | undefined): void {
    if (!e) return;
    switch (e.k) {
      case 'param': this.indexes.add(e.index); return;
      case 'op': this.#params(e.left); this.#params(e.right); return;
      case 'in': this.#params(e.left); e.list.forEach((x) => this.#params(x)); return;
      case 'between': [e.expr, e.low, e.high].forEach((x) => this.#params(x)); return;
      case 'not': case 'isnull': this.#params(e.expr); return;
      case 'func': e.args.forEach((a) => this.#params(a)); return;
      case 'subquery': case 'other': this.opaque = true; return;
      default: return;
    }
  }
}
