import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startSimulator } from '@typeorm-pingone/simulator';
import { main } from '../src/conformance/cli';
import { runChildJest } from '../../pingone-simulator/test/ci/child-jest';

/*
 * The loop a user runs with their tenant (docs/client.md, docs/simulator.md): `pingone-conformance --har` records,
 * then the simulator's replay suite takes the HAR as evidence (PINGONE_EXTRA_HAR). No tenant is reachable here, so
 * the recording is made against a simulator: replayed, it must pass; altered, it must fail naming each difference.
 * The child run points PINGONE_REFERENCE_DIR at a missing directory, so it replays only the HARs given here.
 */
interface Har {
  log: {
    entries: {
      request: { url: string };
      response: { status: number; headers: { name: string; value: string }[]; content: { text: string } };
      comment: string;
    }[];
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conformance-replay-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `pingone-conformance` against a fresh demo simulator, recorded to `dir/<name>`; returns the HAR's path. */
async function record(name: string, users: number, args: readonly string[] = []): Promise<string> {
  const sim = await startSimulator({ seed: 'demo', users });
  const recorded = join(dir, name);
  try {
    const env = {
      PINGONE_ENVIRONMENT_ID: sim.environmentId,
      PINGONE_CLIENT_ID: sim.credentials.clientId,
      PINGONE_CLIENT_SECRET: sim.credentials.clientSecret,
      PINGONE_API_URL: sim.apiUrl,
      PINGONE_AUTH_URL: sim.authUrl,
    };
    expect(await main(['--har', recorded, ...args], env, () => undefined)).toBe(0);
  } finally {
    await sim.close();
  }
  return recorded;
}

test('a HAR recorded by pingone-conformance replays against a simulator seeded from it; an altered one fails naming what differs', async () => {
  const recorded = await record('tenant.har', 30);
  const har = JSON.parse(readFileSync(recorded, 'utf8')) as Har;
  const entries = har.log.entries;
  // Case-rule probes are facts of the report, not replayed (their filter values are pseudonyms no seeded user has).
  const replayed = entries.filter((e) => !e.comment.startsWith('case rule:') && !e.comment.startsWith('directory:')).length;
  expect(replayed).toBeLessThan(entries.length);

  // The same recording with deliberate changes, each one a kind of difference the replay must name.
  const altered = structuredClone(har);
  const e = altered.log.entries;
  const firstUsers = JSON.parse(e[0].response.content.text) as {
    _embedded: { users: Record<string, unknown>[] };
    _links: { self: { href: string } };
  };
  // (a link, which the simulator renders whatever the seed says; a removed attribute would leave the seed too)
  const lowest = [...firstUsers._embedded.users].sort((a, b) => String(a.id).localeCompare(String(b.id)))[0];
  delete (lowest._links as Record<string, unknown>).linkedAccounts;
  firstUsers._links.self.href = firstUsers._links.self.href.replace('limit=1000', 'limit=999');
  e[0].response.content.text = JSON.stringify(firstUsers);
  const missingAt = e.findIndex((x) => x.comment === 'error body: missing resource');
  e[missingAt].response.status = 403;
  const schemaAt = e.findIndex((x) => x.comment === 'user schema');
  e[schemaAt].response.headers = e[schemaAt].response.headers.map((h) =>
    h.name === 'content-type' ? { ...h, value: 'application/json' } : h,
  );
  const alteredPath = join(dir, 'altered.har');
  writeFileSync(alteredPath, JSON.stringify(altered));

  const run = await runChildJest(
    ['packages/pingone-simulator/test/evidence/har-replay.test.ts'],
    {
      CI: 'true',
      PINGONE_REFERENCE_DIR: join(dir, 'no-reference'),
      PINGONE_EXTRA_HAR: [recorded, alteredPath].join(delimiter),
    },
    240_000,
  );
  expect(run.killedBySafetyNet).toBe(false);
  expect(run.report).toBeDefined();
  const results = run.report!.testResults[0];
  // 1 skipped stand-in for the missing bundled recordings; every entry of both HARs replayed, the 3 altered failing.
  expect(run.report).toMatchObject({ numPendingTests: 1, numFailedTests: 3, numPassedTests: 2 * replayed - 3 });
  expect(run.status).toBe(1);
  const recordedContentType = entries[schemaAt].response.headers.find((h) => h.name === 'content-type')!.value;
  expect(recordedContentType).not.toBe('application/json');
  // Each failure names the HAR, the entry and exactly what differs.
  expect(results.message).toContain(`altered.har › 1. GET users (with query): page size and count`);
  expect(results.message).toContain('"body._embedded.users[0]._links.linkedAccounts: not in the recording"');
  expect(results.message).toMatch(
    /"body\._links\.self\.href: href http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/[0-9a-f-]+\/users\?limit=1000 ≠ recorded http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/[0-9a-f-]+\/users\?limit=999"/,
  );
  expect(results.message).toContain(
    `altered.har › ${missingAt + 1}. GET users/00000000-0000-4000-8000-000000000000: error body: missing resource`,
  );
  expect(results.message).toContain('"status 404 ≠ recorded 403"');
  expect(results.message).not.toContain('tenant.har ›');
  expect(results.message).toContain(`altered.har › ${schemaAt + 1}. GET schemas: user schema`);
  expect(results.message).toContain(`"header content-type: ${recordedContentType} ≠ recorded application/json"`);
}, 250_000);

test('a --writes recording replays as one session in order; a tenant answering uniqueness with 409 shows as that difference', async () => {
  const recorded = await record('writes.har', 20, ['--writes']);
  const har = JSON.parse(readFileSync(recorded, 'utf8')) as Har;
  const altered = structuredClone(har);
  const duplicate = altered.log.entries.find((e) => e.comment === 'writes: create a user with a taken username')!;
  expect(duplicate.response.status).toBe(400);
  duplicate.response.status = 409;
  const alteredPath = join(dir, 'altered-writes.har');
  writeFileSync(alteredPath, JSON.stringify(altered));
  const run = await runChildJest(
    ['packages/pingone-simulator/test/evidence/har-replay.test.ts'],
    {
      CI: 'true',
      PINGONE_REFERENCE_DIR: join(dir, 'no-reference'),
      PINGONE_EXTRA_HAR: [recorded, alteredPath].join(delimiter),
    },
    240_000,
  );
  expect(run.killedBySafetyNet).toBe(false);
  // Everything passes but the altered session, which names the exchange and the difference.
  expect(run.report).toMatchObject({ numFailedTests: 1 });
  const message = run.report!.testResults[0].message;
  expect(message).toMatch(/altered-writes\.har › the writes session, \d+ exchanges in order/);
  expect(message).toMatch(/POST users: writes: create a user with a taken username: status 400 ≠ recorded 409/);
  expect(message).not.toMatch(/ writes\.har › the writes session/);
}, 250_000);
