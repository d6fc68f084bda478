import type { FromItem, SelectNode } from '../sql/sql-ast';
import { canLead } from '../mapping/parent-key';
import type { ResourceTableMapping, TableMapping } from '../mapping/table-mapping';
import { constraintsFor, type AliasConstraints } from './alias-constraints';
import type { LoadStep } from './join-order';

/**
 * Which load steps of one SELECT wait for which: the executor runs steps in waves, a step joining the current wave
 * unless it takes keys from an alias of that wave. Pure functions of the statement, the mappings and the parameters.
 */
export interface StatementScope {
  readonly select: SelectNode;
  readonly mappings: ReadonlyMap<string, TableMapping>;
  readonly params: readonly unknown[];
  mapping(table: string): TableMapping;
}

/** Whether a step takes join keys from one of `aliases` (so it must wait for their rows). */
export function dependsOn(scope: StatementScope, step: LoadStep, aliases: ReadonlySet<string>): boolean {
  if (step.item.k !== 'table') return false;
  const c = constraintsFor(scope.select, step.item.alias, scope.mapping(step.item.table), step.on, aliases, scope.params, step.bindingOn);
  return c.bindings.some((b) => aliases.has(b.fromAlias));
}

/** The users alias a membership step may overlap, and the column its keys would come from. */
export interface OverlappedUsers {
  readonly alias: string;
  readonly column: string;
}

/**
 * A membership step whose only keys are the ids of a users alias of the same wave that reads every user (no
 * filter, key or binding): it runs in that wave, starting from the groups, and waits for the users only if asking
 * per user could be fewer requests (membership-loader.ts).
 */
export function overlappedUsers(
  scope: StatementScope,
  step: LoadStep,
  wave: readonly LoadStep[],
  keyed: ReadonlyMap<string, unknown>,
): OverlappedUsers | undefined {
  if (step.item.k !== 'table') return undefined;
  const { select, params } = scope;
  const mapping = scope.mapping(step.item.table);
  if (mapping.kind !== 'membership') return undefined;
  const inWave = new Set(wave.map((w) => w.item.alias));
  const c = constraintsFor(select, step.item.alias, mapping, step.on, inWave, params, step.bindingOn);
  const fromWave = c.bindings.filter((b) => inWave.has(b.fromAlias));
  const users = wave.find((w) => w.item.alias === fromWave[0]?.fromAlias);
  if (
    c.constants.size > 0 ||
    c.pushed.length > 0 ||
    fromWave.length !== 1 ||
    fromWave[0].column !== mapping.memberColumn ||
    users?.item.k !== 'table'
  )
    return undefined;
  const source = scope.mapping(users.item.table);
  if (
    source.kind !== 'resource' ||
    source.resource !== mapping.member ||
    source.environment !== mapping.environment ||
    fromWave[0].fromColumn !== source.idColumn ||
    keyed.has(users.item.alias)
  )
    return undefined;
  const all = new Set([...select.from, ...select.joins.map((j) => j.source)].map((i) => i.alias));
  const own = constraintsFor(select, users.item.alias, source, users.on, all, params, users.bindingOn);
  if (own.constants.size > 0 || own.pushed.length > 0 || own.bindings.length > 0) return undefined;
  return { alias: users.item.alias, column: source.idColumn };
}

/**
 * Whether the alias's id is bound to a reference PingOne keeps whole: a user's or group's `population.id`, or a
 * membership's user or group (PingOne drops memberships with their group or user).
 */
export function boundByReference(scope: StatementScope, constraints: AliasConstraints, mapping: ResourceTableMapping): boolean {
  const items = [...scope.select.from, ...scope.select.joins.map((j) => j.source)];
  const bindings = constraints.bindings.filter((b) => b.column === mapping.idColumn);
  return (
    bindings.length > 0 &&
    bindings.every((b) => {
      const from = items.find((i) => i.alias === b.fromAlias);
      const source = from?.k === 'table' ? scope.mappings.get(from.table) : undefined;
      if (!source || source.environment !== mapping.environment) return false;
      if (source.kind === 'membership')
        return (
          (b.fromColumn === source.groupColumn && mapping.resource === 'groups') ||
          (b.fromColumn === source.memberColumn && mapping.resource === source.member)
        );
      return mapping.resource === 'populations' && source.byColumn.get(b.fromColumn)?.attribute === 'population.id';
    })
  );
}

/**
 * Whether a load can start at an alias: any table, except one PingOne lists only per parent (sessions per user)
 * whose parents the statement doesn't name by itself (constants on its parent column, or a sub-query's values).
 */
export function canStartAt(scope: StatementScope, item: FromItem, keyed: ReadonlyMap<string, ReadonlyMap<string, unknown>>): boolean {
  if (item.k !== 'table') return true;
  const mapping = scope.mapping(item.table);
  const own = constraintsFor(scope.select, item.alias, mapping, undefined, new Set(), scope.params);
  return canLead(mapping, new Set([...own.constants.keys(), ...(keyed.get(item.alias)?.keys() ?? [])]));
}
