import { PingOneApiError, scim } from '../src';
import { startHarness, type Harness } from './helpers/client-under-test';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ seed: { environments: [{ customAttributes: ['costCenter'] }] } });
});
afterEach(() => h.close());

test('users: create, import with password, get with include, patch, replace, enabled, population, password, delete', async () => {
  const { users, populations, groups } = h.client;
  const ada = await users.create({
    username: 'ada',
    email: 'ada@example.com',
    name: { given: 'Ada', family: 'Lovelace' },
    costCenter: 'CC-1',
  });
  expect(ada).toMatchObject({ username: 'ada', costCenter: 'CC-1', enabled: true });
  const imported = await users.import({ username: 'bob', email: 'bob@example.com', password: { value: 'Sup3r$ecret', forceChange: true } });
  expect(h.sim.store.environment(h.sim.environmentId)!.passwords.get(imported.id)).toEqual({ value: 'Sup3r$ecret', forceChange: true });
  expect(h.sim.requests.api().at(-1)!.headers['content-type']).toBe('application/vnd.pingidentity.user.import+json');
  const patched = await users.patch(ada.id, { title: 'Countess' });
  expect(patched).toMatchObject({ title: 'Countess', name: { family: 'Lovelace' } });
  const replaced = await users.replace(ada.id, { username: 'ada', email: 'ada@example.com' });
  expect(replaced).not.toHaveProperty('title');
  await users.setEnabled(ada.id, false);
  const other = await populations.create({ name: 'Other' });
  await users.setPopulation(ada.id, other.id);
  await users.setPassword(ada.id, { value: 'An0ther$ecret' });
  const group = await groups.create({ name: 'Admins' });
  await users.addToGroup(imported.id, group.id);
  const read = await users.get(imported.id, { include: ['memberOfGroupIDs', 'memberOfGroupNames'] });
  expect(read).toMatchObject({ memberOfGroupIDs: [group.id], memberOfGroupNames: ['Admins'] });
  expect(await users.get(ada.id)).toMatchObject({ enabled: false, population: { id: other.id } });
  expect(await users.listGroupMemberships(imported.id).toArray()).toEqual([expect.objectContaining({ id: group.id, type: 'DIRECT' })]);
  await users.removeFromGroup(imported.id, group.id);
  expect(await users.listGroupMemberships(imported.id).toArray()).toEqual([]);
  await users.delete(ada.id);
  const gone = await users.get(ada.id).catch((e: unknown) => e);
  expect(gone).toBeInstanceOf(PingOneApiError);
  expect(gone).toMatchObject({ status: 404, apiCode: 'NOT_FOUND' });
});

test('groups: create with customData, totalMemberCounts, members through the memberOfGroups filter, replace, delete', async () => {
  const { users, groups } = h.client;
  const parent = await groups.create({ name: 'Parent', customData: { tier: 1 } });
  const child = await groups.create({ name: 'Child' });
  await h.client.request({ method: 'POST', url: `/groups/${child.id}/memberOfGroups`, body: { id: parent.id } });
  const u1 = await users.create({ username: 'u1', email: 'u1@example.com' });
  const u2 = await users.create({ username: 'u2', email: 'u2@example.com' });
  await users.addToGroup(u1.id, parent.id);
  await users.addToGroup(u2.id, child.id);
  expect((await groups.get(parent.id, { include: ['totalMemberCounts'] })).totalMemberCounts).toEqual({ users: 2 });
  expect((await groups.listMembers(parent.id).toArray()).map((u) => u.username).sort()).toEqual(['u1', 'u2']);
  expect((await groups.listMembers(parent.id, { direct: true }).toArray()).map((u) => u.username)).toEqual(['u1']);
  expect(h.sim.requests.api().at(-1)!.query.filter).toBe(`memberOfGroups[id eq "${parent.id}" and type eq "DIRECT"]`);
  const replaced = await groups.replace(parent.id, { name: 'Parent 2' });
  expect(replaced).not.toHaveProperty('customData');
  await groups.delete(child.id);
  expect(await groups.list({ filter: scim.sw('name', 'Par') }).toArray()).toHaveLength(1);
});

test("populations: list, get, create, replace, delete, and PingOne's refusal to delete the default", async () => {
  const { populations } = h.client;
  const [def] = await populations.list().toArray();
  const created = await populations.create({ name: 'Temp', description: 'x' });
  expect((await populations.get(created.id)).userCount).toBe(0);
  expect(await populations.replace(created.id, { name: 'Temp 2' })).not.toHaveProperty('description');
  await populations.delete(created.id);
  const refused = await populations.delete(def.id).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(PingOneApiError);
  expect((refused as PingOneApiError).detailCodes).toEqual(['CONSTRAINT_VIOLATION']);
});

test("validation errors carry PingOne's code, details and a readable message", async () => {
  await h.client.users.create({ username: 'dup', email: 'dup@example.com' });
  const error = (await h.client.users.create({ username: 'DUP', email: 'x@example.com' }).catch((e: unknown) => e)) as PingOneApiError;
  expect(error).toMatchObject({ code: 'API_ERROR', status: 400, apiCode: 'INVALID_DATA', method: 'POST' });
  expect(error.detailCodes).toEqual(['UNIQUENESS_VIOLATION']);
  expect(error.message).toMatch(
    /POST .*\/users failed with 400 INVALID_DATA: .*username: A user with the specified username already exists/,
  );
});

test('ids are path-encoded so a value cannot reach another endpoint; ids with slashes are refused unsent', async () => {
  const error = (await h.client.users.get('a?b#c').catch((e: unknown) => e)) as PingOneApiError;
  expect(error.status).toBe(404);
  expect(h.sim.requests.api().at(-1)!.path).toMatch(/\/users\/a%3Fb%23c$/);
  const sent = h.sim.requests.api().length;
  await expect(h.client.users.get('../groups')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  expect(h.sim.requests.api()).toHaveLength(sent);
});
