/**
 * Directory scale (issue 29): full reads of 10,000 and 100,000 demo users at 50 ms a request, through the client's
 * rate limiter at 100 requests a second (PingOne's per-address rate), the simulator in its own process. Beside each
 * time, its two lower bounds: the critical path (the round trips of the longest chain of dependent requests × 50 ms)
 * and the rate bound (requests ÷ 100/s); a sequential scan's critical path is its pages. The CPU time of the driver's
 * process and of the simulator's beside it (on a machine of 2 shared cores, their sum is part of the time too). Then the same at
 * 10,000 users in 8 populations of equal size (the demo puts 60 % in one; partitions by population can't be shorter
 * than the largest). Then the peak RSS growth of
 * stream() and find() over 100,000 users (and 1,000,000 with --million), each in a fresh process. One run.
 *   node -r ts-node/register bench/scale.ts [--runs 3] [--sizes 10000,100000] [--latency 50] [--rate 100] [--no-balanced] [--million] [--memory-runs 1] [--no-memory]
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { countRoundTrips, Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import { forkSimulator, type SimulatorProcess } from './simulator-process';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
/** The issue's case: 50 ms a request, 100 requests/s (--latency and --rate try others). */
const LATENCY_MS = Number(arg('--latency') ?? 50);
const RATE = Number(arg('--rate') ?? 100);
const runs = Number(arg('--runs') ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Query {
  readonly name: string;
  readonly run: (ds: PingOneDataSource) => Promise<number>;
  /** rows expected from the directory's sizes */
  readonly rows: (users: number) => number;
}

const queries: Query[] = [
  { name: '`find()` of every user', run: async (ds) => (await ds.getRepository(User).find()).length, rows: (n) => n },
  {
    name: '`SELECT type, COUNT(*) … GROUP BY type`',
    run: async (ds) =>
      (await ds.query<{ n: number }[]>('SELECT "type", COUNT(*) AS "n" FROM "users" GROUP BY "type"')).reduce((a, r) => a + Number(r.n), 0),
    rows: (n) => n,
  },
  {
    name: '`find({ relations: { groups: true } })`',
    run: async (ds) => (await ds.getRepository(User).find({ relations: { groups: true } })).length,
    rows: (n) => n,
  },
];

async function timeAt(users: number, populations?: number): Promise<void> {
  const sim = await forkSimulator(users, populations);
  const ds = await new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: { ...sim.info.pingone, rateLimit: { requestsPerSecond: RATE } },
  }).initialize();
  try {
    for (const q of queries) {
      const n = await q.run(ds); // warm-up, at no latency
      if (n !== q.rows(users)) throw new Error(`${q.name}: ${n} rows, expected ${q.rows(users)}`);
    }
    await sim.setLatency(LATENCY_MS);
    const rounds = users > 10_000 ? 1 : runs;
    const spread = populations
      ? `${populations} equal populations of ${sim.info.populations[0]}`
      : `populations of ${sim.info.populations.join(', ')}`;
    console.log(
      `\n${users.toLocaleString()} users (${spread}), ${LATENCY_MS} ms a request, ${RATE} requests/s, ${rounds === 1 ? 'one run' : `median of ${rounds} runs`}:\n`,
    );
    console.log(
      `| query | requests | round trips | time | critical path (round trips × ${LATENCY_MS} ms) | rate bound (requests ÷ ${RATE}/s) | time ÷ rate bound | CPU: driver, simulator |\n|---|---|---|---|---|---|---|---|`,
    );
    for (const q of queries) {
      const times: number[] = [];
      const cpu: number[] = [];
      const simCpu: number[] = [];
      let requests = 0;
      let trips = 0;
      for (let i = 0; i < rounds; i++) {
        await sim.clearRequests();
        const simUsed = await sim.cpu();
        const started = process.hrtime.bigint();
        const used = process.cpuUsage();
        const { result, roundTrips } = await countRoundTrips(() => q.run(ds));
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        const spent = process.cpuUsage(used);
        cpu.push((spent.user + spent.system) / 1000);
        simCpu.push((await sim.cpu()) - simUsed);
        if (result !== q.rows(users)) throw new Error(`${q.name}: ${result} rows, expected ${q.rows(users)}`);
        requests = await sim.requests();
        trips = roundTrips;
      }
      const t = median(times) / 1000;
      const path = (trips * LATENCY_MS) / 1000;
      const rate = requests / RATE;
      console.log(
        `| ${q.name} | ${requests} | ${trips} | ${t.toFixed(2)} s | ${path.toFixed(2)} s | ${rate.toFixed(2)} s | ${(t / rate).toFixed(2)} | ${(median(cpu) / 1000).toFixed(2)} s, ${(median(simCpu) / 1000).toFixed(2)} s |`,
      );
    }
  } finally {
    await ds.destroy();
    await sim.close();
  }
}

/** Peak RSS growth of one operation in a fresh process (bench/memory-child.ts). */
function measure(sim: SimulatorProcess, what: string): Promise<{ rows: number; growthMb: number }> {
  return new Promise((resolve, reject) => {
    // find() of 1,000,000 users holds about 2 GB of entities: over node's default heap limit (a larger limit makes V8
    // collect the old generation later, so stream() keeps the default, as an application would).
    const heap = what === 'find' ? ['--max-old-space-size=8192'] : [];
    execFile(
      process.execPath,
      ['--expose-gc', ...heap, '-r', 'ts-node/register', `${__dirname}/memory-child.ts`, what, JSON.stringify(sim.info.pingone)],
      { cwd: __dirname, maxBuffer: 1 << 20 },
      (error: Error | null, stdout: string) => (error ? reject(error) : resolve(JSON.parse(stdout) as { rows: number; growthMb: number })),
    );
  });
}

async function memoryAt(users: number): Promise<void> {
  const sim = await forkSimulator(users);
  const rounds = Number(arg('--memory-runs') ?? 1);
  try {
    const figures: string[] = [];
    for (const what of ['stream', 'find']) {
      const growth: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const r = await measure(sim, what);
        if (r.rows !== users) throw new Error(`${what} returned ${r.rows} rows`);
        growth.push(r.growthMb);
      }
      const runs = rounds > 1 ? ` (median of ${growth.map((mb) => mb.toFixed(0)).join(', ')})` : '';
      figures.push(`${what === 'stream' ? 'stream()' : 'find()'} ${median(growth).toFixed(0)} MB${runs}`);
    }
    console.log(`${users.toLocaleString()} users, peak RSS growth (VmHWM, no latency, no rate limit): ${figures.join(', ')}`);
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  for (const users of (arg('--sizes') ?? '10000,100000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0))
    await timeAt(users);
  // The same reads where populations are of equal size: partitions are then as long as the directory allows.
  if (!process.argv.includes('--no-balanced')) await timeAt(10_000, 8);
  if (process.argv.includes('--no-memory')) return;
  console.log('');
  await memoryAt(100_000);
  if (process.argv.includes('--million')) await memoryAt(1_000_000);
}

void main();
