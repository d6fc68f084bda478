/**
 * One memory measurement, in its own process (bench/memory.ts starts it): peak RSS growth, read from the kernel's
 * VmHWM, of one operation over the simulator the parent runs. The peak is reset (/proc/self/clear_refs) after
 * warm-up and a GC, so set-up never counts.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { createPingOneClient } from '@typeorm-pingone/client';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';

const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))![1]);

async function main(): Promise<void> {
  const [what, json] = process.argv.slice(2) as [string, string];
  const pingone = {
    ...(JSON.parse(json) as { environmentId: string; apiUrl: string; authUrl: string; clientId: string; clientSecret: string }),
    rateLimit: false as const,
  };
  const client = createPingOneClient(pingone);
  const ds = await new PingOneDataSource({ entities: [User, Group, Population], pingone }).initialize();
  const repo = ds.getRepository(User);
  // warm-up: every code path compiled, connections open
  await repo.find({ take: 300 });
  let warm = 0;
  for await (const _user of client.users.list({ limit: 1000 })) if (++warm >= 400) break;
  for await (const _row of await repo.createQueryBuilder('u').where('u.type = :t', { t: 'none' }).stream()) void _row;
  global.gc!();
  writeFileSync('/proc/self/clear_refs', '5');
  const before = kb('VmRSS');
  let n = 0;
  let held: unknown;
  if (what === 'client') held = await client.users.list({ limit: 1000 }).toArray();
  else if (what === 'client-stream') for await (const _user of client.users.list({ limit: 1000 })) n++;
  else if (what === 'find') held = await repo.find();
  else for await (const _row of await repo.createQueryBuilder('u').stream()) n++;
  if (Array.isArray(held)) n = held.length;
  const peak = kb('VmHWM');
  process.stdout.write(JSON.stringify({ what, rows: n, growthMb: (peak - before) / 1024 }));
  await ds.destroy();
}

void main();
