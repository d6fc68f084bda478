import fc from 'fast-check';
import { createPingOneClient, PingOneError, scim, serializeScimFilter, type ScimFilter } from '../src';
import { splitFilterForBudget } from '../src/filter/filter-budget';
import { startHarness, type Harness } from './helpers/client-under-test';

/** The OR-terms a filter selects with, per part: what the union of the parts must cover. */
function termsOf(filter: ScimFilter): string[] {
  const parts = filter.kind === 'and' ? filter.filters : [filter];
  const list = parts.find((p) => p.kind === 'or');
  return list && list.kind === 'or'
    ? list.filters.map(serializeScimFilter)
    : parts.filter((p) => p.kind === 'compare' && p.attribute === 'username').map(serializeScimFilter);
}

describe('splitFilterForBudget (property)', () => {
  const encoded = (f: ScimFilter) => 120 + encodeURIComponent(serializeScimFilter(f)).length; // 120: a base URL and limit
  test('every part fits and the parts cover every term exactly once, or a single term is too long on its own', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 400 }), { minLength: 1, maxLength: 60 }),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        fc.integer({ min: 300, max: 6000 }),
        (values, restValue, budget) => {
          const list = values.map((v) => scim.eq('username', v));
          const rest = restValue === undefined ? undefined : scim.eq('type', restValue);
          const filter = rest ? scim.and(rest, scim.or(...list)) : scim.or(...list);
          const fits = (f: ScimFilter) => encoded(f) <= budget;
          const single = list.map((term) => (rest ? scim.and(rest, term) : term));
          let parts: ScimFilter[];
          try {
            parts = splitFilterForBudget(filter, fits, { request: 'the URL', budget, length: encoded });
          } catch (error) {
            expect(error).toBeInstanceOf(PingOneError);
            expect(error).toMatchObject({ code: 'REQUEST_TOO_LARGE' });
            expect((error as Error).message).toMatch(/alone makes the URL \d+ characters long, over the request-size budget of \d+/);
            expect(single.some((s) => !fits(s))).toBe(true);
            return;
          }
          expect(single.every(fits)).toBe(true);
          for (const part of parts) expect(fits(part)).toBe(true);
          if (parts.length === 1) expect(parts[0]).toEqual(filter);
          // Every part keeps the AND-ed condition, and the OR-terms are partitioned among the parts in order.
          if (rest) for (const part of parts) expect(serializeScimFilter(part).startsWith(`${serializeScimFilter(rest)} and `)).toBe(true);
          expect(parts.flatMap(termsOf)).toEqual(list.map(serializeScimFilter));
          // Greedy packing: no two neighbouring parts could have been one request.
          for (let i = 1; i < parts.length; i++) {
            const merged = rest
              ? scim.and(rest, scim.or(...termsOfFilters(parts[i - 1]), termsOfFilters(parts[i])[0]))
              : scim.or(...termsOfFilters(parts[i - 1]), termsOfFilters(parts[i])[0]);
            expect(fits(merged)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('an AND of two long OR-lists splits the longer, then the other where a part is still too long', () => {
    const ids = Array.from({ length: 30 }, (_, i) => scim.eq('id', `${'i'.repeat(30)}${i}`));
    const names = Array.from({ length: 30 }, (_, i) => scim.eq('username', `${'n'.repeat(30)}${i}`));
    const filter = scim.and(scim.or(...ids), scim.or(...names));
    const length = (f: ScimFilter) => serializeScimFilter(f).length;
    const parts = splitFilterForBudget(filter, (f) => length(f) <= 800, { request: 'the URL', budget: 800, length });
    for (const part of parts) expect(length(part)).toBeLessThanOrEqual(800);
    // The union of the parts is the cross product's cover: every (id, name) pair is in some part.
    const covered = new Set<string>();
    for (const part of parts) {
      const lists = (part.kind === 'and' ? part.filters : [part]).map((p) => (p.kind === 'or' ? p.filters : [p]).map(serializeScimFilter));
      const [a, b] = [lists.find((l) => l[0].startsWith('id'))!, lists.find((l) => l[0].startsWith('username'))!];
      for (const x of a) for (const y of b) covered.add(`${x}|${y}`);
    }
    expect(covered.size).toBe(30 * 30);
  });
});

function termsOfFilters(filter: ScimFilter): ScimFilter[] {
  const parts = filter.kind === 'and' ? filter.filters : [filter];
  const list = parts.find((p) => p.kind === 'or');
  return list && list.kind === 'or' ? [...list.filters] : parts.filter((p) => p.kind === 'compare' && p.attribute === 'username');
}

describe('the client splits long filters against the simulator', () => {
  let h: Harness;
  afterEach(() => h.close());

  const urlOf = (sim: Harness['sim'], r: { path: string; query: Readonly<Record<string, string>> }) =>
    `${sim.url}${r.path}?${Object.entries(r.query)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&')}`;

  test('a username IN-list over the budget becomes several requests whose union is the answer', async () => {
    h = await startHarness({ seed: 'demo', users: 60 }, { maxUrlLength: 1024 });
    const env = h.sim.store.environment(h.sim.environmentId)!;
    const usernames = [...env.users.values()].map((u) => String(u.data.username));
    const filter = scim.or(...usernames.map((u) => scim.eq('username', u)), ...usernames.slice(0, 5).map((u) => scim.eq('username', u)));
    const found = await h.client.users.list({ filter }).toArray();
    expect(found.map((u) => u.username).sort()).toEqual([...usernames].sort());
    const requests = h.sim.requests.api();
    for (const r of requests) expect(urlOf(h.sim, r).length).toBeLessThanOrEqual(1024);
    // The same split computed independently: the number of requests is exactly the number of parts.
    const length = (f: ScimFilter) =>
      `${h.options.apiUrl}/environments/${h.sim.environmentId}/users?filter=${encodeURIComponent(serializeScimFilter(f))}`.length;
    const parts = splitFilterForBudget(filter, (f) => length(f) <= 1024, { request: 'x', budget: 1024, length });
    expect(parts.length).toBeGreaterThan(1);
    expect(requests).toHaveLength(parts.length);
    expect(requests.map((r) => r.query.filter)).toEqual(parts.map(serializeScimFilter));
  });

  test('a single value longer than the budget is an error that says so, and nothing is sent', async () => {
    h = await startHarness({ seed: 'demo', users: 5 });
    const huge = 'x'.repeat(1_000_000);
    const error = (() => {
      try {
        h.client.users.list({ filter: scim.or(scim.eq('username', 'a'), scim.eq('username', huge)) });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'REQUEST_TOO_LARGE' });
    const message = (error as Error).message;
    expect(message).toMatch(
      /^The 1000000-character filter value "x{160}…\[999816 characters cut\]…x{24}" alone makes the URL of GET \/users \d+ characters long/,
    );
    expect(message).toContain('over the request-size budget of 4096');
    expect(message.length).toBeLessThan(1000);
    expect(h.sim.requests.api()).toHaveLength(0);
  });

  test('any other request over the budget fails unsent, with the URL cut in the message', async () => {
    h = await startHarness({ seed: 'demo', users: 5 });
    const error = (await h.client.users
      .list({ filter: `username eq "${'y'.repeat(20_000)}"` })
      .toArray()
      .catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'REQUEST_TOO_LARGE' });
    expect(error.message).toMatch(
      /^PingOne GET http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/.{100,}…\[\d+ characters cut\]….* was not sent: its URL is \d+ characters long, over the request-size budget of 4096/,
    );
    expect(error.message.length).toBeLessThan(800);
    expect(h.sim.requests.api()).toHaveLength(0);
  });

  test('maxUrlLength is validated', async () => {
    h = await startHarness();
    expect(() => createPingOneClient({ ...h.options, maxUrlLength: 10 })).toThrow(/'maxUrlLength' must be a number between 512 and 65536/);
  });
});
