import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { appForTests } from './app-harness.js';
import type { PingOneConnection } from '../src/pingone-connection.js';

/*
 * What an HTTP caller gets when PingOne says no: the status PingOne's answer means (through typeorm-pingone/nestjs's
 * PingOneExceptionFilter), PingOne's message and correlation id, and never the app's client secret.
 */
describe('NestJS app: PingOne errors and bad parameters as HTTP statuses', () => {
  let app: INestApplication;
  let pingone: PingOneConnection;
  appForTests(30, (started) => ({ app, pingone } = started));

  afterEach(() => pingone.simulator!.faults.reset());

  const secret = () => pingone.options.clientSecret!;
  const http = () => request(app.getHttpServer());

  test("a duplicate username is a 409 with PingOne's message, detail and correlation id", async () => {
    const existing = (await http().get('/users?limit=1').expect(200)).body.users[0].username as string;
    const res = await http().post('/users').send({ username: existing.toUpperCase(), email: 'dup@example.com' }).expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      code: 'INVALID_DATA',
      details: [{ code: 'UNIQUENESS_VIOLATION', target: 'username', message: expect.stringMatching(/already exists/) }],
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(res.body.message).toMatch(/^The request could not be completed\. .*username: A user with the specified username already exists/);
    expect(res.text).not.toContain(secret());
    expect(res.text).not.toContain(pingone.options.environmentId); // no request URL either
  });

  test('an invalid email and a too-long username are 400s naming the attribute', async () => {
    const email = await http().post('/users').send({ username: 'bad.email', email: 'not-an-email' }).expect(400);
    expect(email.body).toMatchObject({ code: 'INVALID_DATA', details: [{ target: 'email' }], correlationId: expect.any(String) });
    expect(email.body.message).toMatch(/email: /);
    const long = await http()
      .post('/users')
      .send({ username: 'x'.repeat(129), email: 'long@example.com' })
      .expect(400);
    expect(long.body).toMatchObject({ code: 'INVALID_DATA', details: [{ target: 'username', message: expect.stringMatching(/128/) }] });
    expect(long.text).not.toContain(secret());
  });

  test('an unknown user id is a 404', async () => {
    const res = await http().get('/users/00000000-0000-4000-8000-000000000000').expect(404);
    expect(res.body.message).toMatch(/No user 00000000-0000-4000-8000-000000000000/);
  });

  test.each([
    ['limit=', /limit must be a whole number from 1 to 200 \(got ''\)/],
    ['limit=0', /got '0'/],
    ['limit=-5', /got '-5'/],
    ['limit=201', /got '201'/],
    ['limit=ten', /got 'ten'/],
    ['limit=1.5', /got '1.5'/],
    ['limit=1&limit=2', /got 2 values/],
    ['offset=-1', /offset must be a whole number from 0 to 1000000/],
  ])('?%s is a 400 and sends nothing to PingOne', async (query, message) => {
    const before = pingone.simulator!.requests.api().length;
    const res = await http().get(`/users?${query}`).expect(400);
    expect(res.body.message).toMatch(message);
    expect(pingone.simulator!.requests.api().length).toBe(before);
  });

  test('limit=200 is accepted and returns at most 200 users', async () => {
    const res = await http().get('/users?limit=200').expect(200);
    expect(res.body.users).toHaveLength(30);
  });

  test('PingOne rate limiting that outlasts the retries is a 429 with Retry-After', async () => {
    const sim = pingone.simulator!;
    // Retry-After: 0 lets the client use all its attempts (5 by default) at once.
    sim.faults.failNext(5, { status: 429, retryAfterSeconds: 0, method: 'GET', path: '/users' });
    const before = sim.requests.api().length;
    const res = await http().get('/users?limit=5').expect(429);
    expect(sim.requests.api().length - before).toBe(5);
    expect(res.headers['retry-after']).toBe('0');
    expect(res.body).toMatchObject({ statusCode: 429, code: 'REQUEST_LIMITED', correlationId: expect.any(String) });
    expect(res.text).not.toContain(secret());
  });

  test('PingOne unavailable on a create (not retried: POST is not idempotent) is a 503', async () => {
    const sim = pingone.simulator!;
    sim.faults.failNext(1, { status: 503, retryAfterSeconds: 7, method: 'POST', path: '/users' });
    const before = sim.requests.api().length;
    const res = await http().post('/users').send({ username: 'during.outage', email: 'outage@example.com' }).expect(503);
    expect(sim.requests.api().length - before).toBe(1);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', correlationId: expect.any(String) });
    expect(res.body.message).toMatch(/^PingOne answered 503: /);
  });

  test('a PingOne server error that outlasts the retries is a 502', async () => {
    const sim = pingone.simulator!;
    sim.faults.failNext(5, { status: 500, retryAfterSeconds: 0, method: 'GET', path: '/users' });
    const res = await http().get('/users?limit=5').expect(502);
    expect(res.body).toMatchObject({ statusCode: 502, error: 'Bad Gateway', code: 'UNEXPECTED_ERROR' });
  });
});
