/**
 * Simulator figures: start-up time with N users, heap held for 100k users, and requests per second for listing a
 * 100-user page over loopback (sequential and 8 concurrent clients). Ratios and numbers from one run, on this machine.
 *   node --expose-gc -r ts-node/register bench/simulator-throughput.ts
 */
import { startSimulator } from '@typeorm-pingone/simulator';

const gc = (globalThis as { gc?: () => void }).gc;

async function heapAfterSeed(users: number): Promise<{ startMs: number; heapMb: number }> {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  const sim = await startSimulator({ seed: 'demo', users });
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  await sim.close();
  return { startMs, heapMb };
}

async function throughput(users: number, seconds: number, concurrency: number): Promise<number> {
  const sim = await startSimulator({ seed: 'demo', users });
  const basic = Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString('base64');
  const token = (
    (await (
      await fetch(`${sim.authUrl}/${sim.environmentId}/as/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      })
    ).json()) as { access_token: string }
  ).access_token;
  const url = `${sim.apiUrl}/environments/${sim.environmentId}/users?limit=100`;
  const end = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        done++;
      }
    }),
  );
  await sim.close();
  return done / seconds;
}

async function main(): Promise<void> {
  if (!gc) console.log('(run with node --expose-gc for heap figures)');
  for (const users of [1_000, 10_000, 100_000]) {
    const { startMs, heapMb } = await heapAfterSeed(users);
    console.log(`seed ${users.toLocaleString()} users: start-up ${startMs.toFixed(0)} ms, heap held ${heapMb.toFixed(1)} MB`);
  }
  for (const [users, concurrency] of [
    [1_000, 1],
    [100_000, 1],
    [100_000, 8],
  ] as const) {
    console.log(
      `GET /users?limit=100 over ${users.toLocaleString()} users, ${concurrency} client(s): ${(await throughput(users, 3, concurrency)).toFixed(0)} requests/s`,
    );
  }
}

void main();
