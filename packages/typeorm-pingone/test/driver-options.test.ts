import 'reflect-metadata';
import { Entity, PrimaryColumn } from 'typeorm';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, PingOneDriverError, Population, User, type PingOneDataSourceOptions } from '../src';

/*
 * Every option of PingOneDataSource is type-checked when it is constructed, with a message that says what to write
 * instead; `entities` is checked at initialize(), before any request, instead of failing at the first query.
 */
const pingone = {
  environmentId: '2f4a8c1e-0000-4000-8000-000000000001',
  region: 'EU' as const,
  clientId: 'app',
  clientSecret: 'not-a-real-secret',
};
const construct = (options: Record<string, unknown>) => () => new PingOneDataSource({ entities: [User], pingone, ...options });
const refusal = (options: Record<string, unknown>): PingOneDriverError => {
  try {
    construct(options)();
  } catch (error) {
    return error as PingOneDriverError;
  }
  throw new Error(`${JSON.stringify(Object.keys(options))} was accepted`);
};

describe('at construction', () => {
  test.each([
    [
      { customUserAttributes: 'costCenter' },
      /'customUserAttributes' is the string "costCenter"; it must be an array of attribute names: write customUserAttributes: \["costCenter"\]\./,
    ],
    [
      { customUserAttributes: ['costCenter', 42] },
      /'customUserAttributes\[1\]' is number 42; each entry must be the name of a custom attribute/,
    ],
    [{ customUserAttributes: ['cost center'] }, /'customUserAttributes\[0\]' is the string "cost center"/],
    [{ entities: User }, /'entities' is the function User; it must be an array .* \(wrap it in an array: entities: \[User\]\)\./],
    [
      { entities: 'dist/entities/*.js' },
      /'entities' is the string "dist\/entities\/\*\.js"; .*wrap it in an array: entities: \["dist\/entities\/\*\.js"\]/,
    ],
    [{ entities: undefined }, /'entities' is missing: list the entity classes/],
    [{ pingone: 42 }, /'pingone' is number 42; it must be client options .*, a pingone:\/\/ URL string, or a PingOneClient\./],
    [{ pingone: [pingone] }, /'pingone' is an array of 1; it must be client options/],
    [{ logging: 'yes' }, /'logging' is the string "yes"; it must be true, false, 'all' or an array of 'query', 'schema'/],
    [{ logging: ['query', 'verbose'] }, /'logging' is the string "verbose" in the list; it must be true, false, 'all' or an array of/],
    [{ logger: 'console' }, /'logger' is the string "console"; it must be one of 'advanced-console', .* or a TypeORM Logger object\./],
    [{ logger: { logQuery: 'stdout' } }, /'logger.logQuery' is the string "stdout"; a TypeORM Logger's logQuery, .* are functions\./],
    [{ name: '' }, /'name' is the string ""; it must be a non-empty string/],
    [{ subscribers: class Audit {} }, /'subscribers' is the function Audit; it must be an array of subscriber classes or glob strings/],
    [{ subscribers: [7] }, /'subscribers\[0\]' is number 7; each entry must be a subscriber class or a glob string\./],
    [{ maxQueryExecutionTime: '1000' }, /'maxQueryExecutionTime' is the string "1000"; it must be a number of milliseconds \(>= 0\)/],
    [{ maxQueryExecutionTime: -1 }, /'maxQueryExecutionTime' is number -1; it must be a number of milliseconds/],
    [{ synchronize: 'true' }, /'synchronize' is the string "true"; it must be true or false\./],
  ])('%p is refused with a fix-it message', (options, message) => {
    const error = refusal(options);
    expect(error).toBeInstanceOf(PingOneDriverError);
    expect(error.code).toBe('UNSUPPORTED_OPTION');
    expect(error.message).toMatch(/^PingOneDataSource option /);
    expect(error.message).toMatch(message);
  });

  test('a value is never echoed when it is not a short scalar (it could be a secret or a huge object)', () => {
    expect(refusal({ logging: 'x'.repeat(100) }).message).toContain(`the string "${'x'.repeat(40)}…"`);
    expect(refusal({ pingone: null }).message).toMatch(/'pingone' is null;/);
    expect(refusal({ synchronize: { secret: 'hunter2' } }).message).not.toContain('hunter2');
  });

  test('options of the right types are accepted', () => {
    const ds = construct({
      entities: { User, Group, Population },
      customUserAttributes: ['costCenter', 'employee_number'],
      logging: ['query', 'error'],
      logger: 'simple-console',
      name: 'directory',
      subscribers: [],
      maxQueryExecutionTime: 0,
      synchronize: false,
    })();
    expect(ds.isInitialized).toBe(false);
    expect(construct({ logging: 'all', logger: { log: () => undefined } })()).toBeInstanceOf(PingOneDataSource);
  });
});

describe('entities, at initialize()', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 'demo', users: 3 });
  });
  afterAll(() => sim?.close());
  beforeEach(() => sim.requests.clear());

  const initialize = async (entities: unknown): Promise<{ error: PingOneDriverError; ds: PingOneDataSource }> => {
    const ds = new PingOneDataSource({
      entities,
      pingone: {
        environmentId: sim.environmentId,
        apiUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        rateLimit: false,
      },
    } as PingOneDataSourceOptions);
    const outcome = await ds.initialize().then(
      () => undefined,
      (error: unknown) => error,
    );
    if (ds.isInitialized) await ds.destroy();
    if (!(outcome instanceof PingOneDriverError)) throw new Error(`initialize() ended with ${String(outcome)}`);
    return { error: outcome, ds };
  };

  test('an empty list fails at initialize(), before any request', async () => {
    const { error, ds } = await initialize([]);
    expect(error.code).toBe('MAPPING_ERROR');
    expect(error.message).toMatch(/option 'entities' is empty, so no table is mapped .* entities: \[User, Group, Population\]/);
    expect(ds.isInitialized).toBe(false);
    expect(sim.requests.all()).toHaveLength(0);
  });

  test('an entry that is not an entity (a number) fails at initialize(), before any request', async () => {
    const { error, ds } = await initialize([User, 123]);
    expect(error.message).toMatch(
      /option 'entities\[1\]' is number 123, which is not an entity\. Each entry must be an entity class \(decorated with @Entity\)/,
    );
    expect(ds.isInitialized).toBe(false);
    expect(sim.requests.all()).toHaveLength(0);
  });

  test('a class without @Entity fails at initialize() naming the class', async () => {
    class Contact {
      id!: string;
    }
    const { error, ds } = await initialize([User, Group, Population, Contact]);
    expect(error.message).toMatch(
      /option 'entities' lists Contact, which TypeORM does not know as an entity\. Decorate the class with @Entity/,
    );
    expect(ds.isInitialized).toBe(false);
  });

  test('a glob that matches no file fails at initialize() naming the glob', async () => {
    const { error } = await initialize(['/no/such/dir/*.entity.js']);
    expect(error.message).toMatch(
      /option 'entities' loaded no entity \(the glob\(s\) "\/no\/such\/dir\/\*\.entity\.js" matched no entity file\)/,
    );
  });

  test('a valid list (here an object of classes) initializes and queries', async () => {
    @Entity('groups')
    class Team {
      @PrimaryColumn({ type: 'varchar' }) id!: string;
    }
    const ds = await new PingOneDataSource({
      entities: { Team },
      pingone: {
        environmentId: sim.environmentId,
        apiUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        rateLimit: false,
      },
    }).initialize();
    try {
      expect(await ds.getRepository(Team).count()).toBe(sim.store.environment(sim.environmentId)!.groups.size);
    } finally {
      await ds.destroy();
    }
  });
});
