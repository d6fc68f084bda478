import { selectsIn, type Expr, type SelectNode } from '../sql/sql-ast';
import type { ResourceTableMapping, TableMapping } from '../mapping/table-mapping';
import { FILTER_CAPABILITIES, filterCells, type ScimFilter } from '@typeorm-pingone/client';
import { aliasesIn, conjuncts, translate, valueOf, type Pushed } from './pushdown';

/** `alias.column = other.column`, where `other` is loaded before `alias`: its values become keys for the fetch. */
export interface KeyBinding {
  readonly column: string;
  readonly fromAlias: string;
  readonly fromColumn: string;
}

/** What the SQL tells us about the rows one alias needs, before any request. */
export interface AliasConstraints {
  /** constant values per column (`col = ?`, `col IN (…)`), from WHERE and ON */
  readonly constants: ReadonlyMap<string, readonly unknown[]>;
  readonly bindings: readonly KeyBinding[];
  /** SCIM translations of the WHERE/ON conjuncts on this alias that PingOne can evaluate */
  readonly pushed: readonly Pushed[];
  /** every conjunct on this alias was translated, exactly */
  readonly fullyExact: boolean;
  /** number of conjuncts on this alias (pushed or not) */
  readonly conjunctCount: number;
  /** those conjuncts, each with whether it is part of `pushed` (for plans: what PingOne evaluated, what only runs locally) */
  readonly conditions: readonly { readonly expr: Expr; readonly pushed: boolean }[];
  /** cells the capability table would push here but PingOne refused earlier: evaluated locally (EXPLAIN notes them) */
  readonly withheld: readonly string[];
}

/** The cells a conjunct would have pushed had PingOne refused nothing, that it no longer pushes. */
function withheldCells(
  expr: Expr,
  alias: string,
  mapping: ResourceTableMapping,
  params: readonly unknown[],
  pushed: Pushed | undefined,
): string[] {
  const refusals = mapping.refusals;
  if (!refusals?.any) return [];
  const unrestricted = translate(expr, alias, { ...mapping, refusals: undefined }, params);
  if (!unrestricted) return [];
  const kept = new Set(pushed ? filterCells(mapping.resource, pushed.filter).map((c) => c.key) : []);
  return filterCells(mapping.resource, unrestricted.filter)
    .map((c) => c.key)
    .filter((key) => !kept.has(key) && refusals.refused(mapping.resource, key));
}

function columnOfAlias(expr: Expr, alias: string, implicit: boolean): string | undefined {
  if (expr.k !== 'col') return undefined;
  if (expr.table === alias || (expr.table === undefined && implicit)) return expr.column;
  return undefined;
}

/**
 * Constraints for `alias` from the WHERE conjuncts (only strict ones are safe for an outer-joined alias: they are
 * false when the alias's columns are NULL, so narrowing its fetch can't change the result) and from its ON clause.
 */
export function constraintsFor(
  select: SelectNode,
  alias: string,
  mapping: TableMapping,
  on: Expr | undefined,
  loaded: ReadonlySet<string>,
  params: readonly unknown[],
  bindingOn: readonly Expr[] = [],
): AliasConstraints {
  const implicit = select.from.length === 1 && select.joins.length === 0;
  const constants = new Map<string, unknown[]>();
  const bindings: KeyBinding[] = [];
  const pushed: Pushed[] = [];
  const withheld = new Set<string>();
  let conjunctCount = 0;
  const conditions: { expr: Expr; pushed: boolean }[] = [];
  let allExact = true;
  const exclusive = mapping.kind === 'resource' ? exclusiveGroups(mapping.resource) : exclusiveGroups(undefined);
  const consider = (expr: Expr, fromOn: boolean) => {
    const refs = aliasesIn(expr);
    const onlyThis = [...refs].every((r) => r === alias || (r === undefined && implicit));
    if (!onlyThis) {
      // A join condition `alias.col = other.col` with `other` already loaded.
      if (fromOn && expr.k === 'op' && expr.op === '=') {
        for (const [mine, theirs] of [
          [expr.left, expr.right],
          [expr.right, expr.left],
        ] as const) {
          const column = columnOfAlias(mine, alias, false);
          if (column && theirs.k === 'col' && theirs.table && loaded.has(theirs.table))
            bindings.push({ column, fromAlias: theirs.table, fromColumn: theirs.column });
        }
      }
      return;
    }
    conjunctCount++;
    if (expr.k === 'op' && expr.op === '=') {
      for (const [mine, theirs] of [
        [expr.left, expr.right],
        [expr.right, expr.left],
      ] as const) {
        const column = columnOfAlias(mine, alias, implicit);
        const value = valueOf(theirs, params);
        if (column && value.ok && value.value !== null) constants.set(column, [...(constants.get(column) ?? []), value.value].slice(-1));
      }
    } else if (expr.k === 'in' && !expr.not) {
      const column = columnOfAlias(expr.left, alias, implicit);
      const values = expr.list.map((e) => valueOf(e, params));
      if (column && values.every((v) => v.ok))
        constants.set(
          column,
          values.map((v) => (v as { value: unknown }).value),
        );
    }
    if (mapping.kind === 'resource') {
      let translated = translate(expr, alias, mapping, params);
      if (translated && !exclusive.admits(translated.filter)) translated = undefined;
      if (translated) pushed.push(translated);
      for (const cell of withheldCells(expr, alias, mapping, params, translated)) withheld.add(cell);
      if (!translated || !translated.exact) allExact = false;
      conditions.push({ expr, pushed: translated !== undefined });
    } else {
      allExact = false;
      conditions.push({ expr, pushed: false });
    }
  };
  for (const c of conjuncts(on)) consider(c, true);
  for (const c of bindingOn) if (aliasesIn(c).size > 1) consider(c, true);
  for (const c of conjuncts(select.where)) {
    if (isStrict(c)) consider(c, false);
    else if ([...aliasesIn(c)].every((r) => r === alias || (r === undefined && implicit))) {
      // not usable to narrow the fetch, but a condition on this alias all the same: only the local run checks it,
      // so not every conjunct is pushed (a LIMIT's early stop must count the rows that pass it, not the rows fetched)
      conjunctCount++;
      allExact = false;
      conditions.push({ expr: c, pushed: false });
    }
  }
  for (const c of transferredConjuncts(select, alias)) consider(c, false);
  return { constants, bindings, pushed, fullyExact: allExact, conjunctCount, conditions, withheld: [...withheld] };
}

/**
 * Conditions on a joined alias that carry over to `alias` through an equi-join: TypeORM writes
 * `find({ where: { population: { id } } })` as `LEFT JOIN populations p ON p.id = u.populationId WHERE p.id = ?`, which
 * for `u` means `u.populationId = ?` (any row passing the WHERE has them equal) — so PingOne can filter users by
 * population.id instead of the driver reading every user.
 */
function transferredConjuncts(select: SelectNode, alias: string): Expr[] {
  const out: Expr[] = [];
  for (const join of select.joins) {
    for (const eq of conjuncts(join.on)) {
      if (eq.k !== 'op' || eq.op !== '=' || eq.left.k !== 'col' || eq.right.k !== 'col') continue;
      const [mine, theirs] =
        eq.left.table === alias ? [eq.left, eq.right] : eq.right.table === alias ? [eq.right, eq.left] : [undefined, undefined];
      if (!mine || !theirs || theirs.table !== join.source.alias) continue;
      for (const c of conjuncts(select.where)) {
        const swap = (e: Expr): Expr => (e.k === 'col' && e.table === theirs.table && e.column === theirs.column ? mine : e);
        if (c.k === 'op' && c.op === '=' && (sameColumn(c.left, theirs) || sameColumn(c.right, theirs)))
          out.push({ ...c, left: swap(c.left), right: swap(c.right) });
        if (c.k === 'in' && !c.not && sameColumn(c.left, theirs)) out.push({ ...c, left: mine });
      }
    }
  }
  return out;
}

function sameColumn(e: Expr, col: Expr & { k: 'col' }): boolean {
  return e.k === 'col' && e.table === col.table && e.column === col.column;
}

/**
 * PingOne's "at most one of these" rule (audit activities: any one of an actor, an action type, a resource id or
 * type, a correlation id, besides the required range): the first pushable conjunct on a group's attributes is pushed,
 * the others of that group are evaluated locally.
 */
function exclusiveGroups(resource: ResourceTableMapping['resource'] | undefined): { admits(filter: ScimFilter): boolean } {
  const groups = resource ? (FILTER_CAPABILITIES[resource].exclusive ?? []) : [];
  const used = new Set<number>();
  return {
    admits(filter) {
      if (groups.length === 0) return true;
      const attributes = new Set(
        filterCells(resource!, filter)
          .map((c) => c.attribute)
          .filter((a): a is string => a !== undefined),
      );
      const touched = groups.map((g, i) => [i, g.filter((a) => attributes.has(a)).length] as const).filter(([, n]) => n > 0);
      if (touched.some(([i, n]) => n > 1 || used.has(i))) return false;
      for (const [i] of touched) used.add(i);
      return true;
    },
  };
}

/** False-or-unknown whenever its columns are NULL: comparisons, LIKE, IN, BETWEEN, IS NOT NULL, and ANDs of them. */
function isStrict(expr: Expr): boolean {
  switch (expr.k) {
    case 'op':
      if (expr.op === 'AND') return isStrict(expr.left) || isStrict(expr.right);
      if (expr.op === 'OR') return isStrict(expr.left) && isStrict(expr.right);
      return ['=', '<>', '<', '>', '<=', '>=', 'LIKE', 'NOT LIKE'].includes(expr.op);
    case 'in':
    case 'between':
      return true;
    case 'isnull':
      return expr.not;
    default:
      return false;
  }
}

/** Every sub-select inside an expression (EXISTS, IN (SELECT …), scalar sub-queries). */
export function subqueriesIn(expr: Expr | undefined, out: SelectNode[] = []): SelectNode[] {
  return selectsIn(expr, out);
}
