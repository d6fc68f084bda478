import { claimedFilterCells, filterCellEvidence } from '../filter/filter-sources';
import { FILTER_CAPABILITIES, type FilterableResource } from '../filter/filter-capabilities';
import { filterRefusalOf } from '../filter/filter-refusal';
import { scim, serializeScimFilter, type ScimComparisonOperator, type ScimFilter } from '../filter/scim-filter';
import type { SchemaAttribute } from '../resources/schemas-resource';
import { embedded, type Body, type ConformanceContext } from './conformance-context';
import { PLANNER_SHAPES } from './planner-shapes';
import { filterRequest } from '../resources/filter-request';
import { valueText } from '../value-text';

export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
/** PingOne: "You can use the contains operator in a maximum of 5 custom attributes" (Schema.allowsContainsOperator). */
const MAX_CONTAINS_CUSTOM_ATTRIBUTES = 5;
/** The role that reads users, groups, populations and the user schema (docs/client.md). */
export const READ_ROLE = 'Identity Data Read-Only Admin';

/** What the read checks found in the tenant, for the checks that follow (case rules, shapes, writes). */
export interface TenantSample {
  readonly users: readonly Body[];
  readonly groups: readonly Body[];
  readonly populations: readonly Body[];
  readonly custom: { readonly text: string | undefined; readonly contains: string | undefined };
  /** the environment's organization (licenses are listed per organization) */
  readonly organizationId?: string;
}

/** Page sizes and count: ask for 1000, see what a page holds and whether count is there; the first pages of each list. */
export async function readSample(ctx: ConformanceContext): Promise<TenantSample> {
  const first = await ctx.get('/users', { limit: 1000 }, 'page size and count');
  const users = embedded(first.body, 'users');
  const hasNext = typeof (first.body._links as { next?: unknown } | undefined)?.next === 'object';
  ctx.check(
    'users page size',
    first.status === 200,
    `limit=1000 served ${users.length} users${hasNext ? ', with a next link' : ', last page'}`,
  );
  ctx.check(
    'users count present',
    first.status === 200,
    typeof first.body.count === 'number' ? `count=${String(first.body.count)}` : 'count absent',
  );
  const groups = embedded((await ctx.get('/groups', { limit: 1000 }, 'groups page')).body, 'groups');
  const populations = embedded(
    (await ctx.get('/populations', {}, 'populations page (no limit: the default page size)')).body,
    'populations',
  );
  const organization = (await ctx.get('', {}, "the environment (its organization, for the licenses' filter cells)", false)).body
    .organization as { id?: unknown } | undefined;
  return {
    users,
    groups,
    populations,
    custom: await readCustomAttributes(ctx),
    ...(typeof organization?.id === 'string' ? { organizationId: organization.id } : {}),
  };
}

/** GET /schemas and the User schema's attributes (metadata, recorded unredacted: the replay seeds custom attributes from it). */
async function readCustomAttributes(ctx: ConformanceContext): Promise<TenantSample['custom']> {
  const list = await ctx.get('/schemas', {}, 'user schema', false);
  const schemas = embedded(list.body, 'schemas');
  const schema = schemas.find((s) => s.name === 'User') ?? (schemas.length === 1 ? schemas[0] : undefined);
  if (list.status !== 200 || !schema) {
    ctx.check(
      'user schema',
      false,
      `GET /schemas → ${list.status}${schema ? '' : ', no User schema'}: give the worker app the ${READ_ROLE} role (it reads schemas)`,
    );
    return { text: undefined, contains: undefined };
  }
  const attrs = await ctx.get(`/schemas/${encodeURIComponent(String(schema.id))}/attributes`, {}, 'user schema attributes', false);
  const all = embedded(attrs.body, 'attributes') as unknown as SchemaAttribute[];
  const eligible = all
    .filter((a) => a.schemaType === 'CUSTOM' && a.enabled !== false && a.type === 'STRING' && a.multiValued !== true)
    .map((a) => a.name);
  const flag = schema.allowsContainsOperator === true;
  ctx.check(
    'user schema',
    attrs.status === 200,
    `allowsContainsOperator=${String(schema.allowsContainsOperator)}, ${all.filter((a) => a.schemaType === 'CUSTOM').length} custom attributes (${eligible.length} single-valued STRING)`,
  );
  return { text: eligible[0], contains: flag && eligible.length <= MAX_CONTAINS_CUSTOM_ATTRIBUTES ? eligible[0] : undefined };
}

/** A refused weak cell or shape is what the driver's fallback would learn, not a failure; a refused strong one is. */
function verdict(ctx: ConformanceContext, name: string, status: number, refused: boolean, weak: boolean, text: string): void {
  if (status === 200) ctx.check(name, true, `${text} → 200`);
  else if (refused && weak)
    ctx.check(name, true, `${text} → ${status}: refused; the driver learns this on first use and evaluates it locally (weakly sourced)`);
  else ctx.check(name, false, `${text} → ${status}${refused ? ': refused, though the client pushes it as well sourced' : ''}`);
}

/**
 * The comment prefix of a check on one of the directory's other resources (environments, audit activities, custom
 * roles, licenses): `directory: `. Such exchanges are facts of the report, not replayed: the simulator seeded from a
 * recording holds its users, groups and populations only (docs/simulator.md).
 */
function directoryComment(resource: FilterableResource): string {
  return resource === 'users' || resource === 'groups' || resource === 'populations' ? '' : 'directory: ';
}

/** Every filter cell the client pushes, one GET each with a value no resource has (limit=1). */
export async function checkCells(ctx: ConformanceContext, sample: TenantSample): Promise<void> {
  for (const resource of Object.keys(FILTER_CAPABILITIES) as FilterableResource[]) {
    for (const cell of claimedFilterCells(resource)) {
      const filter = cellSample(cell, sample.custom);
      if (typeof filter === 'string') {
        ctx.check(`${resource}: ${cell}`, true, filter, true);
        continue;
      }
      const text = serializeScimFilter(filter);
      const r = await ctx.send(
        filterRequest(ctx.client.config.apiUrl, resource, text, 1, sample.organizationId),
        `${directoryComment(resource)}filter cell ${resource}: ${cell}`,
      );
      verdict(
        ctx,
        `${resource}: ${cell}`,
        r.status,
        filterRefusalOf(r.error) !== undefined,
        filterCellEvidence()[resource][cell]?.weak ?? true,
        text,
      );
    }
  }
}

/** Every shape of filter the driver's planner sends (planner-shapes.ts), with ids of this tenant where it has them. */
export async function checkShapes(ctx: ConformanceContext, sample: TenantSample): Promise<void> {
  const withMembers = sample.groups.find((g) => ((g.directMemberCounts as { users?: number } | undefined)?.users ?? 0) > 0);
  const ids = (list: readonly Body[]) => [valueText(list[0]?.id ?? NO_SUCH_ID), valueText(list[1]?.id ?? NO_SUCH_ID)];
  const [user1, user2] = ids(sample.users);
  const [population1, population2] = ids(sample.populations);
  const values: Record<string, string> = {
    group: valueText(withMembers?.id ?? sample.groups[0]?.id ?? NO_SUCH_ID),
    user1: user1,
    user2: user2,
    population1: population1,
    population2: population2,
  };
  for (const shape of PLANNER_SHAPES) {
    const text = shape.template.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? NO_SUCH_ID);
    const r = await ctx.send(
      filterRequest(ctx.client.config.apiUrl, shape.resource, text, 1000, sample.organizationId),
      `${directoryComment(shape.resource)}planner shape ${shape.resource}: ${shape.name}`,
    );
    const weak = shape.weakCells.length > 0;
    verdict(
      ctx,
      `planner shape ${shape.resource}: ${shape.name}${weak ? ` (weak: ${shape.weakCells.join(', ')})` : ''}`,
      r.status,
      filterRefusalOf(r.error) !== undefined,
      weak,
      text,
    );
    if (r.status === 200 && shape.name.includes('narrowed to users')) {
      const returned = embedded(r.body, 'users').map((u) => String(u.id));
      ctx.check(
        `planner shape ${shape.name}: only the named users`,
        returned.every((id) => id === values.user1 || id === values.user2),
        `${returned.length} user(s), all among the two named`,
      );
    }
  }
}

/** A filter exercising one cell with a value no real resource has (read-only and cheap: limit=1); a string: why not checked. */
function cellSample(cell: string, custom: TenantSample['custom']): ScimFilter | string {
  const group = scim.valuePath('memberOfGroups', scim.eq('id', NO_SUCH_ID));
  const typed = scim.valuePath('memberOfGroups', scim.and(scim.eq('id', NO_SUCH_ID), scim.eq('type', 'DIRECT')));
  if (cell === 'memberOfGroups[id eq …]') return group;
  if (cell === 'memberOfGroups[id eq … and type eq "DIRECT"]') return typed;
  if (cell.startsWith('memberOfGroups[…] or'))
    return scim.and(
      scim.or(group, scim.valuePath('memberOfGroups', scim.eq('id', NO_SUCH_ID.replace(/0$/, '1')))),
      scim.eq('name.family', 'conformance'),
    );
  if (cell.startsWith('memberOfGroups[id eq … and type eq "DIRECT"] with'))
    return scim.and(typed, scim.or(scim.eq('id', NO_SUCH_ID), scim.eq('id', NO_SUCH_ID.replace(/0$/, '1'))));
  if (cell.startsWith('custom ')) {
    const op = cell.split(' ')[1] as ScimComparisonOperator;
    const attribute = op === 'co' ? custom.contains : custom.text;
    if (!attribute)
      return op === 'co'
        ? 'not checked: the schema allows co on no custom attribute (allowsContainsOperator false, or over 5 candidates)'
        : 'not checked: the schema has no single-valued STRING custom attribute';
    return { kind: 'compare', attribute, operator: op, value: 'conformance-check' };
  }
  const [attribute, op] = cell.split(' ') as [string, ScimComparisonOperator];
  if (['gt', 'ge', 'lt', 'le'].includes(op)) {
    // a range cell with a date; an audit range needs its other bound too (PingOne requires both)
    const day = new Date(Date.now() - 86_400_000).toISOString();
    const cell: ScimFilter = { kind: 'compare', attribute, operator: op, value: day };
    return attribute === 'recordedat'
      ? scim.and(cell, {
          kind: 'compare',
          attribute,
          operator: op.startsWith('g') ? 'lt' : 'gt',
          value: op.startsWith('g') ? new Date().toISOString() : new Date(Date.now() - 2 * 86_400_000).toISOString(),
        })
      : cell;
  }
  const value = attribute === 'enabled' ? true : attribute === 'id' || attribute.endsWith('.id') ? NO_SUCH_ID : 'conformance-check';
  return { kind: 'compare', attribute, operator: op, value };
}

/** The error bodies the client branches on: a refused filter (filterRefusalOf), a missing resource, a bad limit. */
export async function checkErrorBodies(ctx: ConformanceContext): Promise<void> {
  const refused = await ctx.get('/users', { limit: 1, filter: 'username pr' }, 'error body: unsupported filter');
  const codes = ((refused.body.details as { code?: string }[] | undefined) ?? []).map((d) => d.code);
  ctx.check(
    'unsupported filter error body',
    refused.status === 400 && filterRefusalOf(refused.error) !== undefined,
    `${refused.status} ${String(refused.body.code)} [${codes.join(', ')}]${filterRefusalOf(refused.error) ? ': recognised as a filter refusal (the driver re-plans on it)' : ': NOT recognised as a filter refusal, so the driver would fail instead of re-planning'}`,
  );
  const malformed = await ctx.get('/users', { limit: 1, filter: 'username eq' }, 'error body: malformed filter');
  ctx.check(
    'malformed filter error body',
    malformed.status === 400,
    `${malformed.status} ${String(malformed.body.code)}${filterRefusalOf(malformed.error) ? ' (a filter refusal)' : ''}`,
  );
  const limit = await ctx.get('/users', { limit: 5000 }, 'error body: limit out of range');
  ctx.check(
    'limit out of range error body',
    limit.status === 400,
    `${limit.status} ${String(limit.body.code)} [${((limit.body.details as { code?: string }[] | undefined) ?? []).map((d) => d.code).join(', ')}]`,
  );
  const missing = await ctx.get(`/users/${NO_SUCH_ID}`, {}, 'error body: missing resource');
  ctx.check('missing resource error body', missing.status === 404, `${missing.status} ${String(missing.body.code)}`);
  // The client refreshes its token once on a 401 whose body says ACCESS_FAILED or INVALID_TOKEN (api-requester.ts):
  // a request with a token PingOne never issued shows what it answers. Sent around the client, which would refresh.
  const url = `${ctx.base}/users?limit=1`;
  const response = await fetch(url, { headers: { authorization: 'Bearer conformance-check-not-a-token', accept: 'application/json' } });
  let body: Body = {};
  try {
    body = (await response.json()) as Body;
  } catch {
    /* no JSON body: the client refreshes on a bare 401 too */
  }
  ctx.har.record('GET', url, response.status, body, 'error body: refused token', {
    'content-type': response.headers.get('content-type') ?? '',
  });
  const details = ((body.details as { code?: string }[] | undefined) ?? []).map((d) => d.code);
  ctx.check(
    'refused token error body',
    response.status === 401,
    `${response.status} ${String(body.code)} [${details.join(', ')}]${response.status === 401 && (body.code === 'ACCESS_FAILED' || details.includes('INVALID_TOKEN') || body.code === undefined) ? ': the client refreshes its token once on it' : ''}`,
  );
}

/** A user's memberships: the collection's key and item shape, paging by `limit` and `_links.next`, `expand=group`. */
export async function checkMembershipList(ctx: ConformanceContext, sample: TenantSample): Promise<void> {
  const group = sample.groups.find((g) => ((g.directMemberCounts as { users?: number } | undefined)?.users ?? 0) > 0);
  if (!group) {
    ctx.check('membership list', true, 'not checked: no group with direct user members', true);
    return;
  }
  const filter = serializeScimFilter(
    scim.valuePath('memberOfGroups', scim.and(scim.eq('id', String(group.id)), scim.eq('type', 'DIRECT'))),
  );
  const member = embedded((await ctx.get('/users', { limit: 1, filter }, 'membership list: a direct member')).body, 'users')[0];
  if (!member) {
    ctx.check('membership list', false, `the group reports direct members, but ${filter} found none`);
    return;
  }
  const path = `/users/${encodeURIComponent(String(member.id))}/memberOfGroups`;
  const first = await ctx.get(path, { limit: 1 }, 'membership list: first page (limit=1)');
  const items = embedded(first.body, 'groupMemberships');
  const shaped =
    first.status === 200 && items.length === 1 && typeof items[0].id === 'string' && ['DIRECT', 'INDIRECT'].includes(String(items[0].type));
  const next = (first.body._links as { next?: { href?: string } } | undefined)?.next?.href;
  ctx.check(
    'membership list shape',
    shaped,
    `${first.status}, _embedded.groupMemberships with ${items.length} item(s) of {id, type}, count=${String(first.body.count)}, size=${String(first.body.size)}${next ? ', with a next link' : ', no next link (one membership)'}`,
  );
  if (next) {
    const second = await ctx.send({ method: 'GET', url: next }, 'membership list: next page');
    const other = embedded(second.body, 'groupMemberships')[0];
    ctx.check(
      'membership list paging',
      second.status === 200 && other !== undefined && other.id !== items[0].id,
      `${second.status}: the next link served another membership`,
    );
  }
  const expanded = await ctx.get(path, { limit: 1, expand: 'group' }, 'membership list: expand=group');
  const embeddedGroup = (embedded(expanded.body, 'groupMemberships')[0]?._embedded as { group?: Body } | undefined)?.group;
  ctx.check(
    'membership list expand=group',
    expanded.status === 200 && embeddedGroup?.id === embedded(expanded.body, 'groupMemberships')[0]?.id,
    `${expanded.status}: ${embeddedGroup ? '_embedded.group is the group' : 'no _embedded.group'}`,
  );
  if (!embeddedGroup) return;
  // The driver takes embedded groups as the groups' rows: they must be the whole document GET /groups/{id} returns.
  const read = await ctx.get(
    `/groups/${encodeURIComponent(String(embeddedGroup.id))}`,
    {},
    'membership list: the embedded group read by id',
  );
  const missing = Object.keys(read.body).filter((k) => !(k in embeddedGroup));
  ctx.check(
    'membership list expand=group: the whole group document',
    read.status === 200 && missing.length === 0,
    missing.length === 0
      ? 'every attribute of GET /groups/{id} is embedded'
      : `the embedded group lacks ${missing.join(', ')}: the driver would read those as NULL through a user's memberships`,
  );
}
