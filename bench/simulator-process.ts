/**
 * A simulator in its own process, for benchmarks that time the driver: the simulator's CPU (filters, JSON) then runs
 * beside the driver instead of on its event loop. Started with `fork` (bench/scale.ts, bench/memory.ts); it answers
 * requests over IPC: the connection settings and the directory's sizes, the API request count, the latency.
 *   fork('simulator-process.ts', [JSON.stringify({ users, populations })])
 * `populations`: instead of the demo's four populations (60 %, 25 %, 10 %, 5 % of the users), that many of equal
 * size (the users dealt round-robin; only the environment groups keep their members).
 */
import { fork } from 'node:child_process';
import { demoSeed, startSimulator, type SeedData } from '@typeorm-pingone/simulator';

export interface SimulatorInfo {
  readonly pingone: { environmentId: string; apiUrl: string; authUrl: string; clientId: string; clientSecret: string };
  readonly users: number;
  /** users per population, largest first */
  readonly populations: number[];
  /** direct members (existing users) per group */
  readonly groupMembers: number[];
}

export type SimulatorCommand = { id: number; op: 'latency'; ms: number } | { id: number; op: 'clear' | 'count' | 'cpu' | 'close' };

async function main(): Promise<void> {
  const { users, populations } = JSON.parse(process.argv[2] ?? '{}') as { users: number; populations?: number };
  const sim = await startSimulator(populations ? { seed: balanced(users, populations) } : { seed: 'demo', users });
  const env = sim.store.environment(sim.environmentId)!;
  const perPopulation = new Map<string, number>();
  for (const u of env.users.values()) {
    const p = (u.data.population as { id: string }).id;
    perPopulation.set(p, (perPopulation.get(p) ?? 0) + 1);
  }
  const info: SimulatorInfo = {
    pingone: {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
    },
    users: env.users.size,
    populations: [...perPopulation.values()].sort((a, b) => b - a),
    groupMembers: [...env.groups.values()].map(
      (g) => env.memberships.directMembers(String(g.data.id)).filter((m) => env.users.has(m)).length,
    ),
  };
  process.on('message', (command: SimulatorCommand) => {
    const reply = (result: unknown) => process.send!({ id: command.id, result });
    if (command.op === 'latency') sim.faults.setLatency(command.ms);
    if (command.op === 'clear') sim.requests.clear();
    if (command.op === 'count') return reply(sim.requests.api().length);
    if (command.op === 'cpu') {
      const used = process.cpuUsage();
      return reply((used.user + used.system) / 1000);
    }
    if (command.op === 'close')
      return void sim.close().then(() => {
        reply(null);
        process.disconnect();
      });
    return reply(null);
  });
  process.send!({ id: 0, result: info });
}

/** The demo directory with its users dealt over `count` populations of equal size. */
function balanced(users: number, count: number): SeedData {
  const env = demoSeed({ users });
  const populations = Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    name: `Population ${i + 1}`,
    ...(i === 0 ? { default: true } : {}),
  }));
  const groups = env.groups!.filter((g) => g.population === undefined);
  const kept = new Set(groups.map((g) => String(g.id)));
  return {
    environments: [
      {
        ...env,
        populations,
        groups,
        users: env.users!.map((u, i) => ({ ...u, population: { id: populations[i % count].id } })),
        memberships: env.memberships!.filter((m) => kept.has(m.groupId)),
        groupNesting: env.groupNesting!.filter((n) => kept.has(n.groupId) && kept.has(n.parentGroupId)),
      },
    ],
  };
}

/** The parent's side: starts the process and sends it commands. */
export interface SimulatorProcess {
  readonly info: SimulatorInfo;
  setLatency(ms: number): Promise<void>;
  clearRequests(): Promise<void>;
  /** API requests since the last clear */
  requests(): Promise<number>;
  /** the simulator process's CPU time so far, in ms */
  cpu(): Promise<number>;
  close(): Promise<void>;
}

export async function forkSimulator(users: number, populations?: number): Promise<SimulatorProcess> {
  const child = fork(__filename, [JSON.stringify({ users, populations })], {
    execArgv: ['-r', 'ts-node/register', '--max-old-space-size=8192'],
  });
  const waiting = new Map<number, (result: unknown) => void>();
  let next = 1;
  child.on('message', (m: { id: number; result: unknown }) => {
    waiting.get(m.id)?.(m.result);
    waiting.delete(m.id);
  });
  const info = await new Promise<SimulatorInfo>((resolve, reject) => {
    waiting.set(0, (r) => resolve(r as SimulatorInfo));
    child.once('exit', (code) => reject(new Error(`the simulator process exited (${String(code)}) before it was ready`)));
  });
  const send = (command: Record<string, unknown>) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      child.send({ ...command, id });
    });
  return {
    info,
    setLatency: async (ms) => {
      await send({ op: 'latency', ms });
    },
    clearRequests: async () => {
      await send({ op: 'clear' });
    },
    requests: async () => (await send({ op: 'count' })) as number,
    cpu: async () => (await send({ op: 'cpu' })) as number,
    close: async () => {
      await send({ op: 'close' });
    },
  };
}

if (require.main === module) void main();
