import { inspect } from 'node:util';
import { PingOneApiError, urlForMessage } from '../src';
import { startHarness, type Harness } from './helpers/client-under-test';

/* PingOne-sized request limits reach the caller as a PingOneApiError whose message does not embed the huge URL. */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

test('a 20 KB filter value (under a raised client budget) is a 414 whose message and url cut the long URL', async () => {
  // The client's own URL budget (default 4096) refuses such a request before sending it; raise it to reach PingOne's limit.
  const harness = await startHarness({}, { maxUrlLength: 65536 });
  h = harness;
  const value = 'v'.repeat(20 * 1024);
  const error = await harness.client
    .request({ method: 'GET', url: '/users', query: { filter: `username eq "${value}"` } })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneApiError);
  const api = error as PingOneApiError;
  expect(api.status).toBe(414);
  expect(api.detailCodes).toEqual(['SIZE_LIMIT_EXCEEDED']);
  expect(api.message.length).toBeLessThan(1000);
  expect(api.message).toMatch(
    /characters cut.*414 INVALID_REQUEST: URI Too Long \(url: The request line .* exceed the limit of 8192 bytes/,
  );
  expect(api.url).toMatch(/characters cut/); // the error keeps the cut form too: no 20 KB strings in logs or memory
  expect(inspect(api).length).toBeLessThan(3000);
  expect(harness.sim.requests.api()).toHaveLength(1); // a 414 is not retried
});

test('urlForMessage leaves ordinary URLs alone', () => {
  const url = 'https://api.pingone.eu/v1/environments/e/users?filter=username%20eq%20%22ada%22&limit=1000';
  expect(urlForMessage(url)).toBe(url);
  const long = `https://api.pingone.eu/v1/environments/e/users?filter=${'x'.repeat(5000)}&limit=1000`;
  expect(urlForMessage(long)).toMatch(
    /^https:\/\/api\.pingone\.eu\/v1\/environments\/e\/users\?filter=x+…\[\d+ characters cut\]…x+&limit=1000$/,
  );
  expect(urlForMessage(long).length).toBeLessThan(250);
});
