import { PingOneApiError, scim, serializeScimFilter } from '@typeorm-pingone/client';
import { RESOURCE_TABLES } from '../mapping/attribute-catalog';
import { parentOf } from '../mapping/parent-key';
import type { ResourceTableMapping } from '../mapping/table-mapping';
import { PingOneDriverError } from '../errors';
import type { AliasConstraints } from '../planner/alias-constraints';
import type { PlanTrace } from './plan-trace';
import type { RemoteDirectory, Resource } from './remote-directory';
import { parallel } from './request-pool';
import type { ResourceStore } from './resource-store';
import { MAX_PAGE } from './resource-lister';

export interface ChildLoad {
  readonly store: ResourceStore;
  readonly trace: PlanTrace;
  readonly dryRun: boolean;
  readonly directory: RemoteDirectory;
}

/**
 * A table PingOne lists only per parent (a user's sessions, role assignments, linked accounts; an application's
 * grants; an organization's licenses): one list per parent, all at the same time. The parents come from the
 * statement: `WHERE userId = ?` / `IN (…)`, a sub-query, or the rows of an alias joined before it. Without them the
 * statement is refused, naming the key, before any request: reading every user to find sessions is never implied.
 */
export async function loadChildren(
  ctx: ChildLoad,
  alias: string,
  mapping: ResourceTableMapping,
  constraints: AliasConstraints,
  parentIds: readonly string[] | undefined,
  from: string,
): Promise<void> {
  const parent = parentOf(mapping)!;
  const parentTable = RESOURCE_TABLES[parent.key.resource];
  if (parentIds === undefined) {
    const column = parent.column.column;
    throw new PingOneDriverError(
      'KEY_REQUIRED',
      `PingOne lists ${mapping.table} only per ${parentTable.replace(/s$/, '')}: name the ${parentTable} to read with "${column}" ` +
        `(WHERE ${alias}."${column}" = ? or IN (…)), or join ${alias} to ${parentTable} (ON ${alias}."${column}" = <${parentTable} alias>."id") and narrow the ${parentTable}; nothing was sent.`,
    );
  }
  const filter = constraints.pushed.length > 0 ? scim.and(...constraints.pushed.map((p) => p.filter)) : undefined;
  ctx.trace.step({
    alias,
    table: mapping.table,
    strategy: 'per-parent',
    filter: filter && serializeScimFilter(filter),
    notes: `${ctx.dryRun ? '' : `${parentIds.length} ${parentTable}: `}one list per ${parentTable.replace(/s$/, '')} (${from || 'the WHERE'}), all at the same time`,
    conditions: constraints.conditions,
  });
  if (ctx.dryRun || parentIds.length === 0) return;
  const directory = ctx.directory.in(mapping.environment);
  const lists = await parallel(
    parentIds.map((parentId) => async () => {
      const items: Resource[] = [];
      try {
        for await (const page of directory.listPages(mapping.resource, filter, MAX_PAGE, { parentId })) items.push(...page.items);
      } catch (error) {
        if (error instanceof PingOneApiError && error.status === 404) return []; // the parent is gone: it has none
        throw error;
      }
      return items;
    }),
  );
  const items = lists.flat();
  ctx.store.remember(mapping.resource, items);
  ctx.store.addResources(alias, mapping, items);
}
