import fc from 'fast-check';
import { QueryFailedError, TypeORMError } from 'typeorm';
import { parseScimFilter } from '@typeorm-pingone/simulator';
import { createPingOneClient, PingOneConfigError, pingOneOptionsFromUrl } from '@typeorm-pingone/client';
import { startDriver, type DriverHarness } from '../helpers/driver-harness';
import { PingOneDriverError, User } from '../../src';

/*
 * Seeded property tests, 10,000 cases each: values reach PingOne as exactly the literal (the simulator's request
 * log proves no filter injection), arbitrary SQL gives a typed error or a result (never a crash or a hang), and
 * malformed configuration gives config errors.
 */
let h: DriverHarness;
beforeAll(async () => {
  h = await startDriver({ seed: 'demo', users: 5 });
});
afterAll(() => h.close());

// Strings rich in what could break a filter: quotes, backslashes, brackets, SCIM keywords, unicode, controls.
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '"',
        '\\',
        '[',
        ']',
        '(',
        ')',
        ' or ',
        ' and ',
        ' eq ',
        'not ',
        'pr',
        '%',
        '_',
        "'",
        '\u0000',
        'é',
        '𝄞',
        '\n',
        'username',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

test('property: a where value reaches PingOne as exactly that literal (10,000 cases)', async () => {
  const repo = h.ds.getRepository(User);
  await fc.assert(
    fc.asyncProperty(hostile, async (value) => {
      if (value === '') return; // an empty string is not pushed (PingOne rejects empty values); covered below
      h.sim.requests.clear();
      const rows = await repo.findBy({ title: value });
      expect(rows.every((u) => u.title === value)).toBe(true);
      const sent = h.sim.requests.api();
      expect(sent).toHaveLength(1);
      expect(sent[0].status).toBe(200);
      expect(parseScimFilter(sent[0].query.filter)).toEqual({ kind: 'compare', attribute: 'title', operator: 'eq', value });
    }),
    { numRuns: 10_000, seed: 7 },
  );
}, 300_000);

test('an empty string is not pushed and still matches locally', async () => {
  h.sim.requests.clear();
  expect(await h.ds.getRepository(User).findBy({ title: '' })).toEqual([]);
  expect(h.sim.requests.api()[0].query.filter).toBeUndefined();
});

const sqlish = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc
    .tuple(
      fc.constantFrom(
        'SELECT',
        'SELECT *',
        'SELECT COUNT(*)',
        'EXPLAIN SELECT',
        'UPDATE',
        'DELETE FROM',
        'INSERT INTO',
        'WITH x AS',
        'SELECT DISTINCT',
      ),
      fc.constantFrom(
        ' FROM users',
        ' FROM groups g',
        ' FROM nope',
        ' users SET',
        ' FROM populations p JOIN users u ON u.populationId = p.id',
        '',
      ),
      fc.constantFrom(' WHERE', ' WHERE username =', ' GROUP BY', ' ORDER BY', ' LIMIT', ' UNION SELECT 1', ''),
      fc.string({ maxLength: 20 }),
    )
    .map((parts) => parts.join('')),
);

test('property: arbitrary SQL through query() is a typed error or a result, never a crash or hang (10,000 cases)', async () => {
  const untyped: string[] = [];
  await fc.assert(
    fc.asyncProperty(sqlish, async (sql) => {
      let hang: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        h.ds.query(sql).then(
          () => 'ok',
          (e: unknown) => e,
        ),
        new Promise((resolve) => {
          hang = setTimeout(() => resolve('HANG'), 5000);
        }),
      ]).finally(() => clearTimeout(hang));
      expect(outcome).not.toBe('HANG');
      if (outcome === 'ok') return;
      const typed =
        outcome instanceof QueryFailedError ? outcome.driverError instanceof PingOneDriverError : outcome instanceof TypeORMError;
      if (!typed) untyped.push(`${sql} → ${String(outcome)}`);
    }),
    { numRuns: 10_000, seed: 11 },
  );
  expect(untyped).toEqual([]);
  // The directory is untouched by statements that failed (the ones that ran were reads or refused writes).
  expect(h.sim.store.environment(h.sim.environmentId)!.users.size).toBe(5);
}, 300_000);

test('property: malformed configuration objects and URLs give PingOneConfigError (10,000 cases each)', () => {
  const keys = [
    'environmentId',
    'region',
    'clientId',
    'clientSecret',
    'apiUrl',
    'authUrl',
    'timeoutMs',
    'retry',
    'rateLimit',
    'customDomain',
    'colour',
  ];
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...keys), fc.anything()), (options) => {
      try {
        createPingOneClient(options as never);
      } catch (error) {
        expect(error).toBeInstanceOf(PingOneConfigError);
      }
    }),
    { numRuns: 10_000, seed: 13 },
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string().map((s) => `pingone://?${s}`),
        fc.webUrl(),
      ),
      (url) => {
        try {
          pingOneOptionsFromUrl(url);
        } catch (error) {
          expect(error).toBeInstanceOf(PingOneConfigError);
        }
      },
    ),
    { numRuns: 10_000, seed: 17 },
  );
});
