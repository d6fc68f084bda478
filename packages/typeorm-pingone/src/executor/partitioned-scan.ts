import { asError, serializeScimFilter, type ScimFilter } from '@typeorm-pingone/client';
import type { CachedPage } from '../cache/cached-directory';
import { pagesOf, planPartitions, type PartitionPlan } from '../planner/partition-plan';
import { check, type ScanReport } from './scan-report';
import type { Priority, Resource } from './remote-directory';
import { branch } from './request-pool';

/** PingOne serves users in pages of at most 200 (pingone-api.md §5). */
const USERS_PAGE = 200;

export interface ScanSource {
  /** the pages of one list request, one after another, each asked for at the list's priority (request-pool.ts) */
  pages(filter: ScimFilter | undefined, priority?: Priority): AsyncGenerator<CachedPage<Resource>>;
  /** the environment's populations (one request, shared by the statement's scans) */
  populations(): Promise<readonly Resource[]>;
  /** whether the populations were read already (asking costs no round trip) */
  populationsRead(): boolean;
  /** the client whose lists these are: what a scan learns of a list is kept per client (`partitionedBefore`) */
  readonly owner: object;
}

/**
 * The lists (by their filter) a client last read as partitions. A whole read of such a list sends the populations
 * list with its first page instead of after it: one round trip fewer when partitions are chosen again, as they are
 * while the directory keeps its shape; the bet costs one request when they are not (the directory shrank).
 */
const partitionedBefore = new WeakMap<object, Set<string>>();
const listKey = (base: ScimFilter | undefined) => (base ? serializeScimFilter(base) : '');
function notePartitioned(source: ScanSource, base: ScimFilter | undefined, partitioned: boolean): void {
  let lists = partitionedBefore.get(source.owner);
  if (!lists) partitionedBefore.set(source.owner, (lists = new Set()));
  if (partitioned) lists.add(listKey(base));
  else lists.delete(listKey(base));
}

export interface ScanOptions {
  /** the list's size when it is known before the first page (a group's member count) */
  readonly size?: number;
  /** false: every item is in one population (a population group's members), so populations can't split it */
  readonly spansPopulations?: boolean;
  readonly report?: (report: ScanReport) => void;
}

const userCount = (population: Resource): number | undefined =>
  typeof population.userCount === 'number' ? population.userCount : undefined;
const populationOf = (user: Resource): string | undefined => {
  const population = user.population as { id?: unknown } | undefined;
  return typeof population?.id === 'string' ? population.id : undefined;
};

/** The share of a sample in its most common population. */
function largestShare(sample: readonly Resource[]): number {
  const counts = new Map<string | undefined, number>();
  for (const user of sample) counts.set(populationOf(user), (counts.get(populationOf(user)) ?? 0) + 1);
  return Math.max(...counts.values()) / sample.length;
}

/** The share of a sample with `enabled` true; undefined when some item has no boolean `enabled` (then it can't split). */
function enabledShare(items: readonly Resource[]): number | undefined {
  if (items.length === 0 || !items.every((u) => typeof u.enabled === 'boolean')) return undefined;
  return items.filter((u) => u.enabled === true).length / items.length;
}

/**
 * Every page of a users list (`base`: undefined for every user, or a group's member filter), read as partitions at
 * the same time when that shortens the critical path. PingOne pages by cursor, so one list's pages are strictly one
 * after another: ⌈items / 200⌉ round trips. Partitions by population (× enabled) are disjoint lists whose union is the
 * whole list, each read on its own chain through the shared request pool and the client's rate limiter.
 *
 * The size decides: a group's member count (given), or PingOne's `count` on the first page of the whole list (that
 * page is read first; a list of one page, or a few, is read as it is). Partitioning costs the populations list (one
 * request, shared) and at most one partial page per partition, so it is chosen only when the longest partition is
 * fewer round trips than the pages left.
 *
 * Order: pages come as they arrive, partitions interleaved; each page's items in PingOne's order. At most one page
 * per partition is fetched ahead of the consumer, so memory holds a page per partition, not the list.
 */
export async function* scanPages(
  source: ScanSource,
  base: ScimFilter | undefined,
  options: ScanOptions = {},
): AsyncGenerator<CachedPage<Resource>> {
  // No `yield*` below, and each page is dropped before the next is awaited: a delegating generator, or a binding
  // that outlives its page, would keep the previous page reachable while the next request runs (see
  // directory-requests.ts #livePages).
  let plan: PartitionPlan | undefined;
  let total: number | undefined;
  let page: CachedPage<Resource> | undefined;
  let pages: AsyncGenerator<CachedPage<Resource>> | undefined;
  let early: Promise<readonly Resource[]> | undefined;
  // One list's priority in the request pool: the pages it has left, once known (0: unknown).
  const left = { pages: options.size === undefined ? 0 : pagesOf(options.size, USERS_PAGE) };
  const priority = () => Math.max(0, left.pages);
  try {
    if (options.spansPopulations !== false && options.size !== undefined) {
      plan = await choose(source, base, options.size, pagesOf(options.size, USERS_PAGE), undefined, options);
      total = options.size;
    } else if (options.spansPopulations !== false) {
      if (!source.populationsRead() && partitionedBefore.get(source.owner)?.has(listKey(base))) {
        // Its failure is choose()'s to handle (one scan, no second request), and the scan waits for it before it
        // ends (finally), whether used or not.
        early = source.populations();
        early.catch(() => undefined);
      }
      let told = false;
      const report = options.report && ((r: ScanReport) => ((told = true), options.report!(r)));
      pages = source.pages(base, priority);
      page = (await pages.next()).value as CachedPage<Resource> | undefined;
      if (page === undefined) return;
      const count = page.count;
      if (count !== undefined && page.items.length > 0) left.pages = pagesOf(count, page.items.length) - 1;
      if (page.hasNext && count !== undefined && page.items.length > 0) {
        const remaining = pagesOf(count, page.items.length) - 1;
        plan = await choose(source, base, count, remaining, page.items, { ...options, report }, page.items.length, early);
      }
      notePartitioned(source, base, plan !== undefined);
      if (early && !told) {
        const why = count === undefined ? 'PingOne gave no count on the first page' : 'partitions would not be fewer round trips now';
        report?.({
          plan: undefined,
          why: `one scan: ${why} (the populations list was read with the first page, as the last whole read was partitioned)`,
          populations: true,
        });
      }
      if (plan) {
        // The first page was read to learn the size; the partitions read its users again.
        total = count;
        page = undefined;
        await pages.return(undefined);
        pages = undefined;
      }
    }
    pages ??= plan ? partitioned(source, plan, options, total) : source.pages(base, priority);
    if (page) {
      yield page;
      page = undefined;
    }
    for (;;) {
      page = (await pages.next()).value as CachedPage<Resource> | undefined;
      if (page === undefined) return;
      left.pages--;
      yield page;
      page = undefined;
    }
  } finally {
    await pages?.return(undefined);
    await early?.catch(() => undefined);
  }
}

/** The partitions to read instead of the `remaining` pages of one scan, or undefined when they are not fewer round trips. */
async function choose(
  source: ScanSource,
  base: ScimFilter | undefined,
  size: number,
  remaining: number,
  sample: readonly Resource[] | undefined,
  options: ScanOptions,
  pageSize = USERS_PAGE,
  underway?: Promise<readonly Resource[]>,
): Promise<PartitionPlan | undefined> {
  const tell = (why: string) => options.report?.({ plan: undefined, why, populations: true });
  // Partitions take the populations list (unless read already, or sent with the first page), then at least a page;
  // reading that list only to save a round trip is a bet that may cost one instead, so a list of few pages is read
  // as it is, and so is one whose first page shows a population too large for partitions to be shorter.
  const first = source.populationsRead() || underway ? 0 : 1;
  if (remaining <= first + 2) return undefined;
  const share = sample && enabledShare(sample);
  if (sample && first + pagesOf(largestShare(sample) * size * Math.max(share ?? 1, 1 - (share ?? 1)), pageSize) >= remaining)
    return undefined;
  let populations: readonly Resource[];
  try {
    populations = await (underway ?? source.populations());
  } catch (error) {
    // Partitions are only faster: without the populations list (a worker app that may not read them), one scan.
    tell(`one scan: the populations list failed (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
  const sizes = populations.map((p) => ({ id: p.id, size: userCount(p) }));
  if (sizes.length === 0 || sizes.some((p) => p.size === undefined)) {
    tell('one scan: PingOne gave no userCount for some population, so partitions could not be sized');
    return undefined;
  }
  const plan = planPartitions(
    base,
    sizes.map((p) => ({ id: p.id, size: Math.min(p.size!, size) })),
    pageSize,
    share,
  );
  if (first + plan.pages >= remaining) {
    tell(
      `one scan: ${first ? 'the populations list, then ' : ''}the largest partition's ${plan.pages} page(s) are no fewer round trips than the ${remaining} page(s) left`,
    );
    return undefined;
  }
  options.report?.({
    plan,
    populations: true,
    why:
      `${plan.partitions.length} partitions by population${plan.partitions.some((p) => p.cells.some((c) => c.enabled !== undefined)) ? ' (the largest also by enabled)' : ''}, read at the same time: ` +
      `${first + plan.pages} round trip(s)${first ? ' (the populations list, then the longest partition)' : ' for the longest'} instead of ${remaining} page(s) one after another`,
  });
  return plan;
}

/** The partitions' pages as they arrive, each partition on its own chain; the counts checked at the end. */
async function* partitioned(
  source: ScanSource,
  plan: PartitionPlan,
  options: ScanOptions,
  total?: number,
): AsyncGenerator<CachedPage<Resource>> {
  const runs = plan.partitions.map((p) => {
    // Each partition asks for its next page at the priority of the pages it has left: the longest goes first.
    const left = { pages: pagesOf(p.estimate, USERS_PAGE) };
    return { chain: branch(), left, pages: source.pages(p.filter, () => Math.max(1, left.pages)) };
  });
  type Arrival =
    { readonly i: number; readonly next: IteratorResult<CachedPage<Resource>> } | { readonly i: number; readonly error: Error };
  const pending = new Map<number, Promise<Arrival>>();
  const pull = (i: number) =>
    pending.set(
      i,
      runs[i].chain
        .run(() => runs[i].pages.next())
        .then(
          (next) => ({ i, next }),
          (error: unknown) => ({ i, error: asError(error) }),
        ),
    );
  const read = new Map<string, number>();
  let all = 0;
  runs.forEach((_, i) => pull(i));
  let page: CachedPage<Resource> | undefined;
  let arrival: Arrival | undefined;
  try {
    while (pending.size > 0) {
      arrival = await Promise.race(pending.values());
      pending.delete(arrival.i);
      if ('error' in arrival) throw arrival.error;
      page = arrival.next.done ? undefined : arrival.next.value;
      // the partition's next page is requested while this one is consumed
      if (page !== undefined) {
        runs[arrival.i].left.pages--;
        pull(arrival.i);
      }
      arrival = undefined;
      if (page === undefined) continue;
      all += page.items.length;
      for (const item of page.items) {
        const population = populationOf(item) ?? '';
        read.set(population, (read.get(population) ?? 0) + 1);
      }
      yield page;
      page = undefined;
    }
    check(plan, read, all, total, options);
  } finally {
    await Promise.all(pending.values());
    await Promise.all(runs.map((r) => r.pages.return(undefined).catch(() => undefined)));
    for (const run of runs) run.chain.join();
  }
}
