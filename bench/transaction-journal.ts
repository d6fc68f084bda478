/**
 * What the crash-durable transaction journal costs a write: save() of new users one after another (each save is a
 * transaction: its intent record is written and fsync'ed before the POST, the journal removed at COMMIT), with the
 * journal in files, and with `transactionJournal: false`, against the simulator with 0 and 50 ms latency. Prints the
 * time per save and the ratio, one run, alternating the two so that a busy machine weighs on both.
 *   node -r ts-node/register bench/transaction-journal.ts
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';

async function perSave(latencyMs: number, journal: false | { dir: string }, saves: number): Promise<number> {
  const sim = await startSimulator({ seed: 'demo', users: 5, latencyMs });
  const ds = await new PingOneDataSource({
    entities: [User, Group, Population],
    transactionJournal: journal,
    pingone: {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: false,
    },
  }).initialize();
  try {
    const repo = ds.getRepository(User);
    await repo.save({ username: 'warm.up', email: 'w@example.com' });
    const started = performance.now();
    for (let i = 0; i < saves; i++) await repo.save({ username: `bench.${i}`, email: `bench.${i}@example.com` });
    return (performance.now() - started) / saves;
  } finally {
    await ds.destroy();
    await sim.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-journal-'));
  try {
    for (const [latency, saves] of [
      [0, 300],
      [50, 40],
    ] as const) {
      const off: number[] = [];
      const files: number[] = [];
      for (let round = 0; round < 3; round++) {
        off.push(await perSave(latency, false, saves));
        files.push(await perSave(latency, { dir: join(dir, 'journal') }, saves));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
      console.log(
        `latency ${latency} ms, ${saves} saves x 3 rounds: journal off ${median(off).toFixed(2)} ms/save, in files ${median(files).toFixed(2)} ms/save (x${(median(files) / median(off)).toFixed(2)}, +${(median(files) - median(off)).toFixed(2)} ms)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
