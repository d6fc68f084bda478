import 'reflect-metadata';
import fc from 'fast-check';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { appForTests } from './app-harness.js';
import type { PingOneConnection } from '../src/pingone-connection.js';

/*
 * The plan page's HTTP side (the browser test, plan-page.browser.test.ts, drives the page itself): POST /plan/query
 * runs reads only and answers rows and the driver's plan; anything else is refused before a request reaches PingOne;
 * only this machine's own page may ask (DNS rebinding, cross-site forms); the page is served with a policy that lets
 * it run only its own script and never parse a string as HTML.
 */
describe("NestJS app: the plan page's endpoint", () => {
  let app: INestApplication;
  let pingone: PingOneConnection;
  appForTests(30, (started) => ({ app, pingone } = started));

  const query = (sql: unknown) => request(app.getHttpServer()).post('/plan/query').set('Host', '127.0.0.1').send({ sql });
  const sent = () => pingone.simulator!.requests.api();

  test('a SELECT answers its columns (with the PingOne attribute each shows), typed rows and the plan', async () => {
    pingone.simulator!.requests.clear();
    const res = await query(
      "SELECT username, enabled, createdAt, nickname, lower(type) AS t FROM users WHERE type = 'Partner' ORDER BY username LIMIT 2",
    ).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.kind).toBe('select');
    expect(res.body.columns).toEqual([
      { name: 'username', attribute: 'username', kind: 'string' },
      { name: 'enabled', attribute: 'enabled', kind: 'boolean' },
      { name: 'createdAt', attribute: 'createdAt', kind: 'datetime' },
      { name: 'nickname', attribute: 'nickname', kind: 'string' },
      { name: 't', attribute: null, kind: null },
    ]);
    for (const row of res.body.rows) {
      expect(row).toEqual([
        expect.any(String),
        expect.any(Boolean),
        expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        null,
        'partner',
      ]);
    }
    expect(res.body.plan).toMatchObject({
      steps: [
        { alias: 'users', strategy: 'list', filter: 'type eq "Partner"', conditions: [{ sql: "users.type = 'Partner'", pushed: true }] },
      ],
      requests: [{ method: 'GET', filter: 'type eq "Partner"', cacheHit: false, roundTrip: 1 }],
      roundTrips: 1,
      cacheHits: 0,
      readCache: false,
    });
    expect(res.body.plan.requests).toHaveLength(sent().length);
    expect(res.body.elapsedMs).toEqual(expect.any(Number));
  });

  test('EXPLAIN answers the plan rows and sends nothing', async () => {
    pingone.simulator!.requests.clear();
    const res = await query("EXPLAIN SELECT * FROM users WHERE username LIKE 'ada%'").expect(200);
    expect(res.body.kind).toBe('explain');
    expect(res.body.columns.map((c: { name: string }) => c.name)).toEqual(['step', 'alias', 'table', 'strategy', 'filter', 'notes']);
    expect(res.body.plan.steps[0]).toMatchObject({ filter: 'username sw "ada"' });
    expect(res.body.plan.requests).toEqual([]);
    expect(sent()).toEqual([]);
  });

  test('any statement that is not a read is refused before PingOne hears of it, however it is written', async () => {
    const users = () => pingone.simulator!.store.environment(pingone.simulator!.environmentId)!.users.size;
    const before = users();
    const noise = fc.constantFrom('', ' ', '\n', '/* SELECT */ ', '-- SELECT\n', '\t');
    const word = (w: string) => fc.constantFrom(w, w.toLowerCase(), w[0] + w.slice(1).toLowerCase());
    const statement = fc.oneof(
      fc.tuple(noise, word('DELETE'), noise).map(([a, d, b]) => `${a}${d} ${b}FROM users WHERE type = 'Partner'`),
      fc.tuple(noise, word('UPDATE'), noise).map(([a, u, b]) => `${a}${u} users ${b}SET title = 'x' WHERE type = 'Partner'`),
      fc.tuple(noise, word('INSERT')).map(([a, i]) => `${a}${i} INTO groups (name) VALUES ('from the page')`),
      fc.tuple(noise, word('DELETE')).map(([a, d]) => `${a}${d} FROM users`),
      fc.constantFrom('BEGIN', 'PRAGMA foreign_keys = ON', 'DROP TABLE users', 'EXPLAIN DELETE FROM users', 'SELECT 1; DELETE FROM users'),
    );
    await fc.assert(
      fc.asyncProperty(statement, async (sql) => {
        pingone.simulator!.requests.clear();
        const res = await query(sql);
        expect({ sql, status: [400, 403].includes(res.status), message: typeof res.body.message }).toEqual({
          sql,
          status: true,
          message: 'string',
        });
        if (res.status === 403) expect(res.body.code).toBe('READ_ONLY_PAGE');
        expect(sent()).toEqual([]);
      }),
      { numRuns: 60 },
    );
    expect(users()).toBe(before);
  });

  test('a bad body, another host (DNS rebinding), another site or a form post is refused', async () => {
    await query('').expect(400);
    await query(42).expect(400);
    await request(app.getHttpServer()).post('/plan/query').set('Host', '127.0.0.1').send({}).expect(400);
    await request(app.getHttpServer()).post('/plan/query').set('Host', 'attacker.example:3000').send({ sql: 'SELECT 1 AS x' }).expect(403);
    await request(app.getHttpServer()).get('/').set('Host', 'attacker.example').expect(403);
    await request(app.getHttpServer())
      .post('/plan/query')
      .set('Host', '127.0.0.1:3000')
      .set('Origin', 'http://attacker.example')
      .send({ sql: 'SELECT 1 AS x' })
      .expect(403);
    await request(app.getHttpServer())
      .post('/plan/query')
      .set('Host', 'localhost:3000')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ sql: 'SELECT 1 AS x' })
      .expect(403);
    await request(app.getHttpServer()).post('/plan/query').set('Host', '127.0.0.1').type('form').send('sql=SELECT 1 AS x').expect(415);
    const ok = await request(app.getHttpServer())
      .post('/plan/query')
      .set('Host', 'localhost:3000')
      .set('Origin', 'http://localhost:3000')
      .send({ sql: 'SELECT 1 AS x' })
      .expect(200);
    expect(ok.body.rows).toEqual([[1]]);
  });

  test('the page and its files are served with a policy: own script and style only, no HTML from strings, no framing', async () => {
    const page = await request(app.getHttpServer()).get('/').set('Host', '127.0.0.1').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "require-trusted-types-for 'script'",
    ])
      expect(csp).toContain(directive);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.text).toMatch(/<script src="\/plan\/plan\.js" defer><\/script>/);
    expect(page.text).not.toMatch(/<script>|https?:\/\/(?!127\.0\.0\.1)/); // no inline script, nothing from another host
    const script = await request(app.getHttpServer()).get('/plan/plan.js').set('Host', '127.0.0.1').expect(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    await request(app.getHttpServer())
      .get('/plan/plan.css')
      .set('Host', '127.0.0.1')
      .expect(200)
      .expect('content-type', 'text/css; charset=utf-8');
  });
});
