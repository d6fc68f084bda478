import { asError } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';

const PARALLEL = 8;

/** Runs `work` for every item, 8 at a time; if any fail, one error lists every item's outcome. */
export async function forEachRow<T>(
  items: readonly T[],
  label: (item: T) => string,
  work: (item: T) => Promise<boolean>,
  inTransaction: boolean,
): Promise<number> {
  const outcomes: { item: T; ok: boolean; error?: Error }[] = [];
  for (let i = 0; i < items.length; i += PARALLEL) {
    const batch = items.slice(i, i + PARALLEL);
    const settled = await Promise.allSettled(batch.map(work));
    settled.forEach((s, j) =>
      outcomes.push(s.status === 'fulfilled' ? { item: batch[j], ok: s.value } : { item: batch[j], ok: false, error: asError(s.reason) }),
    );
  }
  const failed = outcomes.flatMap((o) => (o.error === undefined ? [] : [o.error]));
  const [first] = failed;
  if (first !== undefined) {
    if (items.length === 1) throw first;
    const lines = outcomes.map(
      (o) => `${label(o.item)}: ${o.error === undefined ? (o.ok ? 'done' : 'not found') : `FAILED (${o.error.message})`}`,
    );
    throw new PingOneDriverError(
      'REMOTE_ERROR',
      `${failed.length} of ${items.length} rows failed; ${afterPartialFailure(inTransaction)}:\n${lines.join('\n')}`,
      { cause: first },
    );
  }
  return outcomes.filter((o) => o.ok).length;
}

/** What happens to the rows a failed statement did apply, in words for its error. */
export function afterPartialFailure(inTransaction: boolean): string {
  return inTransaction
    ? "the others were applied and are journaled: this transaction's ROLLBACK undoes them (and reconciles any whose answer was lost); what it did is added to this error when it runs"
    : 'the others were applied and stay applied (PingOne has no transactions, and this statement ran outside one)';
}
