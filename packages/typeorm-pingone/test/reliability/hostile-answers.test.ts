import fc from 'fast-check';
import { In, QueryFailedError } from 'typeorm';
import { isPingOneId, PingOneError } from '@typeorm-pingone/client';
import { startDriver, type DriverHarness } from '../helpers/driver-harness';
import { ENVIRONMENT, freshUsers, startHostileServer, type HostileServer } from '../../../pingone-client/test/helpers/hostile-server';
import { Group, PingOneDataSource, PingOneDriverError, Population, User } from '../../src';

/*
 * Values that can't be PingOne ids are "no such row" before any request; answers that are not PingOne's (garbage
 * items, endless cursors, bodies over the limit) end a query in a typed error, and the DataSource keeps serving.
 */

const HOSTILE_IDS = [
  '..',
  '.',
  'a/b',
  'a\\b',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00',
  'x'.repeat(5000),
  '',
  '/',
  '\\',
  '../groups',
  'a/../b',
  'a\nb',
  '\u007f',
  `${'y'.repeat(129)}`,
];

describe('ids checked before any request', () => {
  let h: DriverHarness;
  let realUser: User;
  let realGroup: Group;
  beforeAll(async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    realUser = (await h.ds.getRepository(User).find({ take: 1 }))[0]!;
    realGroup = (await h.ds.getRepository(Group).find({ take: 1 }))[0]!;
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  test.each(HOSTILE_IDS.map((id) => [JSON.stringify(id.length > 20 ? `${id.slice(0, 20)}…(${id.length})` : id), id]))(
    '%s: findOneBy is null, writes affect 0 rows, and nothing is sent',
    async (_shown, id) => {
      const users = h.ds.getRepository(User);
      expect(await users.findOneBy({ id })).toBeNull();
      expect(await h.ds.getRepository(Group).findOneBy({ id })).toBeNull();
      expect(await h.ds.getRepository(Population).findBy({ id: In([id]) })).toEqual([]);
      expect((await users.update({ id }, { title: 'never' })).affected).toBe(0);
      expect((await users.delete({ id })).affected).toBe(0);
      const runner = h.ds.createQueryRunner();
      try {
        expect(
          (await runner.query('DELETE FROM group_memberships WHERE userId = ? AND groupId = ?', [id, realGroup.id], true)).affected,
        ).toBe(0);
      } finally {
        await runner.release();
      }
      expect(h.requests()).toEqual([]);
      // mixed with a real id, only the real one is asked for
      expect((await users.findBy({ id: In([id, realUser.id]) })).map((u) => u.id)).toEqual([realUser.id]);
      expect(h.requests()).toEqual([`GET /users/${realUser.id}`]);
    },
  );

  test("property: any string id is a row, null, or a typed error; one that can't be an id sends nothing", async () => {
    const users = h.ds.getRepository(User);
    const ids = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
      fc.constantFrom(...HOSTILE_IDS),
    );
    await fc.assert(
      fc.asyncProperty(ids, async (id) => {
        h.reset();
        const found = await users.findOneBy({ id });
        if (found) expect(found.id).toBe(id);
        if (!isPingOneId(id)) expect(h.requests()).toEqual([]);
      }),
      { numRuns: 500, seed: 26 },
    );
  });
});

describe("answers that are not PingOne's", () => {
  let server: HostileServer;
  let ds: PingOneDataSource;
  beforeEach(async () => {
    server = await startHostileServer();
    server.routes.set('/groups', {
      kind: 'pages',
      plural: 'groups',
      items: () => [{ id: '11111111-2222-4333-8444-555555555555', name: 'Still here' }],
      more: () => false,
      count: 1,
    });
    ds = await new PingOneDataSource({
      entities: [User, Group, Population],
      pingone: {
        environmentId: ENVIRONMENT,
        apiUrl: server.apiUrl,
        accessToken: 'hostile-test-token-0123456789',
        rateLimit: false,
        retry: { maxAttempts: 1 },
        maxResponseBytes: 1024 * 1024,
      },
      lazyConnect: true,
    }).initialize();
  });
  afterEach(async () => {
    if (ds.isInitialized) await ds.destroy();
    await server.close();
  });

  /** The query fails with the driver's REMOTE_ERROR whose cause is the client's error of `code`; then the DataSource still serves. */
  async function failsWith(work: Promise<unknown>, code: string, message: RegExp): Promise<void> {
    const outcome = await work.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(QueryFailedError);
    const driverError = (outcome as { driverError?: unknown }).driverError;
    expect(driverError).toBeInstanceOf(PingOneDriverError);
    expect(driverError).toMatchObject({ code: 'REMOTE_ERROR' });
    const cause = (driverError as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(PingOneError);
    expect(cause).toMatchObject({ code });
    expect((driverError as Error).message).toMatch(message);
    expect((await ds.getRepository(Group).find()).map((g) => g.name)).toEqual(['Still here']);
  }

  test.each([null, 1, 'x', [], { id: {} }, { id: 7 }])(
    'an item %j: find and COUNT fail with INVALID_RESPONSE (the item is never a row or counted)',
    async (item) => {
      server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => [...freshUsers(2), item], more: () => false });
      await failsWith(ds.getRepository(User).find(), 'INVALID_RESPONSE', /item 2 of _embedded\.users/);
      await failsWith(ds.getRepository(User).count(), 'INVALID_RESPONSE', /item 2 of _embedded\.users/);
      await failsWith(
        ds.query('SELECT COUNT(*) AS n FROM users WHERE title = ?', ['x']),
        'INVALID_RESPONSE',
        /GET http:\/\/\S+\/users\?limit=1000&filter=title%20eq%20%22x%22 returned/,
      );
    },
  );

  test('fresh cursors forever: INVALID_RESPONSE after a few pages', async () => {
    const same = freshUsers(2);
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => same, more: () => true });
    await failsWith(ds.getRepository(User).find(), 'INVALID_RESPONSE', /brought no new ids/);
    expect(server.requests.filter((r) => r.includes('/users')).length).toBeLessThanOrEqual(4);
  });

  test('a body over maxResponseBytes, streamed slowly: RESPONSE_TOO_LARGE naming the option', async () => {
    server.routes.set('/users', { kind: 'stream', bytes: 700 * 1024 * 1024, chunk: 64 * 1024, everyMs: 2, declare: false });
    await failsWith(ds.getRepository(User).find(), 'RESPONSE_TOO_LARGE', /maxResponseBytes \(1048576 bytes\)/);
    expect(server.streamed.bytes).toBeLessThan(700 * 1024 * 1024);
  });
});
