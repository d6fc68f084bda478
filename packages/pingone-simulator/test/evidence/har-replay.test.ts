import { startSimulator, type RunningSimulator } from '../../src';
import { apiBaseOf, replayKind, responseDiff, simulatorFrom } from './har-evidence';
import { describeWithReference, extraRecordings, recordings, referenceAvailable, type HarEntry } from './reference-data';

/*
 * Replays every request of a recording against a simulator seeded with that recording's objects, and lists what
 * differs from the recorded response: status, the headers clients rely on, the keys present and absent at every
 * level, link names and hrefs (host replaced). The recordings: the bundled real PingOne ones (../shared/reference),
 * and any HAR given in PINGONE_EXTRA_HAR, e.g. what `pingone-conformance --har` recorded against a tenant.
 */
type Json = Record<string, any>;

const files = referenceAvailable ? recordings() : [];
const extra = extraRecordings();

/** `pingone-conformance --writes` exchanges, in order; ids of what they create are mapped to what the simulator created. */
async function replaySession(
  sim: RunningSimulator,
  token: string,
  session: readonly HarEntry[],
  name: (e: HarEntry) => string,
): Promise<string[]> {
  const ids = new Map<string, string>();
  const mapped = (text: string) => [...ids].reduce((t, [from, to]) => t.split(from).join(to), text);
  const diffs: string[] = [];
  for (const entry of session) {
    const url = sim.apiUrl + mapped(entry.request.url.slice(apiBaseOf(entry).length));
    const body = entry.request.postData ? mapped(entry.request.postData.text) : undefined;
    const res = await fetch(url, {
      method: entry.request.method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': entry.request.postData!.mimeType } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    const actual = (text === '' ? {} : JSON.parse(text)) as Json;
    const recorded = (entry.response.content.text ? JSON.parse(entry.response.content.text) : {}) as Json;
    if (entry.request.method === 'POST' && typeof recorded.id === 'string' && typeof actual.id === 'string' && !ids.has(recorded.id))
      ids.set(recorded.id, actual.id);
    const expected: HarEntry = { ...entry, response: { ...entry.response, content: { text: mapped(entry.response.content.text ?? '') } } };
    diffs.push(...responseDiff(expected, res.status, res.headers, actual, sim.apiUrl).map((d) => `${name(entry)}: ${d}`));
  }
  return diffs;
}

function replayEach(recorded: readonly { file: string; entries: HarEntry[] }[]): void {
  describe.each(recorded.map((f) => [f.file, f.entries] as const))('%s', (_file, all) => {
    const entries = all.filter((e) => replayKind(e) === 'read');
    const session = all.filter((e) => replayKind(e) === 'write');
    const facts = all.filter((e) => replayKind(e) === 'fact').length;
    let sim: RunningSimulator;
    let token: string;
    beforeAll(async () => {
      sim = await startSimulator(simulatorFrom(entries));
      const basic = Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString('base64');
      const res = await fetch(`${sim.authUrl}/${sim.environmentId}/as/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      token = ((await res.json()) as { access_token: string }).access_token;
    });
    afterAll(() => sim?.close());

    const name = (e: HarEntry) => {
      const url = new URL(e.request.url);
      return `${all.indexOf(e) + 1}. ${e.request.method} ${
        url.pathname
          .split('/')
          .slice(url.pathname.split('/').indexOf('environments') + 2)
          .join('/') || '(environment)'
      }${url.search ? ' (with query)' : ''}${e.comment ? `: ${e.comment}` : ''}`;
    };
    if (session.length > 0) {
      test(`the writes session, ${session.length} exchanges in order (${facts} case-rule probes are facts of the report, not replayed)`, async () => {
        expect(await replaySession(sim, token, session, name)).toEqual([]);
      });
    }
    test.each(entries.map((e) => [name(e), e] as const))('%s', async (_name, entry) => {
      const url = sim.apiUrl + entry.request.url.slice(apiBaseOf(entry).length);
      // pingone-conformance's refused-token probe was sent with a token PingOne never issued: so is its replay.
      const bearer = entry.comment === 'error body: refused token' ? 'conformance-check-not-a-token' : token;
      const res = await fetch(url, { method: entry.request.method, headers: { authorization: `Bearer ${bearer}` } });
      const text = await res.text();
      const body: unknown = text === '' ? {} : JSON.parse(text);
      expect(responseDiff(entry, res.status, res.headers, body, sim.apiUrl)).toEqual([]);
    });
  });
}

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

  replayEach(files);
});

if (extra.length > 0) {
  describe('replaying the HARs of PINGONE_EXTRA_HAR against the simulator', () => {
    replayEach(extra);
  });
}
