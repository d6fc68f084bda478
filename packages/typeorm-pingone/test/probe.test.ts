import { And, Between, Brackets, ILike, In, IsNull, LessThan, Like, MoreThan, Not, Or } from 'typeorm';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { Group, Population, User } from '../src';

let h: DriverHarness;
beforeAll(async () => { h = await startDriver(); });
afterAll(() => h.close());

const cases: [string, (h: DriverHarness) => Promise<unknown>][] = [
  ['findOneBy id', async (h) => { const any = (await h.ds.getRepository(User).find({ take: 1 }))[0]!; h.reset(); return h.ds.getRepository(User).findOneBy({ id: any.id }); }],
  ['find In', (h) => h.ds.getRepository(User).find({ where: { type: In(['Partner', 'Contractor']) }, select: { username: true, type: true } })],
  ['Like', (h) => h.ds.getRepository(User).findBy({ username: Like('ada%') })],
  ['ILike', (h) => h.ds.getRepository(User).findBy({ email: ILike('%@EXAMPLE.com') })],
  ['Not IsNull', (h) => h.ds.getRepository(User).count({ where: { title: Not(IsNull()) } })],
  ['count all', (h) => h.ds.getRepository(User).count()],
  ['count enabled', (h) => h.ds.getRepository(User).count({ where: { enabled: true } })],
  ['exists', (h) => h.ds.getRepository(User).exists({ where: { type: 'Partner' } })],
  ['findAndCount', (h) => h.ds.getRepository(User).findAndCount({ where: { type: 'Employee' }, order: { username: 'ASC' }, skip: 2, take: 3 })],
  ['dates', (h) => h.ds.getRepository(User).find({ where: { createdAt: MoreThan(new Date('2024-01-03T00:00:00Z')) }, take: 2 })],
  ['between', (h) => h.ds.getRepository(User).find({ where: { createdAt: Between(new Date('2024-01-05T00:00:00Z'), new Date('2024-01-06T00:00:00Z')) } })],
  ['or array', (h) => h.ds.getRepository(User).find({ where: [{ type: 'Partner' }, { title: 'Director' }] })],
  ['relations population', (h) => h.ds.getRepository(User).find({ where: { type: 'Partner' }, relations: { population: true } })],
  ['relations groups', (h) => h.ds.getRepository(User).find({ where: { type: 'Partner' }, relations: { groups: true } })],
  ['take with relations', (h) => h.ds.getRepository(User).find({ relations: { groups: true }, take: 3 })],
  ['where population id', async (h) => { const p = await h.ds.getRepository(Population).findOneBy({ name: 'Partners' }); h.reset(); return h.ds.getRepository(User).find({ where: { population: { id: p!.id } } }); }],
  ['group members', (h) => h.ds.getRepository(Group).find({ where: { name: 'Help Desk' }, relations: { users: true } })],
  ['qb groupBy', (h) => h.ds.getRepository(User).createQueryBuilder('u').select('u.type', 'type').addSelect('COUNT(u.id)', 'n').groupBy('u.type').orderBy('n', 'DESC').getRawMany()],
  ['qb brackets', (h) => h.ds.getRepository(User).createQueryBuilder('u').where('u.enabled = :e', { e: true }).andWhere(new Brackets((qb) => qb.where('u.type = :t', { t: 'Partner' }).orWhere('u.title = :ti', { ti: 'Manager' }))).getMany()],
  ['qb join', (h) => h.ds.getRepository(Group).createQueryBuilder('g').leftJoinAndSelect('g.users', 'u').where('g.name = :n', { n: 'Finance' }).getMany()],
  ['raw query', (h) => h.ds.query('SELECT type, COUNT(*) AS n FROM users GROUP BY type')],
  ['explain', (h) => h.ds.explain(h.ds.getRepository(User).createQueryBuilder('u').where('u.type = :t', { t: 'Contractor' }))],
];

test.each(cases)('%s', async (_name, run) => {
  h.reset();
  const result = await run(h);
  const summary = Array.isArray(result) ? `${result.length} rows: ${JSON.stringify(result.slice(0, 2)).slice(0, 300)}` : JSON.stringify(result)?.slice(0, 300);
  console.log(`${_name}\n  ${summary}\n  ${h.requests().join('\n  ')}`);
});
