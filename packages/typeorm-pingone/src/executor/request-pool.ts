import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The driver's shared request pool: at most `MAX_IN_FLIGHT` PingOne requests at a time per client, whatever the
 * statements running, so fan-out (id chunks, membership lists, partitions, independent tables) overlaps without
 * flooding PingOne. When the client has a rate limit, requests also leave the pool no faster than that rate (the
 * client's limiter still applies): then the queue is here, where it is ordered by priority, and not in the client's
 * limiter, which serves in arrival order. A request's priority is the pages its list has left, when known (a
 * partition, a list of known size): the longest chain goes first, so waiting for the rate delays the shorter
 * chains, which have time to spare, and not the critical path. A waiting request gains a page of priority every
 * 100 ms, so none waits for ever behind long lists.
 *
 * It also measures the critical path in round trips, causally rather than by the clock: a request issued after
 * `n` dependent round trips completes round trip `n + 1`. Work that runs in `parallel()` branches starts from the
 * same depth and the branches join at the deepest one, so the figure is the longest chain of dependent requests,
 * independent of timing (tests can assert it exactly).
 */
export const MAX_IN_FLIGHT = 8;
/** Priority a waiting request gains per millisecond (a page every 100 ms). */
const AGING = 1 / 100;

interface DepthCell {
  depth: number;
}

interface Waiter {
  readonly start: () => void;
  readonly priority: number;
  readonly since: number;
}

const context = new AsyncLocalStorage<DepthCell>();

/** How many dependent round trips the current causal chain has completed (0 outside one): a request sent now is the next. */
export function chainDepth(): number {
  return context.getStore()?.depth ?? 0;
}

export class RequestPool {
  #inFlight = 0;
  readonly #waiting: Waiter[] = [];
  /** the rate pacing, as the client's limiter does it: a bucket of a tenth of a second's requests */
  #tokens: number;
  #refilled = Date.now();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limit = MAX_IN_FLIGHT,
    private readonly rate?: number,
  ) {
    this.#tokens = this.#capacity();
  }

  /** Runs one request in a pool slot; the round trip counts on the current causal chain. */
  async run<T>(send: () => Promise<T>, priority = 0): Promise<T> {
    const cell = context.getStore();
    const start = cell?.depth ?? 0;
    await new Promise<void>((resolve) => {
      this.#waiting.push({ start: resolve, priority, since: Date.now() });
      this.#drain();
    });
    try {
      return await send();
    } finally {
      this.#inFlight--;
      this.#drain();
      if (cell) cell.depth = Math.max(cell.depth, start + 1);
    }
  }

  #capacity(): number {
    return this.rate === undefined ? Infinity : Math.max(1, Math.ceil(this.rate / 10));
  }

  /** Starts waiting requests, highest priority first, while a slot and (with a rate) a token are free. */
  #drain(): void {
    if (this.rate !== undefined) {
      const now = Date.now();
      this.#tokens = Math.min(this.#capacity(), this.#tokens + ((now - this.#refilled) / 1000) * this.rate);
      this.#refilled = now;
    }
    while (this.#waiting.length > 0 && this.#inFlight < this.limit && this.#tokens >= 1) {
      const now = Date.now();
      const rank = (w: Waiter) => w.priority + (now - w.since) * AGING;
      let best = 0;
      for (let i = 1; i < this.#waiting.length; i++) if (rank(this.#waiting[i]) > rank(this.#waiting[best])) best = i;
      const [next] = this.#waiting.splice(best, 1);
      this.#inFlight++;
      this.#tokens -= 1;
      next.start();
    }
    if (this.#waiting.length > 0 && this.#inFlight < this.limit && this.#timer === undefined && this.rate !== undefined) {
      this.#timer = setTimeout(
        () => {
          this.#timer = undefined;
          this.#drain();
        },
        Math.max(1, Math.ceil(((1 - this.#tokens) / this.rate) * 1000)),
      );
    }
  }
}

const pools = new WeakMap<object, RequestPool>();

/** The pool shared by every statement on one client, paced at the client's rate limit. */
export function poolFor(client: { readonly config: { readonly requestsPerSecond: number | undefined } }): RequestPool {
  let pool = pools.get(client);
  if (!pool) {
    pool = new RequestPool(MAX_IN_FLIGHT, client.config.requestsPerSecond);
    pools.set(client, pool);
  }
  return pool;
}

/**
 * Independent pieces of work, overlapped: each branch starts at the current depth, the caller continues at the deepest.
 * A failing branch fails the whole only once every branch has settled, so no request of a statement is still running
 * (or retrying) after the statement has answered.
 */
export async function parallel<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const parent = context.getStore();
  const cells = tasks.map(() => ({ depth: parent?.depth ?? 0 }));
  try {
    const settled = await Promise.allSettled(
      tasks.map((task, i) => (parent && tasks.length > 1 ? context.run(cells[i], task) : parent ? context.run(parent, task) : task())),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  } finally {
    if (parent && tasks.length > 1) parent.depth = Math.max(parent.depth, ...cells.map((c) => c.depth));
  }
}

/**
 * A branch of independent work whose pieces are started one by one (a partition's pages, pulled as its consumer
 * wants them), unlike `parallel()`'s whole tasks: each `run` continues the branch's own chain, which starts at the
 * caller's depth; `join` makes the caller continue at the branch's depth if deeper.
 */
export interface Branch {
  run<T>(work: () => Promise<T>): Promise<T>;
  join(): void;
}

export function branch(): Branch {
  const parent = context.getStore();
  const cell = { depth: parent?.depth ?? 0 };
  return {
    run: (work) => (parent ? context.run(cell, work) : work()),
    join: () => {
      if (parent) parent.depth = Math.max(parent.depth, cell.depth);
    },
  };
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
 * Pages read one ahead: the next page's request is in flight while the caller decodes this one, so decoding never
 * sits between two requests of a cursor chain. Only for loops that read every page anyway (an early stop would pay
 * for a page it never uses); on an early exit the page in flight is awaited before the list is closed, so no request
 * outlives the statement.
 */
export async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<T>> | undefined = iterator.next();
  let done = false;
  try {
    for (;;) {
      const current: IteratorResult<T> = await next;
      next = undefined;
      if (current.done) {
        done = true;
        return;
      }
      next = iterator.next();
      next.catch(() => undefined); // its failure is thrown where it is awaited, not as an unhandled rejection
      yield current.value;
    }
  } finally {
    if (!done) {
      if (next) await next.catch(() => undefined);
      await iterator.return?.(undefined);
    }
  }
}

/**
 * Work started on another branch that this branch waits for: its requests come first on this branch's chain too.
 * `track` wraps the other branch's work (call it inside that branch); `awaitTracked` continues after it.
 */
export interface Tracked<T> {
  readonly done: Promise<{ readonly value: T; readonly depth: number }>;
}

export function track<T>(work: Promise<T>): Tracked<T> {
  const done = work.then((value) => ({ value, depth: context.getStore()?.depth ?? 0 }));
  done.catch(() => undefined); // the branch's own failure is reported where it runs, whether or not anyone waits
  return { done };
}

/**
 * The causal depth of the current chain, and a way to continue it after work that ended at another depth: a request
 * that waited for another branch's request (a probe of a filter cell, planner/filter-ledger.ts) comes after it.
 */
export const chainClock = Object.freeze({
  depth: (): number => context.getStore()?.depth ?? 0,
  reach: (depth: number): void => {
    const cell = context.getStore();
    if (cell) cell.depth = Math.max(cell.depth, depth);
  },
});

export async function awaitTracked<T>(tracked: Tracked<T>): Promise<T> {
  const { value, depth } = await tracked.done;
  const cell = context.getStore();
  if (cell) cell.depth = Math.max(cell.depth, depth);
  return value;
}

/**
 * The critical path, in PingOne round trips, of everything `work` does through the driver (several statements
 * included): for tests and benchmarks. Not a timing: independent requests overlapped count once.
 */
export async function countRoundTrips<T>(work: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  return withRoundTrips(work);
}
