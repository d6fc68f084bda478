import {
  caseRuleOf,
  DIRECTORY_ENDPOINTS,
  FILTER_CAPABILITIES,
  scim,
  type ScimComparisonOperator,
  type ScimFilter,
} from '@typeorm-pingone/client';
import { isCoreResource } from '../mapping/attribute-catalog';
import { walkExpr, type Expr } from '../sql/sql-ast';
import type { ColumnMapping, ResourceTableMapping } from '../mapping/table-mapping';
import { caseRobust } from './case-variants';

/**
 * IN lists up to this long are pushed as an or-of-eq filter: the executor sends it in parts that each fit the
 * request-size budget, at the same time (500 usernames are a handful of requests, not a scan of every user).
 */
const MAX_IN_PUSHED = 1000;

/**
 * WHERE conjuncts → SCIM filters PingOne accepts, per the client's capability table minus the cells this DataSource
 * saw PingOne refuse (`mapping.refusals`). A pushed filter only has to select a superset of the rows the SQL wants,
 * under either of PingOne's plausible case rules: the full WHERE always runs again locally. `exact` says whether
 * PingOne's answer equals the SQL's (strings may match case-insensitively, SQL's `=` doesn't), which decides
 * whether PingOne's `count` can answer a COUNT(*) alone.
 */
export interface Pushed {
  readonly filter: ScimFilter;
  readonly exact: boolean;
}

/** Attributes whose PingOne comparison is exact: ids and booleans (strings match case-insensitively). */
function isExact(column: ColumnMapping): boolean {
  return column.attribute === 'id' || column.attribute.endsWith('.id') || column.kind === 'boolean';
}

/**
 * The attribute's name in a filter: its path, except where PingOne spells it otherwise (an audit activity's
 * `recordedAt` is filtered as `recordedat`, FILTER_CAPABILITIES filterNames).
 */
export function filterNameOf(mapping: Pick<ResourceTableMapping, 'resource'>, column: Pick<ColumnMapping, 'attribute'>): string {
  return FILTER_CAPABILITIES[mapping.resource].filterNames?.[column.attribute] ?? column.attribute;
}

/** Operators the capability table claims for a column, before any refusal. */
function claimedOperators(mapping: ResourceTableMapping, column: ColumnMapping): readonly ScimComparisonOperator[] {
  const caps = FILTER_CAPABILITIES[mapping.resource];
  // A table read from several lists (roles: the built-in ones and the environment's) takes no filter of the statement's.
  if (!isCoreResource(mapping.resource) && DIRECTORY_ENDPOINTS[mapping.resource].sources.length > 1) return [];
  const known = caps.attributes[filterNameOf(mapping, column)];
  if (known) return known;
  if (!column.custom) return [];
  return column.allowsContains ? [...caps.customAttributeOperators, ...caps.customContainsOperators] : caps.customAttributeOperators;
}

/** Operators the planner may push on a column: claimed, and not refused by PingOne for this DataSource. */
export function operatorsFor(mapping: ResourceTableMapping, column: ColumnMapping): readonly ScimComparisonOperator[] {
  const claimed = claimedOperators(mapping, column);
  const refusals = mapping.refusals;
  return refusals?.any ? claimed.filter((op) => !refusals.refused(mapping.resource, `${filterNameOf(mapping, column)} ${op}`)) : claimed;
}

/**
 * A LIKE piece as a filter that is a superset under both case rules: as it is where PingOne documents the attribute's
 * comparison as case-insensitive (username, email), else the OR of its case variants (case-variants.ts).
 */
function likeFilter(mapping: ResourceTableMapping, column: ColumnMapping, operator: 'sw' | 'ew' | 'co', text: string): Pushed | undefined {
  const insensitive = !column.custom && caseRuleOf(mapping.resource, column.attribute) === 'insensitive';
  const name = filterNameOf(mapping, column);
  if (insensitive) return { filter: scim[operator](name, text), exact: false };
  const variants = caseRobust(operator, name, text);
  // several case variants are an OR: not where PingOne takes `and` alone (environments)
  if (variants.kind === 'or' && !FILTER_CAPABILITIES[mapping.resource].logicalOperators.includes('or')) return undefined;
  return { filter: variants, exact: false };
}

/** A bound value in PingOne's terms, or undefined when it can't be expressed (dates, objects). */
function apiValue(column: ColumnMapping, value: unknown): string | boolean | undefined {
  if (column.kind === 'boolean') return value === 1 || value === true ? true : value === 0 || value === false ? false : undefined;
  if (column.kind === 'string' || column.kind === 'array')
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  return undefined;
}

export function valueOf(expr: Expr, params: readonly unknown[]): { ok: true; value: unknown } | { ok: false } {
  if (expr.k === 'param') return expr.index < params.length ? { ok: true, value: params[expr.index] } : { ok: false };
  if (expr.k === 'lit') return { ok: true, value: expr.value };
  return { ok: false };
}

function columnOf(expr: Expr, alias: string, mapping: ResourceTableMapping): ColumnMapping | undefined {
  if (expr.k === 'func' && expr.name === 'UPPER' && expr.args.length === 1) return columnOf(expr.args[0], alias, mapping);
  if (expr.k !== 'col' || (expr.table !== undefined && expr.table !== alias)) return undefined;
  return mapping.byColumn.get(expr.column);
}

function unwrapUpper(expr: Expr): Expr {
  return expr.k === 'func' && expr.name === 'UPPER' && expr.args.length === 1 ? expr.args[0] : expr;
}

/** `col = v` as SCIM: eq where supported, else sw (a superset) where only sw is, else nothing. */
function equality(mapping: ResourceTableMapping, column: ColumnMapping, raw: unknown): Pushed | undefined {
  const value = apiValue(column, raw);
  if (value === undefined || value === '') return undefined;
  const ops = operatorsFor(mapping, column);
  const name = filterNameOf(mapping, column);
  if (ops.includes('eq')) return { filter: scim.eq(name, value), exact: isExact(column) };
  if (ops.includes('sw') && typeof value === 'string') return { filter: scim.sw(name, value), exact: false };
  return undefined;
}

/** A wildcard, or text to match as it is (an escaped `%` or `_` is text, never a wildcard). */
type LikeToken = '%' | '_' | { readonly text: string };

/**
 * A LIKE pattern as text and wildcards, read with its ESCAPE character (an escaped `%`, `_` or escape is literal
 * text). Undefined when SQLite would refuse the ESCAPE (not one character) or match nothing (a trailing escape).
 */
function likeTokens(pattern: string, escape: string | undefined): LikeToken[] | undefined {
  const esc = escape === undefined ? undefined : [...escape];
  if (esc !== undefined && esc.length !== 1) return undefined;
  const tokens: LikeToken[] = [];
  let text = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (esc !== undefined && ch === esc[0]) {
      if (i + 1 >= chars.length) return undefined;
      text += chars[++i];
    } else if (ch === '%' || ch === '_') {
      if (text) tokens.push({ text });
      text = '';
      tokens.push(ch);
    } else {
      text += ch;
    }
  }
  if (text) tokens.push({ text });
  return tokens;
}

/** Text both case rules compare alike: ASCII without letters (LIKE folds ASCII letters only). */
const caseFree = (text: string) => /^\p{ASCII}*$/u.test(text) && !/[A-Za-z]/.test(text);

/**
 * LIKE patterns PingOne can serve: 'abc%' → sw, '%abc' → ew, '%abc%' → co; 'abc' → eq where the attribute's case
 * rule is known to be insensitive or the text has no letters ('100'), else sw (LIKE ignores case, a case-sensitive
 * `eq` would miss `ABC`); inner wildcards aren't.
 */
function like(mapping: ResourceTableMapping, column: ColumnMapping, pattern: unknown, escape: unknown): Pushed | undefined {
  if (typeof pattern !== 'string' || column.kind !== 'string') return undefined;
  if (escape !== undefined && typeof escape !== 'string') return undefined;
  const tokens = likeTokens(pattern, escape);
  if (!tokens) return undefined;
  const ops = operatorsFor(mapping, column);
  const shape = tokens.map((t) => (typeof t === 'string' ? t : 'text')).join(' ');
  const text = tokens.find((t): t is { readonly text: string } => typeof t !== 'string')?.text;
  if (text === undefined) return undefined;
  if (shape === 'text %' && ops.includes('sw')) return likeFilter(mapping, column, 'sw', text);
  if (shape === '% text' && ops.includes('ew')) return likeFilter(mapping, column, 'ew', text);
  if (shape === '% text %' && ops.includes('co')) return likeFilter(mapping, column, 'co', text);
  if (shape !== 'text') return undefined;
  if (caseFree(text) || (!column.custom && caseRuleOf(mapping.resource, column.attribute) === 'insensitive'))
    return equality(mapping, column, text);
  return ops.includes('sw') ? likeFilter(mapping, column, 'sw', text) : undefined;
}

export function translate(expr: Expr, alias: string, mapping: ResourceTableMapping, params: readonly unknown[]): Pushed | undefined {
  const caps = FILTER_CAPABILITIES[mapping.resource];
  switch (expr.k) {
    case 'op': {
      if (expr.op === 'AND' || expr.op === 'OR') {
        const left = translate(expr.left, alias, mapping, params);
        const right = translate(expr.right, alias, mapping, params);
        if (!left || !right || !caps.logicalOperators.includes(expr.op === 'AND' ? 'and' : 'or')) {
          // For AND, one translatable side still narrows the fetch; OR needs both.
          if (expr.op === 'AND') return (left ?? right) ? { filter: (left ?? right)!.filter, exact: false } : undefined;
          return undefined;
        }
        return {
          filter: expr.op === 'AND' ? scim.and(left.filter, right.filter) : scim.or(left.filter, right.filter),
          exact: left.exact && right.exact,
        };
      }
      if (expr.op === '=') {
        for (const [c, v] of [
          [expr.left, expr.right],
          [expr.right, expr.left],
        ] as const) {
          const column = columnOf(c, alias, mapping);
          const value = valueOf(v, params);
          if (column && value.ok && c.k === 'col') return equality(mapping, column, value.value);
        }
        return undefined;
      }
      if (expr.op === '<' || expr.op === '<=' || expr.op === '>' || expr.op === '>=') {
        for (const [c, v, op] of [
          [expr.left, expr.right, expr.op],
          [expr.right, expr.left, FLIPPED[expr.op]],
        ] as const) {
          const column = c.k === 'col' ? columnOf(c, alias, mapping) : undefined;
          const value = valueOf(v, params);
          if (column && value.ok) return range(mapping, column, op, value.value);
        }
        return undefined;
      }
      if (expr.op === 'LIKE') {
        const column = columnOf(expr.left, alias, mapping);
        const value = valueOf(unwrapUpper(expr.right), params);
        const escape = expr.escape === undefined ? { ok: true as const, value: undefined } : valueOf(expr.escape, params);
        return column && value.ok && escape.ok ? like(mapping, column, value.value, escape.value) : undefined;
      }
      return undefined;
    }
    case 'in': {
      const column = columnOf(expr.left, alias, mapping);
      if (!column || expr.not || expr.left.k !== 'col' || expr.list.length === 0 || expr.list.length > MAX_IN_PUSHED) return undefined;
      if (expr.list.length > 1 && !caps.logicalOperators.includes('or')) return undefined;
      const parts: Pushed[] = [];
      for (const item of expr.list) {
        const value = valueOf(item, params);
        const part = value.ok ? equality(mapping, column, value.value) : undefined;
        if (!part) return undefined;
        parts.push(part);
      }
      return { filter: scim.or(...parts.map((p) => p.filter)), exact: parts.every((p) => p.exact) };
    }
    case 'between': {
      const column = columnOf(expr.expr, alias, mapping);
      const low = valueOf(expr.low, params);
      const high = valueOf(expr.high, params);
      if (!column || expr.not || expr.expr.k !== 'col' || !low.ok || !high.ok || !caps.logicalOperators.includes('and')) return undefined;
      const from = range(mapping, column, '>=', low.value);
      const to = range(mapping, column, '<=', high.value);
      return from && to ? { filter: scim.and(from.filter, to.filter), exact: false } : (from ?? to);
    }
    default:
      return undefined;
  }
}

const FLIPPED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

/**
 * `col < v` (and `<=`, `>`, `>=`) on a datetime where PingOne takes ranges (an audit activity's recordedAt, a
 * license's beginsAt): pushed inclusive (`ge`, `le`, or `gt`/`lt` a millisecond wider), so the filter is a superset
 * whatever the value's precision (SQL compares the stored text; `> '2024-05-01'` holds from midnight on).
 */
function range(mapping: ResourceTableMapping, column: ColumnMapping, op: '<' | '<=' | '>' | '>=', raw: unknown): Pushed | undefined {
  if (column.kind !== 'datetime') return undefined;
  const at = instantOf(raw);
  if (at === undefined) return undefined;
  const ops = operatorsFor(mapping, column);
  const name = filterNameOf(mapping, column);
  const shifted = (ms: number) => new Date(at + ms).toISOString();
  if (op === '>' || op === '>=') {
    if (ops.includes('ge')) return { filter: scim.ge(name, shifted(0)), exact: false };
    return ops.includes('gt') ? { filter: scim.gt(name, shifted(-1)), exact: false } : undefined;
  }
  if (ops.includes('le')) return { filter: scim.le(name, shifted(0)), exact: false };
  return ops.includes('lt') ? { filter: scim.lt(name, shifted(1)), exact: false } : undefined;
}

/** A bound value as an instant: a Date, or text in ISO or SQLite form (`2024-05-01 10:00:00.000`, UTC), else undefined. */
function instantOf(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d/.test(value)) return undefined;
  const text = /[zZ]$|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}${value.length === 10 ? 'T00:00:00' : ''}Z`;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/** Top-level AND conjuncts of a WHERE. */
export function conjuncts(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  if (expr.k === 'op' && expr.op === 'AND') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

/** The aliases an expression refers to (undefined table → the single FROM table); a sub-query counts as unknown. */
export function aliasesIn(expr: Expr, out = new Set<string | undefined>()): Set<string | undefined> {
  walkExpr(expr, (e) => {
    if (e.k === 'col') out.add(e.table);
    else if (e.k === 'subquery' || e.k === 'exists' || e.k === 'star') out.add('\u0000subquery');
  });
  return out;
}
