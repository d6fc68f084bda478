import type { Expr } from './sql-ast';

/** Longest text `exprText` returns: a plan shows conditions, not whole IN lists. */
const MAX_TEXT = 300;

const BARE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const name = (n: string) => (BARE.test(n) ? n : `"${n.replace(/"/g, '""')}"`);

function literal(e: Expr & { k: 'lit' }): string {
  if (e.value === null) return 'NULL';
  if (typeof e.value === 'string') return `'${e.value.replace(/'/g, "''")}'`;
  if (e.big !== undefined) return e.big;
  return e.real && Number.isInteger(e.value) ? `${e.value}.0` : String(e.value);
}

/** A child written inside an operator: parenthesized unless it is a single term. */
function term(e: Expr, out: string[]): void {
  const simple =
    e.k === 'col' || e.k === 'lit' || e.k === 'param' || e.k === 'func' || e.k === 'subquery' || e.k === 'cast' || e.k === 'star';
  if (!simple) out.push('(');
  write(e, out);
  if (!simple) out.push(')');
}

function list(items: readonly Expr[], out: string[]): void {
  items.forEach((item, i) => {
    if (i > 0) out.push(', ');
    write(item, out);
  });
}

function write(e: Expr, out: string[]): void {
  // enough text for the cut: an IN list of thousands of values is not written out
  if (out.length > MAX_TEXT) return;
  switch (e.k) {
    case 'col':
      out.push(e.table === undefined ? name(e.column) : `${name(e.table)}.${name(e.column)}`);
      return;
    case 'param':
      out.push(`?${e.index + 1}`);
      return;
    case 'lit':
      out.push(literal(e));
      return;
    case 'star':
      out.push(e.table === undefined ? '*' : `${name(e.table)}.*`);
      return;
    case 'op':
      term(e.left, out);
      out.push(` ${e.op} `);
      term(e.right, out);
      if (e.escape) {
        out.push(' ESCAPE ');
        term(e.escape, out);
      }
      return;
    case 'in':
      term(e.left, out);
      out.push(e.not ? ' NOT IN (' : ' IN (');
      if (e.subquery) out.push('SELECT …');
      else list(e.list, out);
      out.push(')');
      return;
    case 'between':
      term(e.expr, out);
      out.push(e.not ? ' NOT BETWEEN ' : ' BETWEEN ');
      term(e.low, out);
      out.push(' AND ');
      term(e.high, out);
      return;
    case 'not':
      out.push('NOT ');
      term(e.expr, out);
      return;
    case 'isnull':
      term(e.expr, out);
      out.push(e.not ? ' IS NOT NULL' : ' IS NULL');
      return;
    case 'unary':
      out.push(e.op);
      term(e.expr, out);
      return;
    case 'func':
      out.push(`${e.name}(${e.distinct ? 'DISTINCT ' : ''}`);
      if (e.star) out.push('*');
      else list(e.args, out);
      out.push(')');
      return;
    case 'case':
      out.push('CASE');
      if (e.subject) {
        out.push(' ');
        term(e.subject, out);
      }
      for (const w of e.whens) {
        out.push(' WHEN ');
        write(w.when, out);
        out.push(' THEN ');
        write(w.then, out);
      }
      if (e.otherwise) {
        out.push(' ELSE ');
        write(e.otherwise, out);
      }
      out.push(' END');
      return;
    case 'cast':
      out.push('CAST(');
      write(e.expr, out);
      out.push(` AS ${e.type})`);
      return;
    case 'collate':
      term(e.expr, out);
      out.push(` COLLATE ${name(e.collation)}`);
      return;
    case 'subquery':
      out.push('(SELECT …)');
      return;
    case 'exists':
      out.push('EXISTS (SELECT …)');
      return;
  }
}

/**
 * An expression of the driver's tree as SQL text, for plans (EXPLAIN, the example app's plan page): canonical names,
 * literals quoted as SQL quotes them, sub-selects as `(SELECT …)`, cut at about 300 characters. For showing only:
 * nothing parses or runs this text.
 */
export function exprText(e: Expr): string {
  const out: string[] = [];
  write(e, out);
  const text = out.join('');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
