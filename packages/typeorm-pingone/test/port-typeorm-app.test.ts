import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { type QueryFailedError } from 'typeorm';
import { Group, PingOneDataSource, Population, User, type PingOneDataSourceOptions, type ResourceTableMapping } from '../src';
import { Member, Team } from './fixtures/ported-entities';

let sim: RunningSimulator;
let ds: PingOneDataSource;
beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 12 });
});
afterEach(async () => {
  if (ds?.isInitialized) await ds.destroy();
  await sim.close();
});

const connection = (s: RunningSimulator) => ({
  environmentId: s.environmentId,
  apiUrl: s.apiUrl,
  authUrl: s.authUrl,
  clientId: s.credentials.clientId,
  clientSecret: s.credentials.clientSecret,
  rateLimit: false as const,
  retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 },
});
async function open(options: Partial<PingOneDataSourceOptions> = {}): Promise<PingOneDataSource> {
  ds = new PingOneDataSource({ entities: [Member, Team], pingone: connection(sim), ...options });
  return ds.initialize();
}
const api = () => sim.requests.api().map((r) => `${r.method} ${r.path.replace(`/v1/environments/${sim.environmentId}`, '')}`);
const patches = () =>
  sim.requests
    .api()
    .filter((r) => r.method === 'PATCH')
    .map((r) => r.body);
const stored = (id: string) => sim.store.environment(sim.environmentId)!.users.get(id)!.data;

test('initialize() checks the connection, reads the user schema once, and maps column names as PingOne paths', async () => {
  await open();
  // '' is GET /v1/environments/{id} itself (the environment read that proves the credentials).
  expect(api()).toEqual(['GET ', 'GET /schemas', expect.stringMatching(/^GET \/schemas\/[0-9a-f-]+\/attributes$/)]);
  const users = ds.pingoneDriver.mappings.get('users') as ResourceTableMapping;
  expect(Object.fromEntries(users.columns.map((c) => [c.column, c.attribute]))).toEqual({
    id: 'id',
    username: 'username',
    email: 'email',
    'name.given': 'name.given',
    nameFamily: 'name.family',
    type: 'type',
    title: 'title',
    costCenter: 'costCenter',
    locales: 'locales',
    createdAt: 'createdAt',
    modifiedAt: 'updatedAt',
    teamId: 'population.id',
  });
  expect(users.byColumn.get('locales')).toMatchObject({ custom: true, kind: 'array' });
});

test('reads through the ported entities: filters pushed to PingOne, custom and multi-valued attributes, dates, the renamed relation', async () => {
  await open();
  sim.requests.clear();
  const contractors = await ds.getRepository(Member).find({ where: { employeeType: 'Contractor' }, relations: { team: true } });
  expect(sim.requests.api()[0].query.filter).toBe('type eq "Contractor"');
  const expected = [...sim.store.environment(sim.environmentId)!.users.values()].filter((r) => r.data.type === 'Contractor');
  expect(contractors).toHaveLength(expected.length);
  const first = contractors[0];
  const data = stored(first.id);
  expect(first).toMatchObject({
    login: data.username,
    givenName: (data.name as { given: string }).given,
    cost: data.costCenter,
    locales: data.locales,
  });
  expect(first.createdAt.toISOString()).toBe(data.createdAt);
  expect(first.modifiedAt.toISOString()).toBe(data.updatedAt);
  expect(first.team?.id).toBe((data.population as { id: string }).id);
  expect(first.team?.name).toEqual(expect.any(String));
});

test('load → change → save, three rounds: each PATCH carries only what changed, never a read-only attribute, and the dates come back from PingOne', async () => {
  await open();
  const repo = ds.getRepository(Member);
  const member = await repo.findOneByOrFail({ employeeType: 'Employee' });
  sim.requests.clear();
  member.title = 'Lead';
  await repo.save(member);
  member.title = 'Principal';
  member.givenName = 'Renamed';
  await repo.save(member);
  member.cost = 'CC-42';
  member.locales = ['de-DE', 'en-GB'];
  await repo.save(member);
  expect(patches()).toEqual([
    { title: 'Lead' },
    { title: 'Principal', name: { given: 'Renamed' } },
    { costCenter: 'CC-42', locales: ['de-DE', 'en-GB'] },
  ]);
  expect(stored(member.id)).toMatchObject({
    title: 'Principal',
    name: { given: 'Renamed' },
    costCenter: 'CC-42',
    locales: ['de-DE', 'en-GB'],
  });
  expect(member.modifiedAt.toISOString()).toBe(stored(member.id).updatedAt);
  // A save with nothing changed sends nothing.
  sim.requests.clear();
  await repo.save(member);
  expect(api().filter((r) => !r.startsWith('GET'))).toEqual([]);
});

test("save() of a new entity sends no date column; PingOne's createdAt/updatedAt flow back", async () => {
  await open();
  const team = await ds.getRepository(Team).findOneByOrFail({ name: 'Partners' });
  sim.requests.clear();
  const member = await ds
    .getRepository(Member)
    .save(
      ds
        .getRepository(Member)
        .create({ login: 'ported.user', email: 'ported@example.com', givenName: 'Port', employeeType: 'Contractor', team }),
    );
  const post = sim.requests.api().find((r) => r.method === 'POST')!;
  expect(post.body).toEqual({
    username: 'ported.user',
    email: 'ported@example.com',
    name: { given: 'Port' },
    type: 'Contractor',
    population: { id: team.id },
  });
  expect(member.createdAt.toISOString()).toBe(stored(member.id).createdAt);
  expect(member.modifiedAt.toISOString()).toBe(stored(member.id).updatedAt);
});

test("a changed relation goes to PingOne's population endpoint", async () => {
  await open();
  const repo = ds.getRepository(Member);
  const member = await repo.findOneOrFail({ where: { employeeType: 'Employee' }, relations: { team: true } });
  const other = (await ds.getRepository(Team).find()).find((t) => t.id !== member.team?.id)!;
  sim.requests.clear();
  member.team = other;
  await repo.save(member);
  expect(api().filter((r) => !r.startsWith('GET'))).toEqual([`PUT /users/${member.id}/population`]);
  expect(stored(member.id).population).toEqual({ id: other.id });
});

test('the ready User entity: repeated load → change → save rounds PATCH only the changed attributes', async () => {
  await open({ entities: [User, Group, Population] });
  const repo = ds.getRepository(User);
  const user = await repo.findOneByOrFail({ type: 'Employee' });
  sim.requests.clear();
  for (const [i, title] of ['One', 'Two', 'Three'].entries()) {
    user.title = title;
    user.name!.family = `Family${i}`;
    await repo.save(user);
  }
  expect(patches()).toEqual([1, 2, 3].map((n, i) => ({ title: ['One', 'Two', 'Three'][i], name: { family: `Family${n - 1}` } })));
  const reloaded = await repo.findOneByOrFail({ id: user.id });
  reloaded.nickname = 'Again';
  sim.requests.clear();
  await repo.save(reloaded);
  expect(patches()).toEqual([{ nickname: 'Again' }]);
});

test("PingOne's required attributes and nullable: false columns are checked before any request", async () => {
  await open();
  sim.requests.clear();
  const noUsername = await ds
    .getRepository(Member)
    .insert({ email: 'x@example.com' })
    .catch((e: unknown) => e);
  expect((noUsername as QueryFailedError).driverError.message).toMatch(/Member\.login is declared nullable: false/);
  const noName = await ds
    .getRepository(Team)
    .insert({ description: 'x' })
    .catch((e: unknown) => e);
  expect(((noName as QueryFailedError).driverError as unknown as { code: string }).code).toBe('VALIDATION_ERROR');
  expect(api()).toEqual([]);
});
