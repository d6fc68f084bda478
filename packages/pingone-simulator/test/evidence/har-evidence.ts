import type { SeedEnvironment, SimulatorOptions } from '../../src';
import type { HarEntry } from './reference-data';

/*
 * What a recording says about PingOne, turned into a simulator seed, and the differences between a recorded response
 * and the simulator's answer to the same request. Works for the bundled real recordings (https://api.pingone.*) and
 * for any HAR a user recorded (pingone-conformance, a browser), whatever host it was recorded from.
 */
type Json = Record<string, any>;
const REAL_API = /^https:\/\/api\.pingone\.[a-z.]+\/v1/;
const MEMBER_OF = /memberOfGroups\[id eq "([^"]+)"/;
const COLLECTIONS = new Set(['users', 'groups', 'populations']);

/** The recorded API base of an entry: its URL up to `/environments/` (e.g. https://api.pingone.eu/v1). */
export function apiBaseOf(entry: HarEntry): string {
  const at = entry.request.url.indexOf('/environments/');
  if (at < 0)
    throw new Error(
      `HAR entry ${entry.request.method} ${entry.request.url} is not a PingOne management API request (no /environments/ in its URL).`,
    );
  return entry.request.url.slice(0, at);
}

/**
 * How a recorded exchange is replayed: independently (`read`), in order within one session with the ids of what it
 * creates mapped (`write`, pingone-conformance --writes), or not at all (`fact`: a case-rule probe, recorded with the
 * pseudonym of the value it was built from, which no seeded resource has; a check on the directory's other resources,
 * `directory: …`, whose data a seed from a recording doesn't hold).
 */
export function replayKind(entry: HarEntry): 'read' | 'write' | 'fact' {
  const comment = entry.comment ?? '';
  return comment.startsWith('case rule:') || comment.startsWith('directory:') ? 'fact' : comment.startsWith('writes:') ? 'write' : 'read';
}

const MEMBERSHIPS_OF = /\/users\/([^/]+)\/memberOfGroups$/;

/** The environments of a recording's reads as a seed, and the page sizes its multi-page lists show. */
export function simulatorFrom(all: readonly HarEntry[]): SimulatorOptions {
  const entries = all.filter((e) => replayKind(e) === 'read');
  const envs = new Map<
    string,
    {
      users: Map<string, Json>;
      groups: Map<string, Json>;
      populations: Map<string, Json>;
      memberships: { userId: string; groupId: string }[];
      nesting: { groupId: string; parentGroupId: string }[];
      profile?: Json;
      schema?: Json;
      custom: Json[];
      usersTotal: number;
    }
  >();
  const env = (id: string) => {
    if (!envs.has(id))
      envs.set(id, {
        users: new Map(),
        groups: new Map(),
        populations: new Map(),
        memberships: [],
        nesting: [],
        custom: [],
        usersTotal: 0,
      });
    return envs.get(id)!;
  };
  let usersPage: number | undefined;
  for (const entry of entries) {
    const url = new URL(entry.request.url);
    const [envId, collection, schemaId, sub] = url.pathname.slice(url.pathname.indexOf('/environments/') + 14).split('/');
    if (entry.response.status >= 400) continue;
    const body = JSON.parse(entry.response.content.text ?? '{}') as Json;
    const e = env(envId);
    if (!collection) {
      const { _links, id: _id, ...profile } = body;
      e.profile = profile;
    } else if (collection === 'schemas' && !schemaId) {
      e.schema = (body._embedded?.schemas as Json[] | undefined)?.find((s) => s.name === 'User') ?? body._embedded?.schemas?.[0];
    } else if (collection === 'users' && schemaId && sub === 'memberOfGroups') {
      // A user's membership list: its DIRECT groups are memberships; an INDIRECT one comes through nesting the
      // recording doesn't show, so it is nested under the user's first direct group (which gives this user the same list).
      const userId = MEMBERSHIPS_OF.exec(url.pathname)![1];
      const items: Json[] = body._embedded?.groupMemberships ?? [];
      const direct = items.filter((m) => m.type === 'DIRECT');
      for (const m of items) {
        if (!e.groups.has(m.id))
          e.groups.set(m.id, m._embedded?.group ?? { id: m.id, name: m.name ?? `Group ${String(m.id).slice(0, 8)}` });
        if (m.type === 'DIRECT') e.memberships.push({ userId, groupId: String(m.id) });
        else if (direct[0]) e.nesting.push({ groupId: String(direct[0].id), parentGroupId: String(m.id) });
      }
    } else if (collection === 'schemas' && sub === 'attributes') {
      e.custom = ((body._embedded?.attributes as Json[] | undefined) ?? []).filter((a) => a.schemaType === 'CUSTOM');
    } else if (COLLECTIONS.has(collection) && !schemaId) {
      const items: Json[] = body._embedded?.[collection] ?? [];
      const parent = MEMBER_OF.exec(url.searchParams.get('filter') ?? '')?.[1];
      for (const item of items) {
        (({ users: e.users, groups: e.groups, populations: e.populations }) as Record<string, Map<string, Json>>)[collection].set(
          item.id,
          item,
        );
        if (item.population?.id && !e.populations.has(item.population.id))
          e.populations.set(item.population.id, { id: item.population.id });
        if (parent && collection === 'users') e.memberships.push({ userId: String(item.id), groupId: parent });
        if (parent && collection === 'groups') e.nesting.push({ groupId: String(item.id), parentGroupId: parent });
      }
      // A recorded page with a next link: PingOne served this many, and more users exist than the recording shows.
      if (collection === 'users' && body._links?.next && !url.searchParams.has('filter')) {
        usersPage = Math.min(usersPage ?? Infinity, items.length);
        e.usersTotal = Math.max(e.usersTotal, typeof body.count === 'number' ? body.count : items.length + 1);
      }
    }
  }
  const environments = [...envs].map(([id, e]): SeedEnvironment => {
    const users = [...e.users.values()];
    // Stand-ins for the users past the recorded page, after the recorded ones (the simulator pages in seed order).
    for (let i = users.length; i < e.usersTotal && users[0]; i++)
      users.push({ ...users[0], id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, username: `stand-in-${i}` });
    const unique = <T>(list: T[]) => [...new Map(list.map((x) => [JSON.stringify(x), x])).values()];
    return {
      id,
      ...(e.profile ?? {}),
      // PingOne environments always have a default population: the recorded one, else the first seen.
      populations: [...e.populations.values()].map((p, i, all) => ({
        name: `Population ${i + 1}`,
        ...p,
        ...(i === 0 && !all.some((x) => x.default === true) && !('default' in p) ? { default: true } : {}),
      })),
      users,
      groups: [...e.groups.values()],
      memberships: unique(e.memberships),
      groupNesting: unique(e.nesting),
      ...(e.schema ? { userSchemaId: e.schema.id, allowsContainsOperator: e.schema.allowsContainsOperator === true } : {}),
      customAttributes: e.custom.map((a) => ({
        name: a.name,
        type: a.type,
        multiValued: a.multiValued === true,
        unique: a.unique === true,
        required: a.required === true,
        enabled: a.enabled !== false,
        ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
      })),
    };
  });
  return { seed: { environments }, ...(usersPage !== undefined ? { maxPageSize: { users: usersPage } } : {}) };
}

/** Differences in structure: keys present/absent at every level, arrays element-wise, link hrefs with the host replaced. */
export function structureDiff(recorded: unknown, actual: unknown, recordedBase: string, apiUrl: string, path = ''): string[] {
  if (typeof recorded === 'string' && (recorded.startsWith(`${recordedBase}/`) || REAL_API.test(recorded))) {
    // Cursors are opaque: only their presence is compared.
    const opaque = (href: string) => href.replace(/([?&]cursor=)[^&]*/, '$1…');
    const expected = opaque(
      recorded.startsWith(`${recordedBase}/`) ? apiUrl + recorded.slice(recordedBase.length) : recorded.replace(REAL_API, apiUrl),
    );
    return typeof actual === 'string' && opaque(actual) === expected ? [] : [`${path}: href ${String(actual)} ≠ recorded ${expected}`];
  }
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array`];
    if (recorded.length !== actual.length) return [`${path}: ${actual.length} items ≠ recorded ${recorded.length}`];
    const byId = (list: unknown[]) => [...list].sort((a, b) => String((a as Json)?.id).localeCompare(String((b as Json)?.id)));
    const [r, a] = [byId(recorded), byId(actual)];
    return r.flatMap((item, i) => structureDiff(item, a[i], recordedBase, apiUrl, `${path}[${i}]`));
  }
  if (typeof recorded === 'object' && recorded !== null) {
    if (typeof actual !== 'object' || actual === null) return [`${path}: expected an object`];
    const keysR = Object.keys(recorded).sort();
    const keysA = Object.keys(actual).sort();
    const missing = keysR.filter((k) => !keysA.includes(k)).map((k) => `${path}.${k}: missing`);
    const extra = keysA.filter((k) => !keysR.includes(k)).map((k) => `${path}.${k}: not in the recording`);
    const nested = keysR
      .filter((k) => keysA.includes(k))
      .flatMap((k) => structureDiff((recorded as Json)[k], (actual as Json)[k], recordedBase, apiUrl, `${path}.${k}`));
    return [...missing, ...extra, ...nested];
  }
  return typeof recorded === typeof actual ? [] : [`${path}: ${typeof actual} ≠ recorded ${typeof recorded}`];
}

const COMPARED_HEADERS = ['content-type', 'cache-control'] as const;

/**
 * Everything about the simulator's answer that differs from the recorded response: status, the headers clients rely
 * on (those the recording has, compared exactly; correlation-id always, by format) and the body's structure.
 */
export function responseDiff(entry: HarEntry, status: number, headers: Headers, body: unknown, apiUrl: string): string[] {
  const diffs: string[] = [];
  if (status !== entry.response.status) diffs.push(`status ${status} ≠ recorded ${entry.response.status}`);
  const recordedHeader = (name: string) => entry.response.headers.find((h) => h.name.toLowerCase() === name)?.value;
  for (const name of COMPARED_HEADERS) {
    const recorded = recordedHeader(name);
    if (recorded !== undefined && headers.get(name) !== recorded)
      diffs.push(`header ${name}: ${headers.get(name) ?? 'absent'} ≠ recorded ${recorded}`);
  }
  if (!/^[0-9a-f-]{36}$/.test(headers.get('correlation-id') ?? ''))
    diffs.push(`header correlation-id: ${headers.get('correlation-id') ?? 'absent'} is not a UUID`);
  const recorded: unknown = entry.response.content.text ? JSON.parse(entry.response.content.text) : {};
  return [...diffs, ...structureDiff(recorded, body, apiBaseOf(entry), apiUrl).map((d) => `body${d}`)];
}
