import type { ApiCall } from '../http/api-requester';
import type { FilterableResource } from '../filter/filter-capabilities';
import { DIRECTORY_ENDPOINTS } from './directory-endpoints';

const isCore = (resource: FilterableResource): resource is 'users' | 'groups' | 'populations' =>
  resource === 'users' || resource === 'groups' || resource === 'populations';

/**
 * The request that sends a filter to a resource's list the way the client does: `GET /users?limit&filter`, from the
 * API root for environments and licenses, and for audit activities `POST {filter, limit}` with the recordedAt range
 * PingOne requires (the last day) when the filter has none. For checks of one filter (pingone-conformance, tests);
 * `parentId` names the parent of a resource listed per parent (a license's organization). `apiUrl`: the API base.
 */
export function filterRequest(
  apiUrl: string,
  resource: FilterableResource,
  filter: string,
  limit: number,
  parentId?: string,
  now = Date.now(),
): ApiCall {
  if (isCore(resource)) return { method: 'GET', url: `/${resource}`, query: { limit, filter } };
  const endpoint = DIRECTORY_ENDPOINTS[resource];
  const source = endpoint.sources[endpoint.sources.length - 1]; // the one that takes filters (the environment's roles)
  const path = source.path.replace('{parent}', encodeURIComponent(parentId ?? '00000000-0000-4000-8000-000000000000'));
  const url = source.root ? `${apiUrl}${path}` : path;
  if (endpoint.post) {
    const range = /\brecordedat\b/i.test(filter)
      ? ''
      : `recordedat ge "${new Date(now - 86_400_000).toISOString()}" and recordedat le "${new Date(now).toISOString()}" and `;
    return { method: 'POST', url, body: { filter: `${range}(${filter})`, limit } };
  }
  return { method: 'GET', url, query: { ...(endpoint.paged ? { limit } : {}), filter } };
}
