import 'reflect-metadata';
import {
  And,
  Column,
  Entity,
  Equal,
  JoinColumn,
  LessThan,
  ManyToOne,
  MoreThanOrEqual,
  Not,
  Or,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { Population, User } from '../src';

/** More of TypeORM's read API: find operators, sub-queries, eager relations, getManyAndCount. */
let h: DriverHarness;
let all: Record<string, any>[];
beforeAll(async () => {
  h = await startDriver({ seed: 'demo', users: 40 });
  all = [...h.sim.store.environment(h.sim.environmentId)!.users.values()].map((r) => r.data);
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const names = (list: { username: string }[]) => list.map((u) => u.username).sort();
const expected = (pred: (u: Record<string, any>) => boolean) =>
  all
    .filter(pred)
    .map((u) => u.username as string)
    .sort();

test('And / Or / LessThan / MoreThanOrEqual operators', async () => {
  const cut = new Date(all[20].createdAt);
  const rows = await h.ds
    .getRepository(User)
    .findBy({ type: Or(And(Not('Employee'), Not('Partner')), Equal('Partner')), createdAt: LessThan(cut) });
  expect(names(rows)).toEqual(expected((u) => u.type !== 'Employee' && new Date(u.createdAt) < cut));
  const later = await h.ds.getRepository(User).findBy({ createdAt: MoreThanOrEqual(cut) });
  expect(later).toHaveLength(all.filter((u) => new Date(u.createdAt) >= cut).length);
});

test('a stand-alone IN (SELECT …) sub-query runs first and its values become the outer filter', async () => {
  const rows = await h.ds
    .getRepository(User)
    .createQueryBuilder('u')
    .where((qb) => `u.populationId IN ${qb.subQuery().select('p.id').from(Population, 'p').where('p.name = :n').getQuery()}`)
    .setParameter('n', 'Partners')
    .getMany();
  const partners = [...h.sim.store.environment(h.sim.environmentId)!.populations.values()].find((p) => p.data.name === 'Partners')!.data.id;
  expect(names(rows)).toEqual(expected((u) => u.population.id === partners));
  expect(h.requests()).toEqual([
    'GET /populations?limit=1000&filter=name eq "Partners"',
    `GET /users?limit=1000&filter=population.id eq "${String(partners)}"`,
  ]);
});

test('getManyAndCount with paging', async () => {
  const [rows, count] = await h.ds
    .getRepository(User)
    .createQueryBuilder('u')
    .where('u.type = :t', { t: 'Employee' })
    .orderBy('u.username')
    .skip(3)
    .take(4)
    .getManyAndCount();
  const employees = expected((u) => u.type === 'Employee');
  expect(rows.map((u) => u.username)).toEqual(employees.slice(3, 7));
  expect(count).toBe(employees.length);
});

test('eager relations load with every find, set-wise', async () => {
  @Entity('populations')
  class Pop {
    @PrimaryColumn({ type: 'varchar' }) id!: string;
    @Column({ type: 'varchar' }) name!: string;
  }
  @Entity('users')
  class EagerUser {
    @PrimaryColumn({ type: 'varchar' }) id!: string;
    @Column({ type: 'varchar' }) username!: string;
    @Column({ type: 'varchar', nullable: true }) type?: string | null;
    @ManyToOne(() => Pop, { eager: true }) @JoinColumn({ name: 'populationId' }) population!: Relation<Pop>;
  }
  const other = await startDriver({ seed: 'demo', users: 15 }, { entities: [EagerUser, Pop] });
  try {
    const rows = await other.ds.getRepository(EagerUser).findBy({ type: 'Employee' });
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((u) => typeof u.population.name === 'string')).toBe(true);
    const requests = other.requests();
    expect(requests[0]).toBe('GET /users?limit=1000&filter=type eq "Employee"');
    expect(requests).toHaveLength(2); // the populations of all those users in one request
  } finally {
    await other.close();
  }
});

test('stream() of a plain SELECT reads PingOne page by page and runs each page locally as it arrives', async () => {
  const other = await startDriver({ seed: 'demo', users: 2500 });
  try {
    const stream = await other.ds
      .getRepository(User)
      .createQueryBuilder('u')
      .select(['u.username', 'u.type'])
      .where('u.type = :t', { t: 'Employee' })
      .stream();
    let rows = 0;
    let firstRowAfterRequests = -1;
    for await (const row of stream) {
      if (rows++ === 0) firstRowAfterRequests = other.sim.requests.api().length;
      expect((row as Record<string, unknown>).u_type).toBe('Employee');
    }
    const employees = [...other.sim.store.environment(other.sim.environmentId)!.users.values()].filter(
      (u) => u.data.type === 'Employee',
    ).length;
    expect(rows).toBe(employees);
    expect(firstRowAfterRequests).toBe(1); // the first row came out after the first page, before the others were fetched
    expect(other.requests()).toHaveLength(Math.ceil(employees / 200)); // PingOne's users pages hold at most 200
  } finally {
    await other.close();
  }
});
