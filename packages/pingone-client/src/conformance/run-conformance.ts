import { PingOneApiError } from '../errors';
import { claimedFilterCells } from '../filter/filter-sources';
import { FILTER_CAPABILITIES, type FilterableResource } from '../filter/filter-capabilities';
import { scim, serializeScimFilter, type ScimComparisonOperator, type ScimFilter } from '../filter/scim-filter';
import type { PingOneClient } from '../pingone-client';
import { HarRecorder } from './har-recorder';

export interface ConformanceCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ConformanceReport {
  readonly checks: readonly ConformanceCheck[];
  readonly har: HarRecorder;
}

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/**
 * A read-only suite against a tenant: page sizes and `count` on a multi-page list, every filter cell the client
 * pushes (one GET each, expecting 200), and the error bodies of a refused filter and a missing resource. Nothing is
 * created, changed or deleted. Every exchange is recorded, redacted, in `har`.
 */
export async function runConformance(client: PingOneClient): Promise<ConformanceReport> {
  const har = new HarRecorder();
  const checks: ConformanceCheck[] = [];
  const base = `${client.config.apiUrl}/environments/${client.environmentId}`;
  const get = async (path: string, query: Record<string, string | number>, comment: string) => {
    const url = `${base}${path}?${Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')}`;
    try {
      const { status, body } = await client.request({ method: 'GET', url: path, query });
      har.record('GET', url, status, body, comment);
      return { status, body: body as Record<string, unknown> };
    } catch (error) {
      if (!(error instanceof PingOneApiError)) throw error;
      const body = { ...(error.errorId ? { id: error.errorId } : {}), ...(error.apiCode ? { code: error.apiCode } : {}), details: error.details };
      har.record('GET', url, error.status, body, comment, error.correlationId ? { 'correlation-id': error.correlationId } : {});
      return { status: error.status, body: body as Record<string, unknown> };
    }
  };

  // Page sizes and count: ask for 1000, see what a page holds and whether count is there.
  const first = await get('/users', { limit: 1000 }, 'page size and count');
  const size = (first.body._embedded as { users?: unknown[] } | undefined)?.users?.length ?? 0;
  const hasNext = typeof (first.body._links as { next?: unknown } | undefined)?.next === 'object';
  checks.push({ name: 'users page size', ok: first.status === 200, detail: `limit=1000 served ${size} users${hasNext ? ', with a next link' : ', last page'}` });
  checks.push({ name: 'users count present', ok: first.status === 200, detail: typeof first.body.count === 'number' ? `count=${String(first.body.count)}` : 'count absent' });

  for (const resource of Object.keys(FILTER_CAPABILITIES) as FilterableResource[]) {
    for (const cell of claimedFilterCells(resource)) {
      const filter = sampleFilter(resource, cell);
      if (!filter) continue;
      const text = serializeScimFilter(filter);
      const r = await get(`/${resource}`, { limit: 1, filter: text }, `filter cell ${resource}: ${cell}`);
      checks.push({ name: `${resource}: ${cell}`, ok: r.status === 200, detail: `${text} → ${r.status}` });
    }
  }

  const refused = await get('/users', { limit: 1, filter: 'username pr' }, 'error body: unsupported filter');
  const codes = ((refused.body.details as { code?: string }[] | undefined) ?? []).map((d) => d.code);
  checks.push({ name: 'unsupported filter error body', ok: refused.status === 400 && codes.includes('INVALID_FILTER'), detail: `${refused.status} ${String(refused.body.code)} [${codes.join(', ')}]` });
  const missing = await get(`/users/${NO_SUCH_ID}`, { limit: 1 }, 'error body: missing resource');
  checks.push({ name: 'missing resource error body', ok: missing.status === 404, detail: `${missing.status} ${String(missing.body.code)}` });
  return { checks, har };
}

/** A filter exercising one cell with a value no real resource has (read-only and cheap: limit=1). */
function sampleFilter(_resource: FilterableResource, cell: string): ScimFilter | undefined {
  const group = scim.valuePath('memberOfGroups', scim.eq('id', NO_SUCH_ID));
  if (cell === 'memberOfGroups[id eq …]') return group;
  if (cell.startsWith('memberOfGroups[id eq … and type')) return scim.valuePath('memberOfGroups', scim.and(scim.eq('id', NO_SUCH_ID), scim.eq('type', 'DIRECT')));
  if (cell.startsWith('memberOfGroups[…] or')) return scim.and(scim.or(group, scim.valuePath('memberOfGroups', scim.eq('id', NO_SUCH_ID.replace(/0$/, '1')))), scim.eq('name.family', 'conformance'));
  if (cell.startsWith('custom ')) return undefined; // custom attributes depend on the tenant's schema
  const [attribute, op] = cell.split(' ') as [string, ScimComparisonOperator];
  const value = attribute === 'enabled' ? true : attribute === 'id' || attribute.endsWith('.id') ? NO_SUCH_ID : 'conformance-check';
  return { kind: 'compare', attribute, operator: op, value } as ScimFilter;
}
