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
  const pushable = ['users', 'groups', 'populations'].flatMap((r) => claimedFilterCells(r as 'users').filter((c) => !c.startsWith('custom ')));
  expect(api).toHaveLength(1 + pushable.length + 2);
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
  expect(lines.at(-1)).toMatch(/^\d+\/\d+ checks passed; \d+ exchanges recorded \(redacted\) in /);
});

test('without PINGONE_* credentials, or without --har, it says what is missing', async () => {
  const lines: string[] = [];
  expect(await main(['--har', join(dir, 'x.har')], {}, (l) => lines.push(l))).toBe(2);
  expect(await main([], envFor(sim), (l) => lines.push(l))).toBe(2);
  expect(lines[0]).toMatch(/No PINGONE_\* credentials are set/);
  expect(lines[1]).toMatch(/^Usage: pingone-conformance --har <file\.har>/);
  expect(sim.requests.api()).toHaveLength(0);
});
