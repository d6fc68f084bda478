import type { Expr, FromItem, SelectNode } from '../sql/sql-ast';
import { aliasesIn, conjuncts } from './pushdown';

export interface LoadStep {
  readonly item: FromItem;
  /** the alias's own ON clause (constants and bindings) */
  readonly on: Expr | undefined;
  /** other joins' ON conjuncts, usable only to bind this alias to aliases loaded before it */
  readonly bindingOn: readonly Expr[];
}

function strictOn(select: SelectNode, alias: string): boolean {
  return conjuncts(select.where).some((c) => {
    const refs = aliasesIn(c);
    return (
      refs.size === 1 &&
      refs.has(alias) &&
      (c.k === 'op' ? ['=', '==', 'LIKE', '<', '>', '<=', '>='].includes(c.op) : c.k === 'in' && !c.not)
    );
  });
}

/**
 * The order to fetch a SELECT's tables in. Normally FROM first, then each join with keys from what is loaded. But
 * when the FROM table has no condition while a joined table that every result row needs (an INNER join, or one the
 * WHERE filters strictly) has one, starting there is far cheaper: `users JOIN memberships JOIN groups WHERE g.id = ?`
 * becomes one group, its members, and those users (from the members listing) instead of every user in PingOne.
 * `hasConstraint(alias)` says whether the SQL pins an alias by itself (constants or pushable conditions). A table
 * PingOne lists only per parent (sessions per user) can't start the load unless its parents are named (`canLead`):
 * it then starts at a table every row needs, even one without conditions, and follows it (its parents' rows).
 */
export function loadOrder(
  select: SelectNode,
  hasConstraint: (item: FromItem, on: Expr | undefined) => boolean,
  canLead: (item: FromItem) => boolean = () => true,
): LoadStep[] {
  const forward: LoadStep[] = [
    ...select.from.map((item) => ({ item, on: undefined, bindingOn: [] })),
    ...select.joins.map((j) => ({ item: j.source, on: j.on, bindingOn: [] })),
  ];
  const base = select.from[0];
  const baseLeads = base !== undefined && canLead(base);
  if (select.from.length !== 1 || !base || base.k !== 'table' || select.joins.length === 0 || (hasConstraint(base, undefined) && baseLeads))
    return forward;

  // Aliases every result row must have a match for: INNER joins, strictly filtered ones, and what their ON needs.
  const required = new Set<string>(
    select.joins.filter((j) => j.mode === 'INNER' || strictOn(select, j.source.alias)).map((j) => j.source.alias),
  );
  for (let changed = true; changed;) {
    changed = false;
    for (const j of select.joins) {
      if (!required.has(j.source.alias)) continue;
      for (const ref of aliasesIn(j.on ?? { k: 'lit', value: null })) {
        if (typeof ref === 'string' && ref !== base.alias && !required.has(ref) && select.joins.some((x) => x.source.alias === ref)) {
          required.add(ref);
          changed = true;
        }
      }
    }
  }
  const candidates = select.joins.filter((j) => j.source.k === 'table' && required.has(j.source.alias) && canLead(j.source));
  const anchor = candidates.find((j) => hasConstraint(j.source, j.on)) ?? (baseLeads ? undefined : candidates[0]);
  if (!anchor) return forward;

  const allOn = select.joins.flatMap((j) => conjuncts(j.on));
  const ordered: LoadStep[] = [{ item: anchor.source, on: anchor.on, bindingOn: [] }];
  const loaded = new Set([anchor.source.alias]);
  const linked = (alias: string) =>
    allOn.some((c) => {
      const refs = aliasesIn(c);
      return refs.has(alias) && [...refs].some((r) => typeof r === 'string' && r !== alias && loaded.has(r));
    });
  // Walk back from the anchor to the FROM table through the required joins.
  for (let progress = true; progress && !loaded.has(base.alias);) {
    progress = false;
    const candidates = [...select.joins]
      .reverse()
      .filter((j) => required.has(j.source.alias) && !loaded.has(j.source.alias))
      .map((j) => ({ item: j.source, on: j.on }));
    for (const c of [...candidates, { item: base as FromItem, on: undefined }]) {
      if (!loaded.has(c.item.alias) && linked(c.item.alias)) {
        ordered.push({ item: c.item, on: c.on, bindingOn: allOn });
        loaded.add(c.item.alias);
        progress = true;
        break;
      }
    }
  }
  if (!loaded.has(base.alias)) return forward;
  for (const step of forward) if (!loaded.has(step.item.alias)) ordered.push(step);
  return ordered;
}
