import { PingOneApiError } from '@typeorm-pingone/client';
import { PingOneDriverError, PingOneWriteOutcomeUnknownError } from '../errors';

type Rows = { records: Record<string, unknown>[] };

/**
 * Whether a create failed because its unique key is taken: PingOne's UNIQUENESS_VIOLATION (the driver wraps it as
 * REMOTE_ERROR with the client's error as cause), or a lost answer whose read-back found a resource with that key
 * that is not this create's (OUTCOME_UNKNOWN naming it).
 */
export function keyTaken(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof PingOneApiError) return e.detailCodes.includes('UNIQUENESS_VIOLATION');
    if (e instanceof PingOneWriteOutcomeUnknownError && e.reconciliation.found !== undefined) return true;
    if (e instanceof PingOneDriverError && e.code !== 'REMOTE_ERROR' && e.code !== 'OUTCOME_UNKNOWN') return false;
  }
  return false;
}

/**
 * upsert() under races: two to ten instances upserting the same new username (or group name) each read it as absent
 * and each send the create; PingOne keeps the first and refuses the others as duplicates. A refused create is the row
 * existing after all, so it is read again and the caller updates it, as if the first read had found it: one create,
 * the others update, none fails. Any other failure, or a key that is taken yet can't be read back, stays an error.
 */
export async function insertUnlessTaken(
  insert: () => Promise<Rows>,
  readAgain: () => Promise<Rows>,
): Promise<{ created: Rows } | { found: Record<string, unknown>[] }> {
  try {
    return { created: await insert() };
  } catch (error) {
    if (!keyTaken(error)) throw error;
    const found = (await readAgain()).records;
    if (found.length === 0) throw error;
    return { found };
  }
}
