import { scim, type ScimFilter } from '@typeorm-pingone/client';

/** Most cells ORed into one partition: `population.id eq "<uuid>"` is about 60 characters encoded, 40 fit a URL with room. */
const MAX_CELLS = 40;

/**
 * The users of one population, or of one population with one `enabled` value. PingOne gives every user exactly one
 * population and a boolean `enabled` (default true; pingone-api.md §3), so the cells of the listed populations are
 * disjoint and their union is every user: that is what makes a partitioned read the whole set.
 */
export interface Cell {
  readonly population: string;
  readonly enabled?: boolean;
  /** users expected (PingOne's userCount, its estimated enabled share, at most the list's size) */
  readonly size: number;
}

/** Cells read by one list request (an OR of their filters): partitions are read at the same time. */
export interface Partition {
  readonly filter: ScimFilter;
  readonly cells: readonly Cell[];
  readonly estimate: number;
}

export interface PartitionPlan {
  readonly partitions: readonly Partition[];
  /** pages of the longest partition: the critical path of reading them all at once */
  readonly pages: number;
}

export const pagesOf = (users: number, pageSize: number) => Math.max(1, Math.ceil(users / pageSize));

function cellFilter(cell: Cell): ScimFilter {
  const population = scim.eq('population.id', cell.population);
  return cell.enabled === undefined ? population : scim.and(population, scim.eq('enabled', cell.enabled));
}

/**
 * Partitions for a scan of `base` (undefined: every user) over populations of the given sizes. The largest cell sets
 * the critical path: while it is one population and splitting it by `enabled` (its share estimated from a sample)
 * shortens that path, it is split. Then cells are packed, largest first, into as few partitions as keep within that
 * path (small and empty populations share a request instead of costing one each).
 */
export function planPartitions(
  base: ScimFilter | undefined,
  populations: readonly { id: string; size: number }[],
  pageSize: number,
  enabledShare: number | undefined,
): PartitionPlan {
  let cells: Cell[] = populations.map((p) => ({ population: p.id, size: p.size }));
  while (enabledShare !== undefined && cells.length > 0) {
    const top = cells.reduce((a, b) => (b.size > a.size ? b : a));
    const larger = top.size * Math.max(enabledShare, 1 - enabledShare);
    if (top.enabled !== undefined || pagesOf(larger, pageSize) >= pagesOf(top.size, pageSize)) break;
    cells = cells.filter((c) => c !== top);
    cells.push(
      { population: top.population, enabled: true, size: top.size * enabledShare },
      { population: top.population, enabled: false, size: top.size * (1 - enabledShare) },
    );
  }
  const pages = Math.max(1, ...cells.map((c) => pagesOf(c.size, pageSize)));
  const bins: Cell[][] = [];
  const sizes: number[] = [];
  for (const cell of [...cells].sort((a, b) => b.size - a.size)) {
    const at = bins.findIndex((bin, i) => bin.length < MAX_CELLS && pagesOf(sizes[i] + cell.size, pageSize) <= pages);
    if (at >= 0) {
      bins[at].push(cell);
      sizes[at] = sizes[at] + cell.size;
    } else {
      bins.push([cell]);
      sizes.push(cell.size);
    }
  }
  const partitions = bins.map((bin, i) => {
    const own = bin.length === 1 ? cellFilter(bin[0]) : scim.or(...bin.map(cellFilter));
    return { filter: base ? scim.and(base, own) : own, cells: bin, estimate: sizes[i] };
  });
  return { partitions, pages };
}
