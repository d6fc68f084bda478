import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { PingOneDataSource } from 'typeorm-pingone';
import { AppModule } from '../src/app.module';

/* A CommonJS NestJS 11 app require()s the packages (their CommonJS builds) and answers a repository query. */
describe('CommonJS NestJS 11 app', () => {
  let sim: RunningSimulator;
  let app: INestApplication;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 'demo', users: 30 });
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppModule.forPingOne({
          environmentId: sim.environmentId,
          apiUrl: sim.apiUrl,
          authUrl: sim.authUrl,
          clientId: sim.credentials.clientId,
          clientSecret: sim.credentials.clientSecret,
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    try {
      await app?.close();
    } finally {
      await sim?.close();
    }
  });

  test('the packages load as CommonJS, sharing one copy of TypeORM with the app', () => {
    expect(require.resolve('typeorm-pingone')).toMatch(/typeorm-pingone[/\\]dist[/\\]index\.js$/);
    expect(app.get(DataSource)).toBeInstanceOf(PingOneDataSource);
    expect(app.get(DataSource)).toBeInstanceOf(DataSource); // one DataSource class: the app's and the driver's
  });

  test('a repository query through the driver', async () => {
    const res = await request(app.getHttpServer()).get('/users?type=Contractor').expect(200);
    expect(res.body.length).toBeGreaterThan(0);
    expect(res.body.every((u: { type: string }) => u.type === 'Contractor')).toBe(true);
    expect(sim.requests.api().some((r) => r.query.filter === 'type eq "Contractor"')).toBe(true);
  });

  describe('errors as HTTP statuses (PingOneExceptionFilter from typeorm-pingone/nestjs)', () => {
    afterEach(() => sim.faults.reset());
    const http = () => request(app.getHttpServer());

    test("a duplicate username is a 409 with PingOne's detail and correlation id, never the secret", async () => {
      const [first] = (await http().get('/users?limit=1').expect(200)).body as { username: string }[];
      const res = await http().post('/users').send({ username: first.username, email: 'dup@example.com' }).expect(409);
      expect(res.body).toMatchObject({
        code: 'INVALID_DATA',
        details: [{ code: 'UNIQUENESS_VIOLATION', target: 'username' }],
        correlationId: expect.any(String),
      });
      expect(res.text).not.toContain(sim.credentials.clientSecret);
    });

    test('an invalid email is a 400; an unknown id a 404', async () => {
      const res = await http().post('/users').send({ username: 'cjs.bad.email', email: 'nope' }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, details: [{ target: 'email' }] });
      await http().get('/users/00000000-0000-4000-8000-000000000000').expect(404);
    });

    test.each(['limit=', 'limit=0', 'limit=-1', 'limit=201', 'limit=abc'])('?%s is a 400, not every user', async (query) => {
      const res = await http().get(`/users?${query}`).expect(400);
      expect(res.body.message).toMatch(/^limit must be a whole number from 1 to 200/);
    });

    test('PingOne unavailable on a create is a 503 with Retry-After', async () => {
      sim.faults.failNext(1, { status: 503, retryAfterSeconds: 3, method: 'POST', path: '/users' });
      const res = await http().post('/users').send({ username: 'cjs.outage', email: 'o@example.com' }).expect(503);
      expect(res.headers['retry-after']).toBe('3');
      expect(res.body.message).toMatch(/^PingOne answered 503/);
    });
  });
});
