import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { appForTests } from './app-harness.js';
import type { PingOneConnection } from '../src/pingone-connection.js';

/*
 * Bodies as a NestJS developer checks them: DTOs with class-validator under Nest's ValidationPipe (400 naming the
 * field, before any PingOne request), populations on POST /users and GET /groups, and the client errors only the
 * driver or PingOne can see (a read-only attribute, an id in the body that names nothing) answered 400 by
 * PingOneExceptionFilter. Issue 30 found a POST with no body answering 500, `{"type":{"x":1}}` stored as
 * "[object Object]", `{"username":42}` stored as "42", and READ_ONLY_ATTRIBUTE answering 500.
 */
describe('NestJS app: validated bodies, populations, client errors', () => {
  let app: INestApplication;
  let pingone: PingOneConnection;
  appForTests(30, (started) => ({ app, pingone } = started));

  const http = () => request(app.getHttpServer());
  const writes = () => pingone.simulator!.requests.api().filter((r) => r.method !== 'GET').length;

  test.each([
    ['no body at all', undefined, ['username must be a string', 'email must be a string']],
    ['a number for username', { username: 42, email: 'n@example.com' }, ['username must be a string']],
    ['an object for type', { username: 'obj.type', email: 'o@example.com', type: { x: 1 } }, ['type must be a string']],
    ['an empty username', { username: '', email: 'e@example.com' }, ['username should not be empty']],
    [
      'a populationId that is no UUID',
      { username: 'bad.pop', email: 'p@example.com', populationId: 'nope' },
      ['populationId must be a UUID'],
    ],
    [
      'an id (PingOne assigns it)',
      { username: 'with.id', email: 'i@example.com', id: '00000000-0000-4000-8000-000000000000' },
      ['property id should not exist'],
    ],
    [
      'createdAt (PingOne sets it)',
      { username: 'with.created', email: 'c@example.com', createdAt: '2020-01-01T00:00:00Z' },
      ['property createdAt should not exist'],
    ],
  ])('POST /users with %s is a 400 naming the field, and nothing reaches PingOne', async (_what, body, messages) => {
    const before = writes();
    const res = body === undefined ? await http().post('/users') : await http().post('/users').send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    for (const message of messages) expect(res.body.message).toContain(message);
    expect(writes()).toBe(before);
  });

  test("GET /groups shows each group's population; POST /users with populationId puts the user there, and it can join that population's group", async () => {
    const groups = (await http().get('/groups').expect(200)).body as {
      id: string;
      name: string;
      population: { id: string; name: string } | null;
    }[];
    const populationGroup = groups.find((g) => g.population !== null);
    expect(populationGroup).toBeDefined();
    expect(populationGroup!.population).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: expect.any(String) });
    expect(groups.some((g) => g.population === null)).toBe(true); // environment groups have none
    const created = await http()
      .post('/users')
      .send({ username: 'pop.member', email: 'pop@example.com', givenName: 'Pop', populationId: populationGroup!.population!.id })
      .expect(201);
    expect(created.body.population).toMatchObject({ id: populationGroup!.population!.id });
    expect(pingone.simulator!.requests.api().find((r) => r.method === 'POST' && /\/users$/.test(r.path))!.body).toMatchObject({
      username: 'pop.member',
      population: { id: populationGroup!.population!.id },
    });
    const joined = await http().post(`/users/${created.body.id}/groups/${populationGroup!.id}`).expect(201);
    expect(joined.body.groups.map((g: { id: string }) => g.id)).toContain(populationGroup!.id);
  });

  test("a populationId that names no population is PingOne's 400 naming population.id, passed on by the filter", async () => {
    const res = await http()
      .post('/users')
      .send({ username: 'lost.pop', email: 'lost@example.com', populationId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_DATA', details: [{ target: 'population.id' }], correlationId: expect.any(String) });
    expect(res.body.message).toMatch(/population\.id: /);
  });

  test('PATCH /groups/:id changes description and customData (a Partial<Group> to repository.update)', async () => {
    const [group] = (await http().get('/groups').expect(200)).body as { id: string }[];
    const res = await http()
      .patch(`/groups/${group.id}`)
      .send({ description: 'On call', customData: { tier: 'gold', shifts: [1, 2] } })
      .expect(200);
    expect(res.body).toMatchObject({ id: group.id, description: 'On call', customData: { tier: 'gold', shifts: [1, 2] } });
    await http().patch(`/groups/${group.id}`).send({ customData: 'gold' }).expect(400);
  });

  test('moving a group to another population is READ_ONLY_ATTRIBUTE: a 400 from PingOneExceptionFilter, nothing sent', async () => {
    const groups = (await http().get('/groups').expect(200)).body as { id: string; population: { id: string } | null }[];
    const populationGroup = groups.find((g) => g.population !== null)!;
    const other = groups.find((g) => g.population !== null && g.population.id !== populationGroup.population!.id) ?? populationGroup;
    const before = writes();
    const res = await http()
      .patch(`/groups/${populationGroup.id}`)
      .send({
        populationId:
          other.population!.id === populationGroup.population!.id ? '00000000-0000-4000-8000-000000000000' : other.population!.id,
      })
      .expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'READ_ONLY_ATTRIBUTE',
      message: expect.stringMatching(/population can't change after it is created/),
    });
    expect(writes()).toBe(before);
  });

  test('an unknown group id on PATCH is a 404', async () => {
    await http().patch('/groups/00000000-0000-4000-8000-000000000000').send({ description: 'x' }).expect(404);
  });
});
