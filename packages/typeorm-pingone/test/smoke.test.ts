import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { User } from '../src';

let h: DriverHarness;
beforeAll(async () => { h = await startDriver(); });
afterAll(() => h.close());

test('findBy type pushes type eq "Contractor"', async () => {
  const users = await h.ds.getRepository(User).findBy({ type: 'Contractor' });
  expect(users.length).toBeGreaterThan(0);
  expect(users.every((u) => u.type === 'Contractor')).toBe(true);
  console.log(h.requests(), users[0]);
});
