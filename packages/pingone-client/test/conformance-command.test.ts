import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { claimedFilterCells } from '../src';
import { PLANNER_SHAPES } from '../src/conformance/planner-shapes';
import { main } from '../src/conformance/cli';

/*
 * `pingone-conformance` can't reach a real tenant here, so it runs against the simulator: every check must pass,
 * the suite must be read-only, and the HAR it writes must be redacted and in the shape of the real recordings.
 */
let sim: RunningSimulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 30 });
  dir = mkdtempSync(join(tmpdir(), 'conformance-'));
});
afterEach(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const envFor = (s: RunningSimulator) => ({
  PINGONE_ENVIRONMENT_ID: s.environmentId,
  PINGONE_CLIENT_ID: s.credentials.clientId,
  PINGONE_CLIENT_SECRET: s.credentials.clientSecret,
  PINGONE_API_URL: s.apiUrl,
  PINGONE_AUTH_URL: s.authUrl,
});

test('against the simulator: every check passes, nothing is written, and a redacted HAR is recorded', async () => {
  const lines: string[] = [];
  const har = join(dir, 'tenant.har');
  expect(await main(['--har', har], envFor(sim), (l) => lines.push(l))).toBe(0);
  expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
  const api = sim.requests.api();
  // reads only: GETs, and the audit query's POST (a read whose filter travels in the body)
  expect(api.every((r) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith('/activities')))).toBe(true);
  // The demo seed's schema has costCenter (single-valued STRING, allowsContainsOperator): every custom cell is checked
  // too. Only case-rule probes on attributes no demo user has a value for are skipped.
  const pushable = ['users', 'groups', 'populations'].flatMap((r) => claimedFilterCells(r as 'users'));
  for (const cell of pushable)
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^ok   (users|groups|populations): ${cell.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `)),
      ]),
    );
  expect(lines.filter((l) => l.startsWith('skip') && !l.startsWith('skip case rule'))).toEqual([]);
  expect(lines).toEqual(
    expect.arrayContaining(['ok   users: custom co (allowsContainsOperator): costCenter co "conformance-check" → 200']),
  );
  // Every shape of filter the driver's planner sends is sent too.
  for (const shape of PLANNER_SHAPES)
    expect(lines.some((l) => l.startsWith(`ok   planner shape ${shape.resource}: ${shape.name}`))).toBe(true);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^ok {3}case rule users username eq \(listed data\): insensitive/),
      expect.stringMatching(/^ok {3}membership list shape: 200, _embedded.groupMemberships with 1 item\(s\) of \{id, type\}/),
      expect.stringMatching(/^ok {3}membership list paging: /),
      expect.stringMatching(/^ok {3}membership list expand=group: 200: _embedded.group is the group/),
      'ok   unsupported filter error body: 400 INVALID_DATA [INVALID_FILTER]: recognised as a filter refusal (the driver re-plans on it)',
    ]),
  );
  const text = readFileSync(har, 'utf8');
  expect(text).not.toContain(sim.credentials.clientSecret);
  expect(text).not.toMatch(/@example\.com/);
  const entries = (
    JSON.parse(text) as {
      log: {
        entries: {
          comment: string;
          request: { url: string; queryString: { name: string; value: string }[] };
          response: { status: number; content: { text: string } };
        }[];
      };
    }
  ).log.entries;
  expect(entries).toHaveLength(api.length);
  expect(entries[0].request.url).toBe(`${sim.apiUrl}/environments/${sim.environmentId}/users?limit=1000`);
  expect(JSON.parse(entries[0].response.content.text)).toMatchObject({ _embedded: { users: expect.any(Array) }, count: 30 });
  const byComment = (comment: string) => entries.find((e) => e.comment === comment)!;
  expect(byComment('error body: unsupported filter').response.status).toBe(400);
  expect(JSON.parse(byComment('error body: unsupported filter').response.content.text).details[0].code).toBe('INVALID_FILTER');
  expect(byComment('error body: missing resource').response.status).toBe(404);
  // A case-rule probe is recorded with the pseudonym of the value it was built from, never the value.
  const users = [...sim.store.environment(sim.environmentId)!.users.values()].map((r) => r.data);
  const titleProbe = byComment('case rule: users title eq').request.queryString.find((q) => q.name === 'filter')!.value;
  expect(titleProbe).toMatch(/ and title eq "redacted-\d+"$/);
  expect(users.some((u) => typeof u.title === 'string' && titleProbe.toLowerCase().includes(u.title.toLowerCase()))).toBe(false);
  expect(lines.at(-2)).toMatch(/^\d+\/\d+ checks passed \(\d+ skipped\); \d+ exchanges recorded \(redacted\) in /);
  expect(lines.at(-1)).toBe(
    `Replay it against the simulator: PINGONE_EXTRA_HAR=${har} node scripts/run-jest.cjs packages/pingone-simulator/test/evidence/har-replay.test.ts (docs/simulator.md)`,
  );
  // Response headers the replay compares are recorded; directory strings are pseudonyms, unique values kept unique.
  expect((entries[0].response as unknown as { headers: unknown[] }).headers).toEqual(
    expect.arrayContaining([
      { name: 'content-type', value: expect.stringMatching(/json/) },
      { name: 'correlation-id', value: expect.any(String) },
    ]),
  );
  const usernames = (JSON.parse(entries[0].response.content.text) as { _embedded: { users: { username: string }[] } })._embedded.users.map(
    (u) => u.username,
  );
  expect(new Set(usernames).size).toBe(30);
  expect(usernames.every((u) => /^redacted-\d+$/.test(u))).toBe(true);
});

test('against the strict, case-sensitive simulator: weakly sourced cells and shapes are refused, which is what the driver learns, not a failure', async () => {
  const strict = await startSimulator({ seed: 'demo', users: 20, strict: true, caseMode: 'sensitive' });
  try {
    const lines: string[] = [];
    expect(await main(['--har', join(dir, 'strict.har')], envFor(strict), (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^ok {3}users: name\.given co: .* → 400: refused; the driver learns this on first use and evaluates it locally/,
        ),
        expect.stringMatching(/^ok {3}planner shape users: direct members of a group, narrowed to users \(weak: .*\): .* → 400: refused/),
        expect.stringMatching(/^ok {3}case rule users title eq \(listed data\): sensitive/),
      ]),
    );
  } finally {
    await strict.close();
  }
});

test('--writes: checks write semantics in a scratch population, deletes all it created, and records the writes with their bodies', async () => {
  const env = sim.store.environment(sim.environmentId)!;
  const before = { users: env.users.size, groups: env.groups.size, populations: env.populations.size };
  const lines: string[] = [];
  const har = join(dir, 'writes.har');
  expect(await main(['--har', har, '--writes'], envFor(sim), (l) => lines.push(l))).toBe(0);
  expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
  expect(lines).toEqual(
    expect.arrayContaining([
      'ok   PUT clears omitted attributes: 200: nickname cleared, title Put Title',
      'ok   PATCH keeps what it omits: 200: title Put Title, nickname Patched Nick',
      'ok   read-only attributes in a body: 200: ignored (id and createdAt unchanged: true)',
      'ok   uniqueness violation status: 400 INVALID_DATA [UNIQUENESS_VIOLATION]',
      'ok   nested groups may form a cycle: A in C 201, C in B 201, B in A 201 (cycle accepted)',
      'ok   memberships through a cycle: 200: DIRECT, INDIRECT, INDIRECT',
      expect.stringMatching(/^ok {3}writes: clean up: deleted everything created \(6 resources\)/),
    ]),
  );
  expect({ users: env.users.size, groups: env.groups.size, populations: env.populations.size }).toEqual(before);
  const entries = (
    JSON.parse(readFileSync(har, 'utf8')) as {
      log: { entries: { comment: string; request: { method: string; postData?: { text: string } } }[] };
    }
  ).log.entries;
  const writes = entries.filter((e) => e.comment.startsWith('writes: '));
  expect(
    writes.filter((e) => e.request.method !== 'GET' && e.request.method !== 'DELETE').every((e) => e.request.postData !== undefined),
  ).toBe(true);
  expect(readFileSync(har, 'utf8')).not.toMatch(/pingone-conformance-[0-9a-f]{8}|Lovelace Check|Chief Tester/);
});

test('a failure to clean up is a FAIL naming what is left', async () => {
  sim.faults.failNext(1, { status: 403, method: 'DELETE', path: '/populations/' }); // not retried, unlike a 500
  const lines: string[] = [];
  expect(await main(['--har', join(dir, 'left.har'), '--writes'], envFor(sim), (l) => lines.push(l))).toBe(1);
  expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([
    expect.stringMatching(/^FAIL writes: clean up: LEFT IN THE TENANT, delete by hand: populations\/[0-9a-f-]{36} \(403\)$/),
  ]);
});

test('without PINGONE_* credentials, or without --har, it says what is missing', async () => {
  const lines: string[] = [];
  expect(await main(['--har', join(dir, 'x.har')], {}, (l) => lines.push(l))).toBe(2);
  expect(await main([], envFor(sim), (l) => lines.push(l))).toBe(2);
  expect(lines[0]).toMatch(/No PINGONE_\* credentials are set/);
  expect(lines[1]).toMatch(/^Usage: pingone-conformance --har <file\.har> \[--writes\]/);
  expect(sim.requests.api()).toHaveLength(0);
});

test('with a private_key_jwt worker from PINGONE_* variables', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const { writeFileSync } = await import('node:fs');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyed = await startSimulator({
    seed: 'demo',
    users: 5,
    workerAuthMethod: 'PRIVATE_KEY_JWT',
    workerJwks: { keys: [publicKey.export({ format: 'jwk' })] },
  });
  try {
    const keyFile = join(dir, 'worker.pem');
    writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    const lines: string[] = [];
    const env = {
      PINGONE_ENVIRONMENT_ID: keyed.environmentId,
      PINGONE_CLIENT_ID: keyed.credentials.clientId,
      PINGONE_API_URL: keyed.apiUrl,
      PINGONE_AUTH_URL: keyed.authUrl,
      PINGONE_TOKEN_ENDPOINT_AUTH_METHOD: 'private_key_jwt',
      PINGONE_PRIVATE_KEY_FILE: keyFile,
    };
    expect(await main(['--har', join(dir, 'jwt.har')], env, (l) => lines.push(l))).toBe(0);
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
  } finally {
    await keyed.close();
  }
});
