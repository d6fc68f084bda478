import type { PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import { applyDeferred, undoEntry } from '../executor/compensation';
import { describeEntry, isDeferred } from '../executor/journal-entries';
import { messageOf } from '../executor/lost-answer';
import { replayJournal, type ReplayedJournal } from './journal-records';
import type { JournalStore } from './journal-store';

/** A transaction whose process ended (crash, kill, exit) without COMMIT or ROLLBACK, as its journal tells it. */
export interface InterruptedTransaction {
  readonly id: string;
  /** the journal file or Redis key */
  readonly location: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  /** 'open': ended inside the transaction; 'committing': during COMMIT; 'abandoned': its own ROLLBACK failed in part */
  readonly state: 'open' | 'committing' | 'abandoned';
  /** each change, oldest first, as reports name them */
  readonly changes: readonly string[];
  /** journal records that failed authentication (altered or planted in Redis): ignored, so not undone */
  readonly rejectedRecords?: number;
}

export interface RecoveredTransaction extends InterruptedTransaction {
  /**
   * 'rolled back': every change undone with its before-image; 'completed': its COMMIT had begun, so its remaining
   * deferred deletes were run (a delete can't be undone, so a half-run COMMIT is finished, not reverted); 'kept':
   * acknowledged, PingOne left as it is; 'failed': some change could not be undone or applied (the journal stays).
   */
  readonly outcome: 'rolled back' | 'completed' | 'kept' | 'failed';
  /** what was done to each change, newest first */
  readonly report: readonly string[];
}

interface Found {
  readonly summary: InterruptedTransaction;
  readonly journal: ReplayedJournal;
}

async function interrupted(store: JournalStore, environmentId: string): Promise<Found[]> {
  const out: Found[] = [];
  for (const stored of await store.list(environmentId)) {
    const journal = replayJournal(stored.records) ?? (stored.rejected ? unreadable(stored.tx, environmentId) : undefined);
    if (!journal) {
      // Cut before its first record was complete: no request was sent for it.
      if (stored.writer === 'dead') await store.remove(environmentId, stored.tx);
      continue;
    }
    if (stored.writer === 'alive' && journal.abandoned === undefined) continue;
    const { header } = journal;
    out.push({
      journal,
      summary: {
        id: stored.tx,
        location: stored.location,
        host: header.host,
        pid: header.pid,
        startedAt: header.startedAt,
        state: journal.abandoned !== undefined ? 'abandoned' : journal.committing ? 'committing' : 'open',
        changes: journal.entries.map(({ entry, done }) => `${describeEntry(entry)}${isDeferred(entry) && done ? ' (done at COMMIT)' : ''}`),
        ...(stored.rejected ? { rejectedRecords: stored.rejected } : {}),
      },
    });
  }
  return out;
}

/**
 * A journal none of whose records could be opened (its header altered, or the store's encryptionKey changed since it
 * was written): reported and kept, never removed as if it were empty.
 */
function unreadable(tx: string, environmentId: string): ReplayedJournal {
  return {
    header: { t: 'begin', v: 1, tx, environmentId, host: '(unknown: unreadable journal)', pid: 0, startedAt: '(unknown)' },
    entries: [],
    committing: false,
    abandoned: undefined,
  };
}

/** The journals of this environment whose process is gone, or whose own ROLLBACK gave up. */
export async function findInterruptedTransactions(store: JournalStore, environmentId: string): Promise<InterruptedTransaction[]> {
  return (await interrupted(store, environmentId)).map((f) => f.summary);
}

/** The warning initialize() gives when it finds interrupted transactions. */
export function interruptedWarning(found: readonly InterruptedTransaction[], location: string): string {
  const lines = found.map(
    (t) =>
      `- transaction ${t.id} of process ${t.pid} on ${t.host}, started ${t.startedAt}, ${t.state === 'committing' ? 'ended during its COMMIT' : t.state === 'abandoned' ? 'whose ROLLBACK could not undo everything' : 'ended inside the transaction'}:\n    ${t.changes.join('\n    ') || '(no change)'}${t.rejectedRecords ? `\n    (${t.rejectedRecords} journal record(s) failed authentication: altered or planted where the journal is kept; ignored, so not undone. Check who can write there.)` : ''}`,
  );
  return (
    `${found.length} PingOne transaction(s) ended without COMMIT or a complete ROLLBACK (their process died, or their rollback failed in part) and left changes in PingOne; their journals are in ${location}:\n${lines.join('\n')}\n` +
    "Undo them with their before-images: await dataSource.recoverTransactions({ action: 'rollback' }) (or pingone-sql --recover rollback); " +
    "or acknowledge them, leaving PingOne as it is: { action: 'keep' } (pingone-sql --recover keep)."
  );
}

/** Rolls back (or, for a COMMIT that had begun, completes) or keeps every interrupted transaction of the environment. */
export async function recoverTransactions(
  store: JournalStore,
  client: PingOneClient,
  action: 'rollback' | 'keep',
  note: (request: string) => void,
): Promise<RecoveredTransaction[]> {
  if (action !== 'rollback' && action !== 'keep') {
    throw new PingOneDriverError(
      'UNSUPPORTED_OPTION',
      `recoverTransactions({ action }): action must be 'rollback' (undo with the before-images) or 'keep' (acknowledge); got ${JSON.stringify(action)}.`,
    );
  }
  const results: RecoveredTransaction[] = [];
  for (const { summary, journal } of await interrupted(store, client.environmentId)) {
    const clientOf = (environmentId: string) => client.withEnvironment(environmentId);
    const report: string[] = [];
    let failed = 0;
    let outcome: RecoveredTransaction['outcome'];
    if (action === 'keep') {
      for (const { entry, done } of [...journal.entries].reverse())
        report.push(`${describeEntry(entry)}: ${isDeferred(entry) && !done ? 'not applied (kept as it is)' : 'kept'}`);
      outcome = 'kept';
    } else if (journal.committing) {
      for (const { entry, done } of journal.entries) {
        if (!isDeferred(entry)) continue;
        if (done) {
          report.push(`${describeEntry(entry)}: done at COMMIT`);
          continue;
        }
        try {
          report.push(
            `${describeEntry(entry)}: ${(await applyDeferred(entry, clientOf(entry.environmentId), note)) ? 'applied now (its COMMIT had begun)' : 'already done'}`,
          );
        } catch (error) {
          failed++;
          report.push(`${describeEntry(entry)}: COULD NOT BE APPLIED (${messageOf(error)})`);
        }
      }
      outcome = failed > 0 ? 'failed' : 'completed';
    } else {
      for (const { entry } of [...journal.entries].reverse()) {
        try {
          report.push(`${describeEntry(entry)}: ${await undoEntry(entry, clientOf(entry.environmentId), note)}`);
        } catch (error) {
          failed++;
          report.push(`${describeEntry(entry)}: COULD NOT BE UNDONE (${messageOf(error)})`);
        }
      }
      outcome = failed > 0 ? 'failed' : 'rolled back';
    }
    if (action !== 'keep' && summary.rejectedRecords) {
      // What those records announced can't be known: the journal stays for someone to look at (or to acknowledge).
      outcome = 'failed';
      report.push(
        `${summary.rejectedRecords} journal record(s) failed authentication (altered or planted where the journal is kept, or written under another encryptionKey): what they announced was not undone; the journal stays (acknowledge it with action 'keep')`,
      );
    }
    if (outcome !== 'failed') await store.remove(client.environmentId, summary.id);
    results.push({ ...summary, outcome, report });
  }
  return results;
}
