import { createServer, type Socket } from 'node:net';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, QueryFailedError, VersionColumn } from 'typeorm';
import { Group, PingOneDataSource, PingOneDriverError, Population, User, type PingOneDataSourceOptions } from '../src';

let sim: RunningSimulator;
const opened: PingOneDataSource[] = [];
beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 8 });
});
afterEach(async () => {
  for (const ds of opened.splice(0)) if (ds.isInitialized) await ds.destroy();
  await sim.close();
});

const connection = () => ({
  environmentId: sim.environmentId,
  apiUrl: sim.apiUrl,
  authUrl: sim.authUrl,
  clientId: sim.credentials.clientId,
  clientSecret: sim.credentials.clientSecret,
  rateLimit: false as const,
  retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 1 },
});
function source(options: Partial<PingOneDataSourceOptions> = {}): PingOneDataSource {
  const ds = new PingOneDataSource({ entities: [User, Group, Population], pingone: connection(), ...options });
  opened.push(ds);
  return ds;
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => (e instanceof QueryFailedError ? e.driverError : e) as PingOneDriverError,
  );

test('a column name that is no PingOne path: MAPPING_ERROR naming the column, the closest attribute and both fixes, in the first line', async () => {
  @Entity('users')
  class Account {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @Column({ type: 'varchar', name: 'user_name' }) username!: string;
  }
  const error = await failure(source({ entities: [Account] }).initialize());
  expect(error?.code).toBe('MAPPING_ERROR');
  expect(error!.message.split('\n')[0]).toBe(
    "Account.username maps to 'user_name', which PingOne users don't have (did you mean 'username'?): " +
      "name the column after the attribute (@Column({ name: 'username' })) or add @PingOneAttribute('username') to the property.",
  );
});

test("a custom-attribute column the user schema lacks is a MAPPING_ERROR at initialize() that lists the schema's custom attributes", async () => {
  @Entity('users')
  class Shoe {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @Column({ type: 'varchar', nullable: true }) shoeSize?: string;
  }
  const error = await failure(source({ entities: [Shoe] }).initialize());
  expect(error?.message).toMatch(
    /Shoe\.shoeSize maps to 'shoeSize'.*\n[\s\S]*^The environment's user schema has these custom attributes: costCenter, locales/m,
  );
});

test('a custom attribute with the wrong column type says what the schema has', async () => {
  @Entity('users')
  class L {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @Column({ type: 'boolean', nullable: true }) locales?: boolean;
  }
  expect((await failure(source({ entities: [L] }).initialize()))?.message).toMatch(
    /'locales' is array \(user schema: multi-valued array\)\. Use type 'simple-array' or 'simple-json'/,
  );
});

test('@VersionColumn and @DeleteDateColumn are refused at initialize() with what PingOne offers instead', async () => {
  @Entity('users')
  class V {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @VersionColumn() version!: number;
  }
  @Entity('users')
  class D {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @DeleteDateColumn() deletedAt?: Date;
  }
  expect((await failure(source({ entities: [V] }).initialize()))?.message).toMatch(/V\.version is a @VersionColumn.*@UpdateDateColumn/);
  expect((await failure(source({ entities: [D] }).initialize()))?.message).toMatch(/D\.deletedAt is a @DeleteDateColumn.*enabled = false/);
});

test('softDelete, restore and locks are refused at call time, before any request', async () => {
  const ds = await source().initialize();
  sim.requests.clear();
  expect((await failure(ds.getRepository(User).softDelete({ type: 'Contractor' })))?.message).toMatch(
    /^softDelete\(\): PingOne has no soft deletion.*enabled = false/,
  );
  expect((await failure(ds.getRepository(User).restore({ type: 'Contractor' })))?.message).toMatch(/^restore\(\)/);
  expect(
    (await failure(ds.getRepository(User).findOne({ where: { type: 'Contractor' }, lock: { mode: 'pessimistic_write' } })))?.message,
  ).toMatch(/Lock mode 'pessimistic_write': PingOne has no row locks/);
  expect(sim.requests.api()).toEqual([]);
});

test('UPDATE / DELETE without WHERE and clear() are refused unless allowUnfilteredWrites', async () => {
  const ds = await source().initialize();
  sim.requests.clear();
  const cleared = await failure(ds.getRepository(User).clear());
  expect(cleared?.code).toBe('UNFILTERED_WRITE');
  expect(cleared?.message).toMatch(/allowUnfilteredWrites: true/);
  expect((await failure(ds.query('UPDATE users SET title = ?', ['X'])))?.code).toBe('UNFILTERED_WRITE');
  expect(sim.requests.api()).toEqual([]);
  const allowed = await source({ allowUnfilteredWrites: true }).initialize();
  await allowed.query('DELETE FROM group_memberships');
  expect(sim.requests.api().some((r) => r.method === 'DELETE')).toBe(true);
});

test('fail fast: a wrong secret, an unknown environment, an unreachable host fail initialize(); lazyConnect starts without PingOne', async () => {
  const wrongSecret = await failure(source({ pingone: { ...connection(), clientSecret: 'not-the-secret' } }).initialize());
  expect(wrongSecret?.message).toMatch(
    /^initialize\(\) could not connect: PingOne refused the worker app's credentials.*lazyConnect: true/,
  );
  expect(wrongSecret?.message).not.toContain('not-the-secret');
  const unknownEnv = await failure(
    source({ pingone: { ...connection(), environmentId: '00000000-0000-4000-8000-000000000000' } }).initialize(),
  );
  expect(unknownEnv?.message).toMatch(/environment '00000000-0000-4000-8000-000000000000' (does not exist|is not readable)/);
  const unreachable = await failure(
    source({ pingone: { ...connection(), apiUrl: 'http://127.0.0.1:9/v1', authUrl: 'http://127.0.0.1:9' } }).initialize(),
  );
  expect(unreachable?.message).toMatch(
    /^initialize\(\) could not connect: PingOne could not be reached, so nothing was refused or checked: .*the connection to 127\.0\.0\.1:9 was refused \(ECONNREFUSED/,
  );
  expect(unreachable?.message).not.toMatch(/refused the worker app's credentials/);
  sim.requests.clear();
  const lazy = await source({ pingone: { ...connection(), clientSecret: 'not-the-secret' }, lazyConnect: true }).initialize();
  expect(lazy.isInitialized).toBe(true);
  expect(sim.requests.all()).toEqual([]);
});

test('no DNS, a hung token endpoint: initialize() names the DNS failure and the timeout, never refused credentials', async () => {
  const dns = await failure(
    source({
      pingone: { ...connection(), authUrl: 'https://auth.pingone-test.invalid', apiUrl: 'https://api.pingone-test.invalid/v1' },
    }).initialize(),
  );
  expect(dns?.message).toMatch(
    /^initialize\(\) could not connect: PingOne could not be reached, so nothing was refused or checked: .*the host name auth\.pingone-test\.invalid could not be resolved \(DNS/,
  );
  const sockets = new Set<Socket>();
  const hung = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((done) => hung.listen(0, '127.0.0.1', done));
  try {
    const port = (hung.address() as { port: number }).port;
    const timeout = await failure(
      source({ pingone: { ...connection(), authUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 } }).initialize(),
    );
    expect(timeout?.message).toMatch(
      /^initialize\(\) could not connect: PingOne did not answer in time, so nothing was refused or checked: .*within 200 ms/,
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => hung.close(done));
  }
});

test('@CreateDateColumn on groups maps to createdAt and is never sent', async () => {
  @Entity('groups')
  class Team {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @Column({ type: 'varchar' }) name!: string;
    @CreateDateColumn() since!: Date;
  }
  const ds = await source({ entities: [Team] }).initialize();
  sim.requests.clear();
  const team = await ds.getRepository(Team).save({ name: 'Dated' });
  expect(sim.requests.api().find((r) => r.method === 'POST')!.body).toEqual({ name: 'Dated' });
  expect(team.since).toBeInstanceOf(Date);
});

test('logging: true prints each PingOne request under its SQL, as docs/driver.md says', async () => {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  const spies = [jest.spyOn(console, 'log').mockImplementation(capture), jest.spyOn(console, 'info').mockImplementation(capture)];
  try {
    const ds = await source({ logging: true, logger: 'simple-console' }).initialize();
    await ds.getRepository(User).findBy({ type: 'Contractor' });
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  expect(lines.some((l) => /SELECT/.test(l))).toBe(true);
  expect(lines.some((l) => /^info: PingOne GET \/users\?limit=1000 filter=type eq "Contractor" {3}← SELECT/.test(l))).toBe(true);
});

test("upsert() on PingOne's unique keys creates or updates: username for users (case-insensitively), name for groups", async () => {
  const ds = await source().initialize();
  const users = ds.getRepository(User);
  sim.requests.clear();
  await users.upsert({ username: 'upserted.user', email: 'upserted@example.com', title: 'First' }, ['username']);
  expect(sim.requests.api().map((r) => r.method)).toEqual(['GET', 'POST']);
  const created = await users.findOneByOrFail({ username: 'upserted.user' });
  expect(created.title).toBe('First');
  sim.requests.clear();
  await users.upsert({ username: 'UPSERTED.USER', email: 'upserted@example.com', title: 'Second' }, ['username']);
  const writes = sim.requests.api().filter((r) => r.method !== 'GET');
  expect(writes.map((r) => [r.method, r.path.endsWith(`/users/${created.id}`), r.body])).toEqual([['PATCH', true, { title: 'Second' }]]);
  expect((await users.findOneByOrFail({ id: created.id })).title).toBe('Second');
  expect(await users.countBy({ username: 'upserted.user' })).toBe(1);
  const groups = ds.getRepository(Group);
  await groups.upsert({ name: 'Upserted group', description: 'one' }, ['name']);
  await groups.upsert({ name: 'Upserted group', description: 'two' }, ['name']);
  expect((await groups.findBy({ name: 'Upserted group' })).map((g) => g.description)).toEqual(['two']);
});

test('upsert() on any other key is refused before any request, saying which key PingOne keeps unique', async () => {
  const ds = await source().initialize();
  sim.requests.clear();
  const error = await failure(ds.getRepository(User).upsert({ username: 'someone', email: 'someone@example.com' }, ['email']));
  expect(error?.code).toBe('UNSUPPORTED_STATEMENT');
  expect(error?.message).toMatch(/upsert works on \['username'\]; nothing was sent/);
  expect(sim.requests.api()).toEqual([]);
});
