import { inspect } from 'node:util';
import { In, type Logger, type QueryFailedError } from 'typeorm';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { credentialForms, expectNoLeak, serializeEverything } from '../../../pingone-client/test/helpers/serialize-everything';
import { Group, PingOneDataSource, Population, User } from '../../src';

/*
 * The most verbose logging everywhere (TypeORM 'all', the client's debug logger), every log line and every error text
 * captured across reads, writes, refreshes, failures and bad credentials: neither the client secret nor any token the
 * simulator issued may appear.
 */
const opened: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

test('no secret or token in any log line or error', async () => {
  const sim = await startSimulator({ seed: 'demo', users: 30 });
  opened.push(() => sim.close());
  const captured: string[] = [];
  const keep = (...parts: unknown[]) => {
    captured.push(parts.map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 6 }))).join(' '));
  };
  const typeormLogger: Logger = {
    logQuery: (q, p) => keep(q, p),
    logQueryError: (e, q, p) => keep(e, q, p),
    logQuerySlow: (t, q, p) => keep(t, q, p),
    logSchemaBuild: (m) => keep(m),
    logMigration: (m) => keep(m),
    log: (l, m) => keep(l, m),
  };
  const clientLogger = { debug: keep, info: keep, warn: keep, error: keep };
  const pingone = {
    environmentId: sim.environmentId,
    apiUrl: sim.apiUrl,
    authUrl: sim.authUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    logger: clientLogger,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  };
  const ds = await new PingOneDataSource({
    entities: [User, Group, Population],
    pingone,
    logging: 'all',
    logger: typeormLogger,
  }).initialize();
  opened.push(() => ds.destroy());
  const errors: unknown[] = [];
  const attempt = (p: Promise<unknown>) =>
    p.catch((e: unknown) => {
      errors.push(e);
    });
  const users = ds.getRepository(User);

  await users.findBy({ type: 'Contractor' });
  await attempt(users.save(users.create({ username: 'secret.test', email: 's@example.com' })));
  sim.faults.expireAllTokens();
  await users.count();
  for (const status of [400, 401, 403, 404, 429, 500, 503]) {
    sim.faults.failNext(10, { status, retryAfterSeconds: 0 });
    await attempt(users.findBy({ type: 'Partner' }));
    sim.faults.reset();
  }
  sim.faults.cutNext(1, { method: 'POST' });
  await attempt(ds.getRepository(Group).save({ name: 'Cut' }));
  await attempt(ds.query('SELECT * FROM nowhere'));
  // A wrong secret fails initialize() itself (fail fast), and with lazyConnect the first query.
  await attempt(
    new PingOneDataSource({
      entities: [User, Group, Population],
      pingone: { ...pingone, clientSecret: 'a-wrong-secret-value' },
      logging: 'all',
      logger: typeormLogger,
    }).initialize(),
  );
  const bad = new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: { ...pingone, clientSecret: 'a-wrong-secret-value' },
    logging: 'all',
    logger: typeormLogger,
    lazyConnect: true,
  });
  await bad.initialize();
  opened.push(() => bad.destroy());
  await attempt(bad.getRepository(User).find());
  for (const e of errors) keep(String(e), inspect(e, { depth: 10 }), (e as Error).stack, JSON.stringify(e));

  const text = captured.join('\n');
  const tokens = sim.store.tokens.issued();
  expect(errors.length).toBeGreaterThanOrEqual(9);
  expect(tokens.length).toBeGreaterThanOrEqual(2);
  expect(captured.length).toBeGreaterThan(50);
  expect(text).not.toContain(sim.credentials.clientSecret);
  expect(text).not.toContain('a-wrong-secret-value');
  for (const token of tokens) expect(text).not.toContain(token);
  expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{16,}/);
});

describe('no serializer reaches a credential', () => {
  let sim: RunningSimulator | undefined;
  const open: PingOneDataSource[] = [];
  afterEach(async () => {
    for (const ds of open.splice(0)) if (ds.isInitialized) await ds.destroy();
    await sim?.close();
    sim = undefined;
  });

  test('DataSource, client, driver, query runner, repositories, manager, simulator handle and every error kind serialize at depth 10 without secret or token', async () => {
    sim = await startSimulator({ seed: 'demo', users: 10 });
    const { clientId, clientSecret } = sim.credentials;
    const captured: string[] = [];
    const keepLine = (...parts: unknown[]) => {
      captured.push(parts.map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 10 }))).join(' '));
    };
    const typeormLogger: Logger = {
      logQuery: (q, p) => keepLine(q, p),
      logQueryError: (e, q, p) => keepLine(e, q, p),
      logQuerySlow: (t, q, p) => keepLine(t, q, p),
      logSchemaBuild: (m) => keepLine(m),
      logMigration: (m) => keepLine(m),
      log: (l, m) => keepLine(l, m),
    };
    const pingone = {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId,
      clientSecret,
      rateLimit: false as const,
      retry: { maxAttempts: 1 },
      logger: { debug: keepLine, info: keepLine, warn: keepLine, error: keepLine },
    };
    const ds = new PingOneDataSource({ entities: [User, Group, Population], pingone, logging: 'all', logger: typeormLogger });
    open.push(ds);
    await ds.initialize();
    const users = ds.getRepository(User);
    await users.findBy({ type: 'Contractor' }); // a token is cached inside the client now
    const runner = ds.createQueryRunner();
    const texts: string[] = [];
    const keep = (...values: unknown[]) => {
      for (const v of values) texts.push(...serializeEverything(v));
    };
    // The exact calls of the issue, then every public object at depth 10.
    texts.push(JSON.stringify(ds.pingone), inspect(ds.pingone, { depth: 4 }), inspect(ds, { depth: 5 }));
    keep(
      ds,
      ds.pingone,
      ds.pingone.config,
      ds.driver,
      ds.pingoneDriver,
      runner,
      users,
      ds.getRepository(Group),
      ds.getRepository(Population),
      ds.manager,
      ds.getMetadata(User),
      sim,
      sim.credentials,
    );

    const errors: unknown[] = [];
    const attempt = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('expected a failure');
        },
        (e: unknown) => {
          errors.push(e);
        },
      );
    // A request right before the faults: the serializations above can take seconds on a busy machine, and a request
    // that then reuses a keep-alive socket the simulator is closing (both sides idle out at 5 s) is cut, not failed as
    // armed (this test sends each request once).
    await users.count();
    // A PingOne error body echoing the bearer token in details[].target and innerError.
    sim.faults.failNext(1, {
      status: 403,
      path: '/users',
      body: {
        code: 'ACCESS_FAILED',
        message: 'Rejected {authorization}',
        details: [
          {
            code: 'INSUFFICIENT_PERMISSIONS',
            target: '{credential}',
            message: 'm {credential}',
            innerError: { echo: { deeper: ['{authorization}'] } },
          },
        ],
      },
    });
    await attempt(users.findBy({ type: 'Partner' }));
    // The token endpoint echoing the Basic credential.
    sim.faults.expireAllTokens();
    sim.faults.failTokenEndpoint(1, 401, { error: 'invalid_client {credential}', error_description: 'Authorization was {authorization}' });
    await attempt(users.count());
    sim.faults.cutNext(1, { method: 'GET', path: '/groups' });
    await attempt(ds.getRepository(Group).find());
    await attempt(ds.query('SELECT * FROM nowhere'));
    await attempt(ds.query('DROP TABLE users'));
    sim.faults.failNext(1, { status: 403 });
    await attempt(users.find());
    const slow = new PingOneDataSource({
      entities: [User, Group, Population],
      pingone: { ...pingone, timeoutMs: 50 },
      logging: 'all',
      logger: typeormLogger,
    });
    open.push(slow);
    await slow.initialize();
    await slow.getRepository(User).count(); // its token is fetched before the latency, so only the GET times out
    sim.faults.setLatency(300);
    await attempt(slow.getRepository(User).find());
    sim.faults.setLatency(0);
    // a wrong secret fails initialize() (fail fast); lazily started, it fails the first query: both errors are checked
    await attempt(
      new PingOneDataSource({
        entities: [User, Group, Population],
        pingone: { ...pingone, clientSecret: 'a-wrong-secret-value' },
        logging: 'all',
        logger: typeormLogger,
      }).initialize(),
    );
    const bad = new PingOneDataSource({
      entities: [User, Group, Population],
      pingone: { ...pingone, clientSecret: 'a-wrong-secret-value' },
      logging: 'all',
      logger: typeormLogger,
      lazyConnect: true,
    });
    open.push(bad);
    await bad.initialize();
    await attempt(bad.getRepository(User).find());
    await attempt(
      Promise.resolve().then(
        () => new PingOneDataSource({ entities: [User], pingone: { ...pingone, clientSecrett: clientSecret } as never }),
      ),
    );
    keep(bad, slow, ...errors);
    texts.push(...captured);

    expect(errors).toHaveLength(10);
    const echoed = (errors[0] as QueryFailedError).driverError;
    expect(echoed.message).toContain('Rejected Bearer [REDACTED]');
    expect(echoed.message).toContain('[REDACTED]: m [REDACTED]');
    expect(String((errors[1] as QueryFailedError).driverError)).toContain('Authorization was Basic [REDACTED]');
    const tokens = sim.store.tokens.issued();
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expectNoLeak(texts, [...credentialForms(clientId, clientSecret), 'a-wrong-secret-value', ...tokens]);
    await runner.release();
  });

  test('a password used as a SELECT, DELETE or UPDATE parameter never reaches the TypeORM logger or error texts', async () => {
    sim = await startSimulator({ seed: 'demo', users: 3 });
    const { Column, Entity, PrimaryGeneratedColumn } = await import('typeorm');
    @Entity('users')
    class Account {
      @PrimaryGeneratedColumn('uuid') id!: string;
      @Column({ type: 'varchar' }) username!: string;
      @Column({ type: 'varchar' }) email!: string;
      @Column({ type: 'varchar', nullable: true }) password?: string | null;
    }
    const lines: string[] = [];
    const line = (...parts: unknown[]) => {
      lines.push(parts.map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 10 }))).join(' '));
    };
    const logger: Logger = { logQuery: line, logQueryError: line, logQuerySlow: line, logSchemaBuild: line, logMigration: line, log: line };
    const ds = new PingOneDataSource({
      entities: [Account],
      logging: 'all',
      logger,
      pingone: {
        environmentId: sim.environmentId,
        apiUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        rateLimit: false,
      },
    });
    open.push(ds);
    await ds.initialize();
    const repo = ds.getRepository(Account);
    const outcomes: unknown[] = [];
    const settle = (p: Promise<unknown>) =>
      p.then(
        (v) => {
          outcomes.push(v);
        },
        (e: unknown) => {
          outcomes.push(e);
        },
      );
    const saved = await repo.save(repo.create({ username: 'pw.select', email: 'pw@example.com', password: 'Ins3rt-Secret!' }));
    await settle(repo.findBy({ password: 'F1nd-Secret!' }));
    await settle(repo.findBy({ username: 'pw.select', password: In(['L1st-Secret-a', 'L1st-Secret-b']) }));
    await settle(ds.query('SELECT * FROM users WHERE password = ? OR username = ?', ['R4w-Secret!', 'nobody']));
    await settle(ds.query('SELECT id FROM users WHERE LOWER(password) = LOWER(?)', ['Func-Secret!']));
    await settle(ds.query('SELECT id FROM users WHERE id IN (SELECT id FROM users WHERE password = ?)', ['Sub-Secret!']));
    await settle(repo.update({ password: 'Upd4te-Where!' }, { email: 'other@example.com' }));
    await settle(repo.delete({ password: 'Del3te-Secret!' }));
    await settle(ds.query('SELECT * FROM users WHERE password = ? garbage (', ['Unparsable-Secret!']));
    saved.password = 'Ch4nged-Secret!';
    await repo.save(saved);
    for (const o of outcomes) lines.push(...serializeEverything(o));

    const text = lines.join('\n');
    expect(text).toMatch(/WHERE[\s\S]*password/);
    expect(text).toContain('[REDACTED]');
    expect(text).toContain('nobody'); // the other parameter of the same query is still logged
    for (const secret of [
      'Ins3rt-Secret!',
      'F1nd-Secret!',
      'L1st-Secret-a',
      'L1st-Secret-b',
      'R4w-Secret!',
      'Func-Secret!',
      'Sub-Secret!',
      'Upd4te-Where!',
      'Del3te-Secret!',
      'Unparsable-Secret!',
      'Ch4nged-Secret!',
    ]) {
      expect({ secret, leaked: text.includes(secret) }).toEqual({ secret, leaked: false });
    }
  });
});
