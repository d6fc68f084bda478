import type { ResourceName } from '../mapping/attribute-catalog';
import type { ResourceTableMapping, TableMapping } from '../mapping/table-mapping';
import { constraintsFor } from '../planner/alias-constraints';
import type { SelectNode } from '../sql/sql-ast';
import type { Resource } from './remote-directory';

/**
 * Counts writes in this process, bumped when a write starts and when it ends: a handoff offered before a write
 * (started or finished since) is never taken, whichever query runner made it.
 */
let writeGeneration = 0;

export function noteWrite(): void {
  writeGeneration++;
}

/** Rows one statement passes to the next statement of the same TypeORM operation. */
export interface Handoff {
  readonly generation: number;
  readonly environment: string | undefined;
  readonly resource: ResourceName;
  /** the FROM table and the joined tables, in order: the next statement must have the same */
  readonly shape: string;
  /** the ids the statement returned, with their resources as fetched */
  readonly resources: ReadonlyMap<string, Resource>;
}

/** FROM table and joined tables of a SELECT, as a comparable text. */
export function shapeOf(select: SelectNode): string {
  return JSON.stringify([...select.from, ...select.joins.map((j) => j.source)].map((item) => (item.k === 'table' ? item.table : '(sub-query)')));
}

/**
 * TypeORM loads an entity with relations and paging (`findOne`/`find({ take })` with relations, findAndCount) in two
 * statements of one operation: `SELECT DISTINCT ids FROM (…) distinctAlias … LIMIT n`, then the rows with
 * `WHERE base.id IN (those ids)`. The second would fetch the same users again. A query runner keeps one handoff:
 * the first statement offers the resources of the ids it returned, and the very next statement on that runner,
 * whatever it is, takes it (so it is gone after any other statement). It is used only when that statement has the
 * same tables, asks for ids among those offered, and no write has started or ended since it was offered: it can't
 * serve data across operations or after a write.
 */
export class ReadHandoff {
  #pending: Handoff | undefined;

  /** Called at the start of every statement on the runner: returns the pending handoff, if still valid, and clears it. */
  take(): Handoff | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    return pending && pending.generation === writeGeneration ? pending : undefined;
  }

  offer(handoff: Omit<Handoff, 'generation'> & { readonly generation: number }): void {
    this.#pending = handoff;
  }

  static generation(): number {
    return writeGeneration;
  }
}

/** TypeORM's second statement (`WHERE base.id IN (ids)`, same tables): the resources the first one fetched for those ids. */
export function reusableRows(
  select: SelectNode, handoff: Handoff | undefined, mappingOf: (table: string) => TableMapping, params: readonly unknown[],
): { alias: string; table: string; resource: ResourceName; resources: Resource[] } | undefined {
  const item = select.from[0];
  if (!handoff || item?.k !== 'table' || select.from.length !== 1 || shapeOf(select) !== handoff.shape) return undefined;
  const mapping = mappingOf(item.table);
  if (mapping.kind !== 'resource' || mapping.resource !== handoff.resource || mapping.environment !== handoff.environment) return undefined;
  const ids = constraintsFor(select, item.alias, mapping, undefined, new Set(), params).constants.get(mapping.idColumn);
  if (!ids || ids.length === 0 || !ids.every((id) => typeof id === 'string' && handoff.resources.has(id))) return undefined;
  return { alias: item.alias, table: item.table, resource: mapping.resource, resources: ids.map((id) => handoff.resources.get(id as string)!) };
}

/** After `SELECT DISTINCT ids FROM (…) distinctAlias`: the resources of the ids it returned, for the next statement. */
export function handoffOf(
  select: SelectNode, rows: readonly Record<string, unknown>[], mappingOf: (table: string) => TableMapping,
  known: (resource: ResourceName, id: string) => Resource | undefined, generation: number,
): Handoff | undefined {
  const derived = select.from[0];
  if (!select.hasDistinct || select.from.length !== 1 || select.joins.length > 0 || derived?.k !== 'derived') return undefined;
  const inner = derived.select;
  const base = inner.from[0];
  if (inner.from.length !== 1 || base?.k !== 'table') return undefined;
  const mapping = mappingOf(base.table);
  if (mapping.kind !== 'resource') return undefined;
  // The outer output that is the inner FROM table's id.
  const output = select.outputs.find((o) => {
    if (o.expr.k !== 'col') return false;
    const name = o.expr.column;
    const source = inner.outputs.find((i) => (i.as ?? (i.expr.k === 'col' ? i.expr.column : undefined)) === name);
    return source?.expr.k === 'col' && source.expr.table === base.alias && source.expr.column === mapping.idColumn;
  });
  if (!output || output.expr.k !== 'col') return undefined;
  const key = output.as ?? output.expr.column;
  const resources = new Map<string, Resource>();
  for (const row of rows) {
    const id = row[key];
    const resource = typeof id === 'string' ? known(mapping.resource, id) : undefined;
    if (resource) resources.set(resource.id, resource);
  }
  return resources.size > 0 ? { generation, environment: mapping.environment, resource: mapping.resource, shape: shapeOf(inner), resources } : undefined;
}

/**
 * After an UPDATE: the resources PingOne answered the write with (a PATCH's answer, a PUT read back), for the SELECT
 * TypeORM sends next to read `@UpdateDateColumn` and generated columns back (`WHERE id = ?` on the same table):
 * PingOne's answer carries `updatedAt`, so that SELECT costs no request. Offered after the write ended, with the
 * write generation of that moment: any write since (in any runner of this process) voids it.
 */
export function writeAnswersHandoff(mapping: ResourceTableMapping, resources: readonly Resource[], generation: number): Handoff {
  return { generation, environment: mapping.environment, resource: mapping.resource, shape: JSON.stringify([mapping.table]), resources: new Map(resources.map((r) => [r.id, r])) };
}
