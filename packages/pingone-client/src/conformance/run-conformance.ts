import { PingOneApiError } from '../errors';
import { claimedFilterCells } from '../filter/filter-sources';
import { FILTER_CAPABILITIES, type FilterableResource } from '../filter/filter-capabilities';
import { scim, serializeScimFilter, type ScimComparisonOperator, type ScimFilter } from '../filter/scim-filter';
import type { PingOneClient } from '../pingone-client';
import type { SchemaAttribute } from '../resources/schemas-resource';
import { HarRecorder } from './har-recorder';

export interface ConformanceCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** true when the tenant offers nothing to check this on (e.g. no custom attribute): neither passed nor failed */
  readonly skipped?: boolean;
}

export interface ConformanceReport {
  readonly checks: readonly ConformanceCheck[];
  readonly har: HarRecorder;
}

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
/** PingOne: "You can use the contains operator in a maximum of 5 custom attributes" (Schema.allowsContainsOperator). */
const MAX_CONTAINS_CUSTOM_ATTRIBUTES = 5;

type Body = Record<string, unknown>;

/**
 * A read-only suite against a tenant: page sizes and `count` on a multi-page list, the user schema, every filter cell
 * the client pushes (one GET each, expecting 200; custom-attribute cells on an attribute the schema has), and the
 * error bodies of a refused filter and a missing resource. Nothing is created, changed or deleted. Every exchange is
 * recorded in `har` (directory data pseudonymized, the schema as it came) for the simulator's replay tests.
 */
export async function runConformance(client: PingOneClient): Promise<ConformanceReport> {
  const har = new HarRecorder();
  const checks: ConformanceCheck[] = [];
  const base = `${client.config.apiUrl}/environments/${client.environmentId}`;
  const get = async (path: string, query: Record<string, string | number>, comment: string, personal = true) => {
    const search = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
    const url = `${base}${path}${search ? `?${search}` : ''}`;
    try {
      const { status, body, headers } = await client.request({ method: 'GET', url: path, query });
      har.record('GET', url, status, body, comment, headers, personal);
      return { status, body: body as Body };
    } catch (error) {
      if (!(error instanceof PingOneApiError)) throw error;
      // PingOne's error body, as the client kept it (already redacted of anything credential-shaped).
      const body = {
        ...(error.errorId ? { id: error.errorId } : {}), ...(error.apiCode ? { code: error.apiCode } : {}),
        ...(error.apiMessage !== undefined ? { message: error.apiMessage } : {}), ...(error.details.length > 0 ? { details: error.details } : {}),
      };
      har.record('GET', url, error.status, body, comment, error.headers);
      return { status: error.status, body: body as Body };
    }
  };

  // Page sizes and count: ask for 1000, see what a page holds and whether count is there.
  const first = await get('/users', { limit: 1000 }, 'page size and count');
  const size = (first.body._embedded as { users?: unknown[] } | undefined)?.users?.length ?? 0;
  const hasNext = typeof (first.body._links as { next?: unknown } | undefined)?.next === 'object';
  checks.push({ name: 'users page size', ok: first.status === 200, detail: `limit=1000 served ${size} users${hasNext ? ', with a next link' : ', last page'}` });
  checks.push({ name: 'users count present', ok: first.status === 200, detail: typeof first.body.count === 'number' ? `count=${String(first.body.count)}` : 'count absent' });

  const custom = await readCustomAttributes(get, checks);
  for (const resource of Object.keys(FILTER_CAPABILITIES) as FilterableResource[]) {
    for (const cell of claimedFilterCells(resource)) {
      const sample = sampleFilter(cell, custom);
      if (typeof sample === 'string') { checks.push({ name: `${resource}: ${cell}`, ok: true, skipped: true, detail: sample }); continue; }
      if (!sample) continue;
      const text = serializeScimFilter(sample);
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

interface CustomSample {
  /** a single-valued STRING custom attribute, for eq and sw */
  readonly text: string | undefined;
  /** one the schema's allowsContainsOperator covers, as the driver reads the flag (read-user-schema.ts) */
  readonly contains: string | undefined;
}

type Get = (path: string, query: Record<string, string | number>, comment: string, personal?: boolean) => Promise<{ status: number; body: Body }>;

/** GET /schemas and the User schema's attributes (metadata, recorded unredacted: the replay seeds custom attributes from it). */
async function readCustomAttributes(get: Get, checks: ConformanceCheck[]): Promise<CustomSample> {
  const list = await get('/schemas', {}, 'user schema', false);
  const schemas = ((list.body._embedded as { schemas?: Body[] } | undefined)?.schemas ?? []);
  const schema = schemas.find((s) => s.name === 'User') ?? (schemas.length === 1 ? schemas[0] : undefined);
  if (list.status !== 200 || !schema) {
    checks.push({ name: 'user schema', ok: false, detail: `GET /schemas → ${list.status}${schema ? '' : ', no User schema'}: give the worker app a role that reads schemas (e.g. Identity Data Read Only)` });
    return { text: undefined, contains: undefined };
  }
  const attrs = await get(`/schemas/${encodeURIComponent(String(schema.id))}/attributes`, {}, 'user schema attributes', false);
  const all = ((attrs.body._embedded as { attributes?: SchemaAttribute[] } | undefined)?.attributes ?? []);
  const eligible = all.filter((a) => a.schemaType === 'CUSTOM' && a.enabled !== false && a.type === 'STRING' && a.multiValued !== true).map((a) => a.name);
  const flag = schema.allowsContainsOperator === true;
  checks.push({
    name: 'user schema', ok: attrs.status === 200,
    detail: `allowsContainsOperator=${String(schema.allowsContainsOperator)}, ${all.filter((a) => a.schemaType === 'CUSTOM').length} custom attributes (${eligible.length} single-valued STRING)`,
  });
  return { text: eligible[0], contains: flag && eligible.length <= MAX_CONTAINS_CUSTOM_ATTRIBUTES ? eligible[0] : undefined };
}

/** A filter exercising one cell with a value no real resource has (read-only and cheap: limit=1); a string: why not checked. */
function sampleFilter(cell: string, custom: CustomSample): ScimFilter | string | undefined {
  const group = scim.valuePath('memberOfGroups', scim.eq('id', NO_SUCH_ID));
  if (cell === 'memberOfGroups[id eq …]') return group;
  if (cell.startsWith('memberOfGroups[id eq … and type')) return scim.valuePath('memberOfGroups', scim.and(scim.eq('id', NO_SUCH_ID), scim.eq('type', 'DIRECT')));
  if (cell.startsWith('memberOfGroups[…] or')) return scim.and(scim.or(group, scim.valuePath('memberOfGroups', scim.eq('id', NO_SUCH_ID.replace(/0$/, '1')))), scim.eq('name.family', 'conformance'));
  if (cell.startsWith('custom ')) {
    const op = cell.split(' ')[1] as ScimComparisonOperator;
    const attribute = op === 'co' ? custom.contains : custom.text;
    if (!attribute) return op === 'co' ? 'not checked: the schema allows co on no custom attribute (allowsContainsOperator false, or over 5 candidates)' : 'not checked: the schema has no single-valued STRING custom attribute';
    return { kind: 'compare', attribute, operator: op, value: 'conformance-check' } as ScimFilter;
  }
  const [attribute, op] = cell.split(' ') as [string, ScimComparisonOperator];
  const value = attribute === 'enabled' ? true : attribute === 'id' || attribute.endsWith('.id') ? NO_SUCH_ID : 'conformance-check';
  return { kind: 'compare', attribute, operator: op, value } as ScimFilter;
}
