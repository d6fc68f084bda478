/**
 * Requests per query: the driver against the minimum worked out by hand (for one scan per list; a whole read of the
 * users is read as partitions, which may take one more request per partition and the populations list, for fewer
 * round trips) and a baseline that pushes down only
 * `id =` (what commercial connectors do), on 10,000 demo users, 8 groups, 4 populations, with the simulator's
 * PingOne defaults: users pages of at most 200, `count` left out of filtered results larger than a page. Also the median parse+plan
 * time of a cached SELECT. One run. (stream() and find() memory over 100,000 users: bench/memory.ts.)
 *   node -r ts-node/register bench/requests.ts
 */
import 'reflect-metadata';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import * as driver from 'typeorm-pingone';
import { DIRECTORY_ENTITIES, Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import { directoryCases } from './directory-cases';
import { coreCases, pages, USERS, type DataSizes, type Ids } from './core-cases';

async function open(sim: RunningSimulator): Promise<PingOneDataSource> {
  return new PingOneDataSource({
    entities: [User, Group, Population, ...DIRECTORY_ENTITIES],
    pingone: {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: false,
    },
  }).initialize();
}

async function main(): Promise<void> {
  const sim = await startSimulator({ seed: 'demo', users: USERS });
  const ds = await open(sim);
  const env = sim.store.environment(sim.environmentId)!;
  const users = [...env.users.values()].map((r) => r.data);
  const group = [...env.groups.values()].find((g) => g.data.name === 'Finance')!.data;
  const population = [...env.populations.values()].find((p) => p.data.name === 'Partners')!.data;
  const page = users
    .map((u) => String(u.id))
    .sort()
    .slice(20, 30);
  const pagePopulations = new Set(users.filter((u) => page.includes(String(u.id))).map((u) => (u.population as { id: string }).id));
  const sizes: DataSizes = {
    // groups that can hold the page's users (non-empty, of no population or of theirs), at most one request per user
    pageGroups: Math.min(
      page.length,
      [...env.groups.values()]
        .map((g) => g.data)
        .filter(
          (g) =>
            env.memberships.directMembers(String(g.id)).some((m) => env.users.has(m)) &&
            (g.population === undefined || pagePopulations.has((g.population as { id: string }).id)),
        ).length,
    ),
    lateIndex: 9001,
    contractors: users.filter((u) => u.type === 'Contractor').length,
    enabled: users.filter((u) => u.enabled !== false).length,
    ada: users.filter((u) => String(u.username).toLowerCase().startsWith('ada')).length,
    populationUsers: users.filter((u) => (u.population as { id: string }).id === population.id).length,
    groupMembers: env.memberships.directMembers(String(group.id)).length,
    helpDeskMembers: env.memberships.directMembers(String([...env.groups.values()].find((g) => g.data.name === 'Help Desk')!.data.id))
      .length,
  };
  const lateIndex = 9001;
  const ids: Ids = {
    userId: String(users[5].id),
    groupId: String(group.id),
    populationId: String(population.id),
    twoIds: [String(users[1].id), String(users[2].id)],
    usernames500: users.slice(1000, 1500).map((u) => String(u.username)),
    ids500: users.slice(2000, 2500).map((u) => String(u.id)),
    late: new Date(String(users[lateIndex - 1].createdAt)),
  };
  let made = 0;
  let minimum = 0;
  let baseline = 0;
  let trips = 0;
  let minTrips = 0;
  // countRoundTrips is the driver's causal measure (independent requests overlapped count once); older builds lack it.
  const count = (driver as { countRoundTrips?: (w: () => Promise<unknown>) => Promise<{ roundTrips: number }> }).countRoundTrips;
  console.log(
    '| query | requests | minimum | round trips | minimum | partitions | id-only baseline | note |\n|---|---|---|---|---|---|---|---|',
  );
  let within = true;
  for (const c of coreCases) {
    sim.requests.clear();
    const depth = count ? (await count(() => c.run(ds, ids))).roundTrips : (await c.run(ds, ids), NaN);
    const log = sim.requests.api();
    const n = log.length;
    // A partitioned scan reads the populations list, then one list per partition (population.id eq …).
    const populations = log.filter((r) => r.path.endsWith('/populations') && !r.query.filter).length;
    const partitions =
      populations === 0
        ? 0
        : log.filter((r) => r.path.endsWith('/users') && !r.query.cursor && r.query.filter?.includes('population.id eq')).length;
    const min = typeof c.minimum === 'function' ? c.minimum(sizes) : c.minimum;
    const minDepth = typeof c.depth === 'function' ? c.depth(sizes) : c.depth;
    // The bound: at most the minimum + one per partition (its partial last page) + the populations list, and
    // fewer round trips than the minimum of one scan wherever partitions are read.
    within &&= n <= min + partitions + populations && (partitions === 0 || depth < minDepth);
    made += n;
    minimum += min;
    baseline += c.baseline;
    trips += depth;
    minTrips += minDepth;
    console.log(
      `| ${c.name} | ${n} | ${min} | ${Number.isNaN(depth) ? '–' : depth} | ${minDepth} | ${partitions || '–'} | ${c.baseline} | ${c.why} |`,
    );
  }
  console.log(
    `| **total (${coreCases.length} queries)** | **${made}** | **${minimum}** | **${Number.isNaN(trips) ? '–' : trips}** | **${minTrips}** | | **${baseline}** | driver/minimum ${(made / minimum).toFixed(2)}, baseline/driver ${(baseline / made).toFixed(1)} |`,
  );
  console.log(
    `\nevery query within the minimum + one request per partition + the populations list, and fewer round trips where partitioned: ${within ? 'yes' : 'NO'}`,
  );

  console.log(
    '\nThe directory tables (issue 28):\n\n| query | requests | minimum | round trips | minimum | id-only baseline | note |\n|---|---|---|---|---|---|---|',
  );
  let directoryWithin = true;
  for (const c of directoryCases(sim)) {
    sim.requests.clear();
    let answer: unknown;
    const depth = count
      ? (
          await count(async () => {
            answer = await c.run(ds);
          })
        ).roundTrips
      : ((answer = await c.run(ds)), NaN);
    const n = sim.requests.api().length;
    const min = typeof c.minimum === 'function' ? c.minimum(answer) : c.minimum;
    const minDepth = typeof c.depth === 'function' ? c.depth(answer) : c.depth;
    directoryWithin &&= n <= min;
    console.log(`| ${c.name} | ${n} | ${min} | ${Number.isNaN(depth) ? '–' : depth} | ${minDepth} | ${c.baseline} | ${c.why} |`);
  }
  console.log(`\nevery directory query at its minimum: ${directoryWithin ? 'yes' : 'NO'}`);

  const qb = ds
    .getRepository(User)
    .createQueryBuilder('u')
    .leftJoinAndSelect('u.groups', 'g')
    .where('u.type = :t', { t: 'Contractor' })
    .andWhere('u.enabled = :e', { e: true });
  await ds.explain(qb);
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const started = process.hrtime.bigint();
    await ds.explain(qb);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`\nparse + plan of a cached TypeORM SELECT (EXPLAIN, no requests), median of 500: ${times[250].toFixed(3)} ms`);
  await ds.destroy();
  await sim.close();
  await withGroupsAtLatency(count);
}

/** The latency case: 1,000 users with their groups at 50 ms a request, against its critical path. */
async function withGroupsAtLatency(count: ((w: () => Promise<unknown>) => Promise<{ roundTrips: number }>) | undefined): Promise<void> {
  const sim = await startSimulator({ seed: 'demo', users: 1000 });
  const ds = await open(sim);
  const env = sim.store.environment(sim.environmentId)!;
  const userPages = pages(env.users.size);
  const memberPages = [...env.groups.values()]
    .map((g) => env.memberships.directMembers(String(g.data.id)).filter((m) => env.users.has(m)).length)
    .filter((n) => n > 0)
    .map(pages);
  const run = () => ds.getRepository(User).find({ relations: { groups: true } });
  await run();
  sim.faults.setLatency(50);
  const times: number[] = [];
  let depth = NaN;
  for (let i = 0; i < 5; i++) {
    sim.requests.clear();
    const started = process.hrtime.bigint();
    depth = count ? (await count(run)).roundTrips : (await run(), NaN);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const minimum = userPages + 1 + memberPages.reduce((a, b) => a + b, 0);
  console.log(
    `\n1,000 users with their groups at 50 ms a request, median of 5: ${times[2].toFixed(0)} ms, ${sim.requests.api().length} requests (minimum ${minimum}), ` +
      `${depth} round trips (one scan per list: ${userPages} users pages, or the groups list then the largest group's ${Math.max(...memberPages)} member pages: ${Math.max(userPages, 1 + Math.max(...memberPages))}; partitions may shorten it)`,
  );
  await ds.destroy();
  await sim.close();
}

void main();
