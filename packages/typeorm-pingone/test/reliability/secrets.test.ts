import { inspect } from 'node:util';
import type { Logger } from 'typeorm';
import { startSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, Population, User } from '../../src';

/*
 * The most verbose logging everywhere (TypeORM 'all', the client's debug logger), every log line and every error text
 * captured across reads, writes, refreshes, failures and bad credentials: neither the client secret nor any token the
 * simulator issued may appear.
 */
test('no secret or token in any log line or error', async () => {
  const sim = await startSimulator({ seed: 'demo', users: 30 });
  const captured: string[] = [];
  const keep = (...parts: unknown[]) => { captured.push(parts.map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 6 }))).join(' ')); };
  const typeormLogger: Logger = {
    logQuery: (q, p) => keep(q, p), logQueryError: (e, q, p) => keep(e, q, p), logQuerySlow: (t, q, p) => keep(t, q, p),
    logSchemaBuild: (m) => keep(m), logMigration: (m) => keep(m), log: (l, m) => keep(l, m),
  };
  const clientLogger = { debug: keep, info: keep, warn: keep, error: keep };
  const pingone = { environmentId: sim.environmentId, apiUrl: sim.apiUrl, authUrl: sim.authUrl, clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret, logger: clientLogger, retry: { baseDelayMs: 1, maxDelayMs: 5 } };
  const ds = await new PingOneDataSource({ entities: [User, Group, Population], pingone, logging: 'all', logger: typeormLogger }).initialize();
  const errors: unknown[] = [];
  const attempt = (p: Promise<unknown>) => p.catch((e: unknown) => { errors.push(e); });
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
  await attempt(new PingOneDataSource({ entities: [User, Group, Population], pingone: { ...pingone, clientSecret: 'a-wrong-secret-value' }, logging: 'all', logger: typeormLogger }).initialize());
  const bad = new PingOneDataSource({ entities: [User, Group, Population], pingone: { ...pingone, clientSecret: 'a-wrong-secret-value' }, logging: 'all', logger: typeormLogger, lazyConnect: true });
  await bad.initialize();
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
  await bad.destroy();
  await ds.destroy();
  await sim.close();
});
