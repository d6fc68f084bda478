import { startSimulator, type RunningSimulator } from '../../src';
import { apiBaseOf, responseDiff, simulatorFrom } from './har-evidence';
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

function replayEach(recorded: readonly { file: string; entries: HarEntry[] }[]): void {
  describe.each(recorded.map((f) => [f.file, f.entries] as const))('%s', (_file, entries) => {
    let sim: RunningSimulator;
    let token: string;
    beforeAll(async () => {
      sim = await startSimulator(simulatorFrom(entries));
      const basic = Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString('base64');
      const res = await fetch(`${sim.authUrl}/${sim.environmentId}/as/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      token = ((await res.json()) as { access_token: string }).access_token;
    });
    afterAll(() => sim?.close());

    const name = (e: HarEntry, i: number) => {
      const url = new URL(e.request.url);
      return `${i + 1}. ${e.request.method} ${url.pathname.split('/').slice(url.pathname.split('/').indexOf('environments') + 2).join('/') || '(environment)'}${url.search ? ' (with query)' : ''}${(e as { comment?: string }).comment ? `: ${(e as { comment?: string }).comment}` : ''}`;
    };
    test.each(entries.map((e, i) => [name(e, i), e] as const))('%s', async (_name, entry) => {
      const url = sim.apiUrl + entry.request.url.slice(apiBaseOf(entry).length);
      const res = await fetch(url, { method: entry.request.method, headers: { authorization: `Bearer ${token}` } });
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
