import { DIRECTORY_ENDPOINTS, scim, type PagedList, type PingOneClient, type ScimFilter } from '@typeorm-pingone/client';
import { isCoreResource, type ResourceName } from '../mapping/attribute-catalog';
import type { CacheTag } from '../cache/response-cache';

/**
 * How the driver reaches each resource through the client: users, groups and populations by their own classes, the
 * directory's others by `client.directory` and its endpoint table. One place, so the read paths (lists, by id, per
 * parent) stay the same for every table.
 */
export function resourceList(
  client: PingOneClient,
  resource: ResourceName,
  filter: ScimFilter | undefined,
  limit: number,
  parentId?: string,
): PagedList<unknown> {
  const params = { ...(filter ? { filter } : {}), limit };
  if (isCoreResource(resource)) return client[resource].list(params);
  return client.directory.list(resource, { ...params, ...(parentId !== undefined ? { parentId } : {}) });
}

export function resourceGet(
  client: PingOneClient,
  resource: ResourceName,
  id: string,
  include?: string,
  parentId?: string,
): Promise<unknown> {
  if (resource === 'groups' && include === 'totalMemberCounts') return client.groups.get(id, { include: ['totalMemberCounts'] });
  if (isCoreResource(resource)) return client[resource].get(id);
  return client.directory.get(resource, id, parentId);
}

/** Whether PingOne reads one item by id (GET /applications/{id}); roles come from two lists and have no single read here. */
export function readsById(resource: ResourceName): boolean {
  return (
    isCoreResource(resource) || (DIRECTORY_ENDPOINTS[resource].one !== undefined && DIRECTORY_ENDPOINTS[resource].parent === undefined)
  );
}

/** A list's path as logs and plans show it: `/users`, `/roles + /environments/…/roles`, `/users/<id>/sessions`, `POST /activities`. */
export function listPath(resource: ResourceName, parentId?: string): string {
  if (isCoreResource(resource)) return `/${resource}`;
  const endpoint = DIRECTORY_ENDPOINTS[resource];
  const paths = endpoint.sources.map(
    (s) => `${s.root ? '(root) ' : ''}${s.path.replace('{parent}', parentId ?? '{id}')}${s.filter ? ` (${s.filter})` : ''}`,
  );
  return paths.join(' + ');
}

/** Whether a list takes `limit` (users, groups, populations, and the directory lists PingOne pages). */
export function takesLimit(resource: ResourceName): boolean {
  return isCoreResource(resource) || DIRECTORY_ENDPOINTS[resource].paged;
}

/** What a cached answer of the resource depends on (a write to one of these drops it). */
export function cacheTagsOf(resource: ResourceName, membershipFilter: boolean): CacheTag[] {
  if (!isCoreResource(resource)) return ['directory'];
  return membershipFilter ? [resource, 'memberships'] : [resource];
}

/** PingOne serves audit activities of the last 14 days ("By default, this endpoint only returns the most recent 14 days"). */
export const AUDIT_WINDOW_DAYS = 14;

/**
 * What PingOne requires a resource's filter to hold, added where the statement's lacks it: audit activities need a
 * recordedAt range ("The minimum filter must include a date range"), so a bound the WHERE doesn't give is the edge of
 * what PingOne keeps (14 days ago, or now): every row PingOne can return satisfies it, so the answer is unchanged.
 */
export function withRequiredBounds(resource: ResourceName, filter: ScimFilter | undefined, now = Date.now()): ScimFilter | undefined {
  if (resource !== 'activities') return filter;
  const terms = filter === undefined ? [] : filter.kind === 'and' ? filter.filters : [filter];
  const bound = (ops: readonly string[]) =>
    terms.some((t) => t.kind === 'compare' && t.attribute === 'recordedat' && ops.includes(t.operator));
  const added: ScimFilter[] = [];
  if (!bound(['gt', 'ge'])) added.push(scim.ge('recordedat', new Date(now - AUDIT_WINDOW_DAYS * 86_400_000).toISOString()));
  if (!bound(['lt', 'le'])) added.push(scim.le('recordedat', new Date(now + 60_000).toISOString()));
  if (added.length === 0) return filter;
  return filter === undefined ? scim.and(...added) : scim.and(...terms, ...added);
}

/** PingOne's largest `limit` (users and groups; populations serve 250 a page whatever is asked). */
export const MAX_LIMIT = 1000;

export async function collect<T>(pages: AsyncIterable<{ readonly items: readonly T[] }>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page.items);
  return items;
}

/** Items of several lists, each once (by id). */
export function unionById<T extends { readonly id: string }>(lists: readonly T[][]): T[] {
  if (lists.length === 1) return lists[0];
  const seen = new Map<string, T>();
  for (const list of lists) for (const item of list) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()];
}
