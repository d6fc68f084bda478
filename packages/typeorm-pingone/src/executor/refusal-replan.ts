import { PingOneFilterRefusedError } from '../errors';
import type { PlanTrace } from './plan-trace';

/** More re-plans than this means the refusals don't converge (each one takes at least one cell out of the filter). */
const MAX_REPLANS = 8;

/**
 * Runs a load step, and runs it again whenever PingOne refused the filter it sent: the refusal is in the ledger by
 * then, so planning the step again leaves the refused cell out and evaluates it locally. A step adds no rows before
 * its first page arrives, and a refusal comes on the first page, so running it again is safe. The trace (EXPLAIN
 * ANALYZE) shows the re-plan between the two attempts.
 */
export async function replanOnRefusal<T>(trace: PlanTrace, step: string, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof PingOneFilterRefusedError) || attempt >= MAX_REPLANS) throw error;
      trace.replanned(
        `${step}: PingOne refused ${error.cells.map((c) => `\`${c}\``).join(', ')} on ${error.resource}; re-planned with ${error.cells.length > 1 ? 'them' : 'it'} evaluated locally`,
      );
    }
  }
}
