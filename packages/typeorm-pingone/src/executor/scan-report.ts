import { serializeScimFilter } from '@typeorm-pingone/client';
import type { PartitionPlan } from '../planner/partition-plan';
import type { PlanTrace } from './plan-trace';

/*
 * What a partitioned scan (partitioned-scan.ts) tells EXPLAIN ANALYZE: why it chose partitions or one scan, and at the
 * end whether the partitions added up to PingOne's counts.
 */

/** What a scan did, for EXPLAIN ANALYZE. */
export interface ScanReport {
  /** the partitions read at the same time, or undefined when one scan was kept */
  readonly plan: PartitionPlan | undefined;
  /** why partitions were or were not chosen */
  readonly why: string;
  /** whether the populations list was read (to size partitions) */
  readonly populations: boolean;
  /** after the last page: whether the partitions added up to the counts PingOne gave, and how */
  check?: string;
}

/** Whether the partitions added up to what PingOne counted: the whole list, and each population's userCount. */
export function check(
  plan: PartitionPlan,
  read: ReadonlyMap<string, number>,
  all: number,
  total: number | undefined,
  options: { readonly size?: number; readonly report?: (report: ScanReport) => void },
): void {
  const expected = new Map<string, number>();
  for (const cell of plan.partitions.flatMap((p) => p.cells))
    expected.set(cell.population, (expected.get(cell.population) ?? 0) + cell.size);
  const differing = [...expected].filter(
    ([population, size]) => options.size === undefined && Math.round(size) !== (read.get(population) ?? 0),
  );
  const parts = [
    total === undefined
      ? `${all} read`
      : all === total
        ? `they add up to PingOne's count of ${total}`
        : `they read ${all}, PingOne counted ${total} on the first page`,
    options.size === undefined
      ? differing.length === 0
        ? "each population's matches its userCount"
        : `${differing.length} population(s) differ from their userCount`
      : undefined,
  ].filter((p): p is string => p !== undefined);
  const changed = (total !== undefined && all !== total) || differing.length > 0;
  options.report?.({
    plan,
    why: '',
    populations: true,
    check: `${parts.join('; ')}${changed ? ' (the directory changed while it was read)' : ''}`,
  });
}

/**
 * EXPLAIN ANALYZE's steps for a scan of `alias`: the populations list when it was read, the partitions (their filters,
 * why, and at the end whether they added up to PingOne's counts).
 */
export function traceScan(trace: PlanTrace, alias: string, table: string): (report: ScanReport) => void {
  let at = -1;
  return (report) => {
    if (report.check !== undefined) {
      const step = trace.steps[at];
      if (step) trace.steps[at] = { ...step, notes: `${step.notes}; ${report.check}` };
      return;
    }
    if (report.populations && !trace.steps.some((s) => s.table === 'populations' && s.notes.startsWith('every population'))) {
      trace.step({
        alias: 'populations',
        table: 'populations',
        strategy: 'list',
        filter: undefined,
        notes: 'every population with its userCount, to size partitions (one request for the statement)',
      });
    }
    const filter = report.plan?.partitions.map((p) => serializeScimFilter(p.filter)).join(' | ');
    trace.step({ alias, table, strategy: 'list', filter, notes: report.why });
    at = trace.steps.length - 1;
  };
}
