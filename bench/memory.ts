/**
 * Peak RSS growth (kernel VmHWM) over 100,000 users: stream() and find(), and the client alone reading the same pages
 * (iterated, and held with toArray). Each measurement is a fresh child process (bench/memory-child.ts) against one simulator in this process,
 * so neither the simulator's heap nor an earlier measurement's garbage counts; runs are interleaved, medians printed.
 *   node -r ts-node/register bench/memory.ts [--quick]
 */
import { execFile } from 'node:child_process';
import { startSimulator } from '@typeorm-pingone/simulator';

const USERS = 100_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const sim = await startSimulator({ seed: 'demo', users: USERS });
  const config = JSON.stringify({
    environmentId: sim.environmentId,
    apiUrl: sim.apiUrl,
    authUrl: sim.authUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
  });
  const rounds = process.argv.includes('--quick') ? 1 : 5;
  const growth: Record<string, number[]> = { stream: [], 'client-stream': [], find: [], client: [] };
  for (let i = 0; i < rounds; i++) {
    for (const what of Object.keys(growth)) {
      // async, so this process's simulator keeps serving while the child runs
      const out = await new Promise<string>((resolve, reject) => {
        const child = execFile(
          process.execPath,
          ['--expose-gc', '-r', 'ts-node/register', `${__dirname}/memory-child.ts`, what, config],
          { cwd: __dirname, maxBuffer: 1 << 20 },
          (error: Error | null, stdout: string) => (error ? reject(error) : resolve(stdout)),
        );
        void child;
      });
      const r = JSON.parse(out) as { rows: number; growthMb: number };
      if (r.rows !== USERS) throw new Error(`${what} returned ${r.rows} rows`);
      growth[what].push(r.growthMb);
    }
  }
  const [s, cs, f, c] = [median(growth.stream), median(growth['client-stream']), median(growth.find), median(growth.client)];
  console.log(
    `${USERS.toLocaleString()} users, peak RSS growth (VmHWM, median of ${rounds}): stream() ${s.toFixed(0)} MB (the client alone iterating the same pages: ${cs.toFixed(0)} MB), find() ${f.toFixed(0)} MB, client alone (toArray) ${c.toFixed(0)} MB; find ÷ client ${(f / c).toFixed(2)}`,
  );
  // Every run, not only the median: stream()'s figure is bimodal (docs/performance.md), and a median hides that.
  for (const [what, runs] of Object.entries(growth)) console.log(`  ${what}: ${runs.map((mb) => mb.toFixed(0)).join(', ')} MB`);
  await sim.close();
}

void main();
