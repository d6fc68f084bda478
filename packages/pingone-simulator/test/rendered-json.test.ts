import fc from 'fast-check';
import { renderUser } from '../src/views';
import { startTestApi, type TestApi } from './helpers/http';

/*
 * A users page is assembled from each user's cached JSON (rendered-json.ts, hal.ts). After any sequence of updates
 * through the API, its text must be what JSON.stringify gave before: the page's own object with every user rendered
 * from the store afresh, and every user as GET /users/{id} reads it.
 */
let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

type Op = { kind: string; user: number; value: string; flag: boolean };

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('patch', 'put', 'enabled', 'population', 'password', 'lock', 'unlock', 'mfa', 'delete', 'create', 'list'),
  user: fc.nat({ max: 40 }),
  value: fc.constantFrom('Ada', 'ÉLODIE', 'zoë 😀', 'a"b\\c', '\u2028', ''),
  flag: fc.boolean(),
});

async function apply(a: TestApi, ids: string[], populations: string[], o: Op): Promise<void> {
  const id = ids[o.user % ids.length];
  const path = `/users/${id}`;
  switch (o.kind) {
    case 'patch':
      await a.call('PATCH', path, { title: o.value || null, name: { given: o.value, family: 'F' }, nickname: o.value });
      return;
    case 'put':
      await a.call('PUT', path, {
        username: `u-${id}`,
        email: `${id}@example.com`,
        title: o.value,
        population: { id: populations[o.user % populations.length] },
      });
      return;
    case 'enabled':
      await a.call('PUT', `${path}/enabled`, { enabled: o.flag });
      return;
    case 'population':
      await a.call('PUT', `${path}/population`, { id: populations[o.user % populations.length] });
      return;
    case 'password':
      await a.call(
        'PUT',
        `${path}/password`,
        { value: 'N3w$ecret!', forceChange: o.flag },
        'application/vnd.pingidentity.password.set+json',
      );
      return;
    case 'lock':
    case 'unlock':
      await a.call('POST', path, {}, `application/vnd.pingidentity.account.${o.kind}+json`);
      return;
    case 'mfa':
      await a.call('PUT', `${path}/mfaEnabled`, { mfaEnabled: o.flag });
      return;
    case 'delete':
      if (ids.length > 5) {
        await a.call('DELETE', path);
        ids.splice(ids.indexOf(id), 1);
      }
      return;
    case 'create': {
      const created = await a.call('POST', '/users', {
        username: `new-${ids.length}-${o.user}-${o.value.length}-${Date.now()}`,
        title: o.value,
      });
      if (created.status === 201) ids.push(created.body.id);
      return;
    }
    default:
      await expectPagesAsStringified(a);
  }
}

async function rawText(a: TestApi, path: string): Promise<string> {
  const url = path.startsWith('http') ? path : `${a.sim.apiUrl}/environments/${a.env}${path}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${await a.token()}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** Every page of /users, filtered and not, against the same page rendered from the store without the cache. */
async function expectPagesAsStringified(a: TestApi): Promise<void> {
  const env = a.sim.store.environment(a.env)!;
  const view = { apiUrl: a.sim.apiUrl, environment: env };
  for (const first of ['/users?limit=7', `/users?limit=1000&filter=${encodeURIComponent('enabled eq true')}`]) {
    let next: string | undefined = first;
    while (next) {
      const text = await rawText(a, next);
      const body = JSON.parse(text) as { _embedded: { users: { id: string }[] }; _links: { next?: { href: string } } };
      const fresh = { ...body, _embedded: { users: body._embedded.users.map((u) => renderUser(view, env.users.get(u.id)!.data)) } };
      expect(text).toBe(JSON.stringify(fresh));
      for (const user of body._embedded.users) expect((await a.call('GET', `/users/${user.id}`)).body).toEqual(user);
      next = body._links.next?.href;
    }
  }
}

test('property: a users page after any updates is the page JSON.stringify gave (every user rendered afresh)', async () => {
  const a = (api = await startTestApi({ seed: 'demo', users: 30 }));
  const env = a.sim.store.environment(a.env)!;
  const ids = [...env.users.values()].map((r) => String(r.data.id));
  const populations = [...env.populations.values()].map((r) => String(r.data.id));
  await expectPagesAsStringified(a);
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
      for (const o of ops) await apply(a, ids, populations, o);
      await expectPagesAsStringified(a);
    }),
    { numRuns: 25, seed: 7 },
  );
});

test('the page text is exactly what the server sends (byte for byte as JSON.stringify of the parsed page)', async () => {
  const a = (api = await startTestApi({ seed: 'demo', users: 12 }));
  const token = await a.token();
  const res = await fetch(`${a.sim.apiUrl}/environments/${a.env}/users?limit=5&filter=${encodeURIComponent('title pr')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  expect(text).toBe(JSON.stringify(JSON.parse(text)));
  expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
});
