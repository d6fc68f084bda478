import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { claimedFilterCells } from '../src';
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
  PINGONE_ENVIRONMENT_ID: s.environmentId, PINGONE_CLIENT_ID: s.credentials.clientId, PINGONE_CLIENT_SECRET: s.credentials.clientSecret,
  PINGONE_API_URL: s.apiUrl, PINGONE_AUTH_URL: s.authUrl,
});

test('against the simulator: every check passes, nothing is written, and a redacted HAR is recorded', async () => {
  const lines: string[] = [];
  const har = join(dir, 'tenant.har');
  expect(await main(['--har', har], envFor(sim), (l) => lines.push(l))).toBe(0);
  expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
  const api = sim.requests.api();
  expect(api.every((r) => r.method === 'GET')).toBe(true);
  // The demo seed's schema has costCenter (single-valued STRING, allowsContainsOperator): every custom cell is checked too.
  const pushable = ['users', 'groups', 'populations'].flatMap((r) => claimedFilterCells(r as 'users'));
  expect(lines.filter((l) => l.startsWith('skip'))).toEqual([]);
  expect(lines).toEqual(expect.arrayContaining(['ok   users: custom co (allowsContainsOperator): costCenter co "conformance-check" → 200']));
  expect(api).toHaveLength(1 + 2 + pushable.length + 2);
  expect(api.slice(1, 3).map((r) => r.path.replace(`/v1/environments/${sim.environmentId}`, ''))).toEqual(['/schemas', expect.stringMatching(/^\/schemas\/[0-9a-f-]{36}\/attributes$/)]);
  const text = readFileSync(har, 'utf8');
  expect(text).not.toContain(sim.credentials.clientSecret);
  expect(text).not.toMatch(/@example\.com/);
  const entries = (JSON.parse(text) as { log: { entries: { request: { url: string; queryString: unknown[] }; response: { status: number; content: { text: string } } }[] } }).log.entries;
  expect(entries).toHaveLength(api.length);
  expect(entries[0]!.request.url).toBe(`${sim.apiUrl}/environments/${sim.environmentId}/users?limit=1000`);
  expect(JSON.parse(entries[0]!.response.content.text)).toMatchObject({ _embedded: { users: expect.any(Array) }, count: 30 });
  expect(entries.at(-2)!.response.status).toBe(400);
  expect(JSON.parse(entries.at(-2)!.response.content.text).details[0].code).toBe('INVALID_FILTER');
  expect(entries.at(-1)!.response.status).toBe(404);
  expect(lines.at(-2)).toMatch(/^\d+\/\d+ checks passed; \d+ exchanges recorded \(redacted\) in /);
  expect(lines.at(-1)).toBe(`Replay it against the simulator: PINGONE_EXTRA_HAR=${har} node scripts/run-jest.cjs packages/pingone-simulator/test/evidence/har-replay.test.ts (docs/simulator.md)`);
  // Response headers the replay compares are recorded; directory strings are pseudonyms, unique values kept unique.
  expect(entries[0]!.response).toMatchObject({ headers: expect.arrayContaining([{ name: 'content-type', value: expect.stringMatching(/json/) }, { name: 'correlation-id', value: expect.any(String) }]) });
  const usernames = (JSON.parse(entries[0]!.response.content.text) as { _embedded: { users: { username: string }[] } })._embedded.users.map((u) => u.username);
  expect(new Set(usernames).size).toBe(30);
  expect(usernames.every((u) => /^redacted-\d+$/.test(u))).toBe(true);
});

test('without PINGONE_* credentials, or without --har, it says what is missing', async () => {
  const lines: string[] = [];
  expect(await main(['--har', join(dir, 'x.har')], {}, (l) => lines.push(l))).toBe(2);
  expect(await main([], envFor(sim), (l) => lines.push(l))).toBe(2);
  expect(lines[0]).toMatch(/No PINGONE_\* credentials are set/);
  expect(lines[1]).toMatch(/^Usage: pingone-conformance --har <file\.har>/);
  expect(sim.requests.api()).toHaveLength(0);
});
