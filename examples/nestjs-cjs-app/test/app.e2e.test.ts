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
      imports: [AppModule.forPingOne({
        environmentId: sim.environmentId, apiUrl: sim.apiUrl, authUrl: sim.authUrl,
        clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret,
      })],
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
});
