import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { createPingOneClient, PingOneError, type PingOneClient } from '../src';

/*
 * Every resource method that puts an id in the path: for any string, either the request has exactly the expected
 * segments with the id arriving intact (decodeURIComponent of its segment), or the call is refused with a
 * PingOneError before anything is sent.
 */
const ENV = '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f';
const OTHER = '11111111-2222-4333-8444-555555555555';

let server: Server;
let client: PingOneClient;
const paths: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', _embedded: { users: [], groups: [], populations: [], groupMemberships: [] }, count: 0, size: 0 })); // a well-formed collection (and resource) for every call
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  client = createPingOneClient({
    environmentId: ENV,
    apiUrl,
    accessToken: 'test-access-token-0123456789',
    rateLimit: false,
    retry: { maxAttempts: 1 },
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  paths.length = 0;
});

type Call = (c: PingOneClient, id: string) => Promise<unknown>;
/** method → (call, expected segments below /v1/environments/{env}, with `*` where the id goes) */
const CALLS: Record<string, [Call, string[]]> = {
  'users.get': [(c, id) => c.users.get(id), ['users', '*']],
  'users.replace': [(c, id) => c.users.replace(id, { username: 'u' }), ['users', '*']],
  'users.patch': [(c, id) => c.users.patch(id, { title: 't' }), ['users', '*']],
  'users.delete': [(c, id) => c.users.delete(id), ['users', '*']],
  'users.setEnabled': [(c, id) => c.users.setEnabled(id, true), ['users', '*', 'enabled']],
  'users.setPopulation': [(c, id) => c.users.setPopulation(id, OTHER), ['users', '*', 'population']],
  'users.setPassword': [(c, id) => c.users.setPassword(id, { value: 'Secr3t!pass' }), ['users', '*', 'password']],
  'users.listGroupMemberships': [(c, id) => c.users.listGroupMemberships(id).toArray(), ['users', '*', 'memberOfGroups']],
  'users.addToGroup': [(c, id) => c.users.addToGroup(id, OTHER), ['users', '*', 'memberOfGroups']],
  'users.removeFromGroup (user id)': [(c, id) => c.users.removeFromGroup(id, OTHER), ['users', '*', 'memberOfGroups', OTHER]],
  'users.removeFromGroup (group id)': [(c, id) => c.users.removeFromGroup(OTHER, id), ['users', OTHER, 'memberOfGroups', '*']],
  'groups.get': [(c, id) => c.groups.get(id), ['groups', '*']],
  'groups.replace': [(c, id) => c.groups.replace(id, { name: 'g' }), ['groups', '*']],
  'groups.delete': [(c, id) => c.groups.delete(id), ['groups', '*']],
  'populations.get': [(c, id) => c.populations.get(id), ['populations', '*']],
  'populations.replace': [(c, id) => c.populations.replace(id, { name: 'p' }), ['populations', '*']],
  'populations.delete': [(c, id) => c.populations.delete(id), ['populations', '*']],
};

const tricky = fc.constantFrom(
  '.',
  '..',
  '',
  '...',
  '%2e',
  '%2e%2e',
  '.%2e',
  '..%2F',
  'a/b',
  'a\\b',
  '\\',
  '/',
  '?x=1',
  '#frag',
  'a\u0000b',
  '\n',
  '\u007f',
  '\uD800',
  '\uDC00x',
  '😀',
  ' ',
  '%',
  '%25',
);
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 });
const ids = fc.oneof(tricky, codeUnits, fc.string({ unit: 'binary', maxLength: 12 }), fc.uuid());

test('every id either arrives as exactly one intact segment or is refused before any request', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(CALLS)), ids, async (name, id) => {
      paths.length = 0;
      const [call, expected] = CALLS[name];
      const outcome = await Promise.resolve()
        .then(() => call(client, id))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      if (outcome !== undefined) {
        expect(outcome).toBeInstanceOf(PingOneError);
        expect(outcome).toMatchObject({ code: 'INVALID_ARGUMENT' });
        expect(paths).toEqual([]);
        return;
      }
      expect(paths).toHaveLength(1);
      const segments = paths[0].split('?')[0].split('/').slice(1);
      expect(segments.slice(0, 3)).toEqual(['v1', 'environments', ENV]);
      const rest = segments.slice(3);
      expect(rest).toHaveLength(expected.length);
      rest.forEach((segment, i) => expect(decodeURIComponent(segment)).toBe(expected[i] === '*' ? id : expected[i]));
    }),
    { numRuns: 400 },
  );
});

test.each(['.', '..', '', 'a/b', 'a\\b', 'a\u0001b'])('%j is refused with a message that says why and what to do', async (id) => {
  const error = (await client.users.delete(id).catch((e: unknown) => e)) as PingOneError;
  expect(error).toBeInstanceOf(PingOneError);
  expect(error.message).toMatch(/^Refusing to send a request for the id .*: .*PingOne ids are UUIDs/);
  expect(paths).toEqual([]);
});

test('a membership delete with group id ".." names the group id and sends nothing', async () => {
  const error = (await client.users.removeFromGroup(OTHER, '..').catch((e: unknown) => e)) as PingOneError;
  expect(error.message).toContain('group id ".."');
  expect(paths).toEqual([]);
});
