import { randomUUID } from 'node:crypto';
import type { PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import type { JournalRecord } from '../journal/journal-records';
import { LEASE_MS, type JournalStore } from '../journal/journal-store';
import { currentProcess } from '../journal/process-identity';
import { applyDeferred, undoEntry } from './compensation';
import { describeEntry, isDeferred, type TxEntry } from './journal-entries';
import { describeLookup, messageOf, type LostCreate } from './lost-answer';
import { RecentResources } from './recent-resources';

/**
 * PingOne has no transactions, so a TypeORM transaction gets compensating semantics (docs/transactions.md): creates
 * and updates are applied at once and journaled with their before-images, deletes wait for COMMIT; ROLLBACK (or
 * ROLLBACK TO SAVEPOINT) deletes what was created and restores what was updated, newest first. If compensation
 * itself fails, the error lists every resource and its state, so nothing is lost silently.
 *
 * With a store, every change is also written to a durable journal before its first PingOne request (journal/), so
 * that a process killed mid-transaction leaves a record another process can find and undo; COMMIT and ROLLBACK remove
 * it. The runner's RecentResources ride along (before-images from reads, answers for the next read).
 */
export class TransactionJournal {
  #entries: { n: number; entry: TxEntry }[] = [];
  readonly #savepoints: number[] = [];
  #depth = 0;
  #next = 0;
  #tx: string | undefined;
  #durable = false;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly recent = new RecentResources();

  constructor(
    private readonly client: PingOneClient,
    private readonly note: (request: string) => void,
    private readonly store?: JournalStore,
  ) {}

  get active(): boolean {
    return this.#depth > 0;
  }

  /** The client of a change's environment (entities with a schema write to another one). */
  #clientOf(entry: TxEntry): PingOneClient {
    return this.client.withEnvironment(entry.environmentId);
  }

  begin(): void {
    this.#depth = 1;
    this.#entries = [];
    this.#savepoints.length = 0;
    this.#tx = randomUUID();
    this.#durable = false;
  }

  /**
   * Journals a change before its first PingOne request (durably, when there is a store: a write whose record can't
   * be stored is not sent). Returns its number, for `answered` / `void`; -1 outside a transaction.
   */
  async intend(entry: TxEntry): Promise<number> {
    if (!this.active) return -1;
    const n = ++this.#next;
    await this.#write({ t: 'entry', n, entry });
    this.#entries.push({ n, entry });
    return n;
  }

  /** PingOne answered the change's request (a create: with the id it assigned). */
  async answered(n: number, id?: string): Promise<void> {
    const found = this.#entries.find((e) => e.n === n);
    if (!found) return;
    if (found.entry.kind === 'create') {
      if (id !== undefined) found.entry.id = id;
      found.entry.answered = true;
    } else if (found.entry.kind === 'membership-add') found.entry.answered = true;
    await this.#write({ t: 'answered', n, ...(id !== undefined ? { id } : {}) });
  }

  /** A create's lost answer taught PingOne's time: its bound for when the POST was sent is now known (or tighter). */
  async refine(n: number, lost: LostCreate): Promise<void> {
    const found = this.#entries.find((e) => e.n === n);
    if (found?.entry.kind !== 'create') return;
    found.entry.lost = lost;
    await this.#write({ t: 'entry', n, entry: found.entry });
  }

  /** The change turned out not to be this transaction's (PingOne refused it; a lost answer found another's resource). */
  async void(n: number): Promise<void> {
    const index = this.#entries.findIndex((e) => e.n === n);
    if (index < 0) return;
    this.#entries.splice(index, 1);
    await this.#write({ t: 'void', n });
  }

  /** Whether this transaction created the user or group (its memberships were absent before, without asking PingOne). */
  created(resource: 'users' | 'groups', id: string): boolean {
    return this.#entries.some(({ entry }) => entry.kind === 'create' && entry.lost.resource === resource && entry.id === id);
  }

  savepoint(): void {
    this.#savepoints.push(this.#entries.length);
  }

  releaseSavepoint(): void {
    this.#savepoints.pop();
  }

  /** Undoes the changes since the last savepoint; returns what was done to each (newest first). */
  async rollbackToSavepoint(): Promise<string[]> {
    const mark = this.#savepoints.pop() ?? 0;
    const undone = this.#entries.splice(mark);
    const report = await this.#compensate(undone, 'ROLLBACK TO SAVEPOINT');
    for (const { n } of undone) await this.#write({ t: 'void', n });
    return report;
  }

  async commit(): Promise<void> {
    const deferred = this.#entries.filter((e) => isDeferred(e.entry));
    this.#depth = 0;
    this.#entries = [];
    this.recent.clear();
    const failures: string[] = [];
    if (deferred.length > 0) await this.#write({ t: 'commit' });
    for (const { n, entry } of deferred) {
      if (!isDeferred(entry)) continue;
      try {
        await applyDeferred(entry, this.#clientOf(entry), this.note);
        await this.#write({ t: 'answered', n });
      } catch (error) {
        failures.push(`${describeEntry(entry)}: FAILED (${messageOf(error)})`);
      }
    }
    if (failures.length > 0) {
      const left = await this.#leave(`COMMIT: ${failures.length} deferred delete(s) failed`);
      throw new PingOneDriverError(
        'REMOTE_ERROR',
        `COMMIT: the transaction's creates and updates are applied, but ${failures.length} deferred delete(s) failed:\n${failures.join('\n')}${left}`,
      );
    }
    await this.#end();
  }

  /** Undoes the whole transaction; returns what was done to each change (newest first), or throws listing them. */
  async rollback(): Promise<string[]> {
    const entries = this.#entries;
    this.#depth = 0;
    this.#entries = [];
    this.recent.clear();
    try {
      const report = await this.#compensate(entries, 'ROLLBACK');
      await this.#end();
      return report;
    } catch (error) {
      const left = await this.#leave('ROLLBACK could not undo every change');
      if (error instanceof PingOneDriverError && left) error.message += left;
      throw error;
    }
  }

  async #compensate(entries: readonly { entry: TxEntry }[], command: string): Promise<string[]> {
    const report: string[] = [];
    let failed = 0;
    for (const { entry } of [...entries].reverse()) {
      try {
        report.push(`${describeEntry(entry)}: ${await undoEntry(entry, this.#clientOf(entry), this.note)}`);
      } catch (error) {
        failed++;
        const lookup =
          entry.kind === 'create' && entry.id === undefined
            ? ` Look it up with ${describeLookup(entry.lost)} and delete it if it exists.`
            : '';
        report.push(`${describeEntry(entry)}: COULD NOT BE UNDONE (${messageOf(error)})${lookup}`);
      }
    }
    if (failed > 0) {
      throw new PingOneDriverError(
        'REMOTE_ERROR',
        `${command}: ${failed} change(s) could not be undone in PingOne; fix them by hand. State of every change:\n${report.join('\n')}`,
      );
    }
    return report;
  }

  /** Writes a record to the durable journal (its header first); nothing without a store. */
  async #write(record: JournalRecord): Promise<void> {
    if (!this.store || !this.#tx) return;
    const records: JournalRecord[] = [];
    if (!this.#durable) {
      records.push({
        t: 'begin',
        v: 1,
        tx: this.#tx,
        environmentId: this.client.environmentId,
        ...currentProcess(),
        startedAt: new Date().toISOString(),
      });
    }
    records.push(record);
    await this.store.append(this.client.environmentId, this.#tx, records);
    if (!this.#durable) {
      this.#durable = true;
      const store = this.store;
      const tx = this.#tx;
      this.#heartbeat = setInterval(() => {
        store.heartbeat(this.client.environmentId, tx).catch(() => undefined);
      }, LEASE_MS / 3);
      this.#heartbeat.unref();
    }
  }

  /** The transaction ended: its journal goes. */
  async #end(): Promise<void> {
    clearInterval(this.#heartbeat);
    if (this.store && this.#tx && this.#durable) await this.store.remove(this.client.environmentId, this.#tx);
    this.#durable = false;
  }

  /** The transaction ended with changes left in PingOne: its journal stays, marked so recoverTransactions() takes it. */
  async #leave(reason: string): Promise<string> {
    clearInterval(this.#heartbeat);
    if (!this.store || !this.#tx || !this.#durable) return '';
    try {
      await this.store.append(this.client.environmentId, this.#tx, [{ t: 'abandoned', reason }]);
    } catch {
      return '';
    } finally {
      this.#durable = false;
    }
    return `\nIts journal stays in ${this.store.location}: dataSource.recoverTransactions({ action: 'rollback' }) (or pingone-sql --recover rollback) tries again.`;
  }
}
