import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { appForTests } from './app-harness.js';

/*
 * End to end, as a NestJS user runs it: the ESM application on TypeORM and the PingOne driver, answering HTTP,
 * with no PINGONE_* variables set, so it talks to its embedded simulator.
 */
describe('NestJS app on PingOne (embedded simulator)', () => {
  let app: INestApplication;
  appForTests(80, (started) => ({ app } = started));

  test('lists users with a filter and paging', async () => {
    const first = await request(app.getHttpServer()).get('/users?type=Contractor&limit=5&offset=0').expect(200);
    expect(first.body.users).toHaveLength(5);
    expect(first.body.users.every((u: { type: string }) => u.type === 'Contractor')).toBe(true);
    expect(first.body.total).toBeGreaterThan(5);
    const second = await request(app.getHttpServer()).get('/users?type=Contractor&limit=5&offset=5').expect(200);
    const names = (r: { body: { users: { username: string }[] } }) => r.body.users.map((u) => u.username);
    expect(names(second).some((n: string) => names(first).includes(n))).toBe(false);
    expect([...names(first), ...names(second)]).toEqual([...names(first), ...names(second)].sort());
  });

  test('one user with groups and population; 404 and 400 for bad ids', async () => {
    const list = await request(app.getHttpServer()).get('/users?limit=1').expect(200);
    const id = list.body.users[0].id as string;
    const user = await request(app.getHttpServer()).get(`/users/${id}`).expect(200);
    expect(user.body).toMatchObject({ id, population: { id: expect.any(String), name: expect.any(String) } });
    expect(user.body.groups.length).toBeGreaterThan(0);
    await request(app.getHttpServer()).get('/users/00000000-0000-4000-8000-000000000000').expect(404);
    await request(app.getHttpServer()).get('/users/not-a-uuid').expect(400);
  });

  test('creates a user, adds it to a group, and the group lists it as a member', async () => {
    const created = await request(app.getHttpServer())
      .post('/users')
      .send({ username: 'e2e.user', email: 'e2e@example.com', givenName: 'End', familyName: 'ToEnd', type: 'Contractor' })
      .expect(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body).toMatchObject({ enabled: true, name: { given: 'End', family: 'ToEnd' } });
    const groups = await request(app.getHttpServer()).get('/groups').expect(200);
    const helpDesk = groups.body.find((g: { name: string }) => g.name === 'Help Desk');
    const updated = await request(app.getHttpServer()).post(`/users/${created.body.id}/groups/${helpDesk.id}`).expect(201);
    expect(updated.body.groups.map((g: { id: string }) => g.id)).toContain(helpDesk.id);
    const members = await request(app.getHttpServer()).get(`/groups/${helpDesk.id}/members`).expect(200);
    expect(members.body.members.map((u: { username: string }) => u.username)).toContain('e2e.user');
  });

  test('bad input is a 400, not a crash', async () => {
    await request(app.getHttpServer()).post('/users').send({ email: 'x@example.com' }).expect(400);
  });
});
