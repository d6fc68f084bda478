import { startTestApi, type TestApi } from './helpers/http';

/*
 * The modes a driver must give the same answers under: case-sensitive comparisons outside username and email, a
 * strict PingOne refusing every weakly sourced cell, and a cell refused from one request to the next.
 */
let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const list = (resource: string, filter: string) => api!.call('GET', `/${resource}?limit=1000&filter=${encodeURIComponent(filter)}`);
const titles = (body: { _embedded: { users: { title?: string }[] } }) => [...new Set(body._embedded.users.map((u) => u.title))];

test('case-sensitive: title sw compares exactly, username and email still fold case', async () => {
  api = await startTestApi({ seed: 'demo', users: 60, caseMode: 'sensitive' });
  const users = [...api.sim.store.environment(api.env)!.users.values()].map((r) => r.data);
  const title = String(users.find((u) => typeof u.title === 'string')!.title);
  expect(titles((await list('users', `title sw "${title}"`)).body)).toEqual([title]);
  expect((await list('users', `title sw "${title.toUpperCase()}"`)).body._embedded.users).toEqual([]);
  const username = String(users[0].username);
  expect((await list('users', `username eq "${username.toUpperCase()}"`)).body._embedded.users).toHaveLength(1);
  expect((await list('users', `email eq "${String(users[0].email).toUpperCase()}"`)).body._embedded.users).toHaveLength(1);
});

test('strict: weak cells answer 400 INVALID_FILTER; the same filters pass by default', async () => {
  api = await startTestApi({ seed: 'demo', users: 20, strict: true });
  const group = [...api.sim.store.environment(api.env)!.groups.values()][0].data.id as string;
  for (const filter of [
    'name.given co "a"',
    'email ew ".com"',
    `memberOfGroups[id eq "${group}" and type eq "DIRECT"] and (id eq "x" or id eq "y")`,
  ]) {
    const refused = await list('users', filter);
    expect(refused).toMatchObject({ status: 400, body: { code: 'INVALID_DATA', details: [{ code: 'INVALID_FILTER', target: 'filter' }] } });
  }
  expect((await list('users', `memberOfGroups[id eq "${group}" and type eq "DIRECT"]`)).status).toBe(200);
  expect((await list('groups', 'displayName sw "x"')).status).toBe(200);
  await api.close();
  api = await startTestApi({ seed: 'demo', users: 20 });
  expect((await list('users', 'name.given co "a"')).status).toBe(200);
});

test('a cell refused mid-run (faults.refuseFilterCell, or over HTTP) is refused from the next request on', async () => {
  api = await startTestApi({ seed: 'demo', users: 20 });
  expect((await list('users', 'title sw "M"')).status).toBe(200);
  api.sim.faults.refuseFilterCell('users', 'title sw');
  const refused = await list('users', 'title sw "M"');
  expect(refused.status).toBe(400);
  expect(refused.body.details[0].message).toMatch(/'sw' is not supported for the attribute 'title'/);
  expect((await list('users', 'title eq "M"')).status).toBe(200);
  api.sim.faults.allowFilterCell('users', 'title sw');
  expect((await list('users', 'title sw "M"')).status).toBe(200);
  const control = await fetch(`${api.sim.url}/__simulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'refuseFilterCell', resource: 'users', cell: 'title sw' }),
  });
  expect(control.status).toBe(204);
  expect((await list('users', 'title sw "M"')).status).toBe(400);
  api.sim.faults.reset();
  expect((await list('users', 'title sw "M"')).status).toBe(200);
});
