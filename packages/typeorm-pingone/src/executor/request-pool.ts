import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The driver's shared request pool: at most `MAX_IN_FLIGHT` PingOne requests at a time per client, whatever the
 * statements running, so fan-out (id chunks, membership lists, independent tables) overlaps without flooding
 * PingOne. Requests still pass the client's own rate limiter; this bound only keeps the driver from queueing more
 * than the limiter would let through anyway, in arrival order, with no batch barriers.
 *
 * It also measures the critical path in round trips, causally rather than by the clock: a request issued after
 * `n` dependent round trips completes round trip `n + 1`. Work that runs in `parallel()` branches starts from the
 * same depth and the branches join at the deepest one, so the figure is the longest chain of dependent requests,
 * independent of timing (tests can assert it exactly).
 */
export const MAX_IN_FLIGHT = 8;

interface DepthCell {
  depth: number;
}

const context = new AsyncLocalStorage<DepthCell>();

export class RequestPool {
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly limit = MAX_IN_FLIGHT) {}

  /** Runs one request in a pool slot; the round trip counts on the current causal chain. */
  async run<T>(send: () => Promise<T>): Promise<T> {
    const cell = context.getStore();
    const start = cell?.depth ?? 0;
    if (this.#inFlight >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#inFlight++;
    try {
      return await send();
    } finally {
      this.#inFlight--;
      this.#waiting.shift()?.();
      if (cell) cell.depth = Math.max(cell.depth, start + 1);
    }
  }
}

const pools = new WeakMap<object, RequestPool>();

/** The pool shared by every statement on one client. */
export function poolFor(client: object): RequestPool {
  let pool = pools.get(client);
  if (!pool) {
    pool = new RequestPool();
    pools.set(client, pool);
  }
  return pool;
}

/** Independent pieces of work, overlapped: each branch starts at the current depth, the caller continues at the deepest. */
export async function parallel<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const parent = context.getStore();
  if (tasks.length <= 1 || !parent) return Promise.all(tasks.map((t) => (parent ? context.run(parent, t) : t())));
  const cells = tasks.map(() => ({ depth: parent.depth }));
  try {
    return await Promise.all(tasks.map((task, i) => context.run(cells[i]!, task)));
  } finally {
    parent.depth = Math.max(parent.depth, ...cells.map((c) => c.depth));
  }
}

/**
 * Runs `work` on its own causal chain, continuing the caller's when there is one (a TypeORM operation of several
 * statements measured by `countRoundTrips`), and returns how many round trips deep its requests went.
 */
export async function withRoundTrips<T>(work: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  const outer = context.getStore();
  const cell = { depth: outer?.depth ?? 0 };
  const base = cell.depth;
  try {
    const result = await context.run(cell, work);
    return { result, roundTrips: cell.depth - base };
  } finally {
    if (outer) outer.depth = Math.max(outer.depth, cell.depth);
  }
}

/**
 * The critical path, in PingOne round trips, of everything `work` does through the driver (several statements
 * included): for tests and benchmarks. Not a timing: independent requests overlapped count once.
 */
export async function countRoundTrips<T>(work: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  return withRoundTrips(work);
}
