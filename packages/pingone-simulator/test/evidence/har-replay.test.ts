import { startSimulator, type RunningSimulator, type SeedEnvironment } from '../../src';
import { describeWithReference, recordings, referenceAvailable, type HarEntry } from './reference-data';

/*
 * Replays every request of the real PingOne recordings against a simulator seeded with that recording's objects,
 * and compares each response with the recorded one: status, the keys present and absent at every level, link names
 * and hrefs (host replaced), and the headers clients rely on.
 */
type Json = Record<string, any>;
const REAL_API = /^https:\/\/api\.pingone\.[a-z.]+\/v1/;
const MEMBER_OF = /memberOfGroups\[id eq "([^"]+)"/;

function seedFrom(entries: readonly HarEntry[]): SeedEnvironment[] {
  const envs = new Map<string, { users: Map<string, Json>; groups: Map<string, Json>; populations: Set<string>; memberships: Json[]; nesting: Json[]; profile?: Json }>();
  const env = (id: string) => {
    if (!envs.has(id)) envs.set(id, { users: new Map(), groups: new Map(), populations: new Set(), memberships: [], nesting: [] });
    return envs.get(id)!;
  };
  for (const entry of entries) {
    const url = new URL(entry.request.url);
    const [, , , envId, collection] = url.pathname.split('/');
    const body = JSON.parse(entry.response.content.text ?? '{}') as Json;
    const e = env(envId!);
    if (!collection) {
      const { _links, id: _id, ...profile } = body;
      e.profile = profile;
      continue;
    }
    const items: Json[] = body._embedded?.[collection] ?? [];
    const parent = MEMBER_OF.exec(url.searchParams.get('filter') ?? '')?.[1];
    for (const item of items) {
      (collection === 'users' ? e.users : e.groups).set(item.id, item);
      if (item.population?.id) e.populations.add(item.population.id);
      if (parent && collection === 'users') e.memberships.push({ userId: item.id, groupId: parent });
      if (parent && collection === 'groups') e.nesting.push({ groupId: item.id, parentGroupId: parent });
    }
  }
  return [...envs].map(([id, e]) => ({
    id, ...(e.profile ?? {}),
    populations: [...e.populations].map((p, i) => ({ id: p, name: `Population ${i + 1}`, ...(i === 0 ? { default: true } : {}) })),
    users: [...e.users.values()], groups: [...e.groups.values()], memberships: e.memberships, groupNesting: e.nesting,
  }));
}

/** Differences in structure: keys present/absent at every level, arrays element-wise, link hrefs with the host replaced. */
function structureDiff(recorded: unknown, actual: unknown, apiUrl: string, path = ''): string[] {
  if (typeof recorded === 'string' && REAL_API.test(recorded)) {
    const expected = recorded.replace(REAL_API, apiUrl);
    return actual === expected ? [] : [`${path}: href ${String(actual)} ≠ recorded ${expected}`];
  }
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array`];
    if (recorded.length !== actual.length) return [`${path}: ${actual.length} items ≠ recorded ${recorded.length}`];
    const byId = (list: unknown[]) => [...list].sort((a, b) => String((a as Json)?.id).localeCompare(String((b as Json)?.id)));
    const [r, a] = [byId(recorded), byId(actual)];
    return r.flatMap((item, i) => structureDiff(item, a[i], apiUrl, `${path}[${i}]`));
  }
  if (typeof recorded === 'object' && recorded !== null) {
    if (typeof actual !== 'object' || actual === null) return [`${path}: expected an object`];
    const keysR = Object.keys(recorded).sort();
    const keysA = Object.keys(actual).sort();
    const missing = keysR.filter((k) => !keysA.includes(k)).map((k) => `${path}.${k}: missing`);
    const extra = keysA.filter((k) => !keysR.includes(k)).map((k) => `${path}.${k}: not in the recording`);
    const nested = keysR.filter((k) => keysA.includes(k)).flatMap((k) => structureDiff((recorded as Json)[k], (actual as Json)[k], apiUrl, `${path}.${k}`));
    return [...missing, ...extra, ...nested];
  }
  return typeof recorded === typeof actual ? [] : [`${path}: ${typeof actual} ≠ recorded ${typeof recorded}`];
}

const files = referenceAvailable ? recordings() : [];

describeWithReference('replaying real PingOne recordings against the simulator', () => {
  test('recordings found', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  test("the recordings agree with the simulator's page, count and request-size rules", () => {
    const entries = files.flatMap((f) => f.entries);
    const collections = entries.map((e) => JSON.parse(e.response.content.text ?? '{}') as Json).filter((b) => b._embedded);
    expect(collections.length).toBeGreaterThan(5);
    for (const body of collections) {
      // Single pages that fit within 200 items: the count rule (absent only beyond one page of matches) keeps count.
      expect(body._links.next).toBeUndefined();
      expect(body.size).toBeLessThanOrEqual(200);
      expect(body.count).toBe(body.size);
    }
    // Every recorded (successful) request is well within the 8,192-byte line and 6 KB header limits.
    for (const entry of entries as (HarEntry & { request: { headers?: { name: string; value: string }[] } })[]) {
      const url = new URL(entry.request.url);
      expect(Buffer.byteLength(`${entry.request.method} ${url.pathname}${url.search} HTTP/1.1`)).toBeLessThan(8192);
      const headers = (entry.request.headers ?? []).reduce((n, h) => n + Buffer.byteLength(h.name) + Buffer.byteLength(h.value) + 4, 0);
      expect(headers).toBeLessThan(6144);
    }
  });

  describe.each(files.map((f) => [f.file, f.entries] as const))('%s', (_file, entries) => {
    let sim: RunningSimulator;
    beforeAll(async () => { sim = await startSimulator({ seed: { environments: seedFrom(entries) } }); });
    afterAll(() => sim?.close());

    test.each(entries.map((e, i) => [`${i + 1}. ${e.request.method} ${new URL(e.request.url).pathname.split('/').slice(3).join('/')}${new URL(e.request.url).search ? ' (with query)' : ''}`, e] as const))('%s', async (_name, entry) => {
      const basic = Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString('base64');
      const token = await fetch(`${sim.authUrl}/${sim.environmentId}/as/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      const { access_token } = (await token.json()) as { access_token: string };
      const res = await fetch(entry.request.url.replace(REAL_API, sim.apiUrl), { method: entry.request.method, headers: { authorization: `Bearer ${access_token}` } });
      expect(res.status).toBe(entry.response.status);
      const header = (name: string) => entry.response.headers.find((h) => h.name.toLowerCase() === name)?.value;
      expect(res.headers.get('content-type')).toBe(header('content-type'));
      expect(res.headers.get('correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('cache-control')).toBe(header('cache-control'));
      const recorded = JSON.parse(entry.response.content.text ?? '{}');
      const actual = await res.json();
      expect(structureDiff(recorded, actual, sim.apiUrl)).toEqual([]);
    });
  });
});
