import { openSealedValue, sealValue, type RedisConnection } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import { decodeRecords, encodeRecord, type JournalRecord } from './journal-records';
import { LEASE_MS, type JournalStore, type StoredJournal } from './journal-store';
import { processState } from './process-identity';

/**
 * Journals in Redis, for apps whose instances share one (the `cache` or `rateLimit` store): a list per transaction
 * (`<prefix>journal:<environment>:<transaction>`), a set of the environment's open transactions, and a lease key
 * the writing process renews while the transaction is open. A journal whose lease expired belongs to a process
 * that died (on this host the pid says so at once). A record that can't be written (Redis away) fails the write it
 * announces, before anything is sent to PingOne.
 *
 * Whoever can reach Redis is not trusted with the journal: before-images are directory data, and a forged record
 * would be written to PingOne by a recovery. Each record is AES-256-GCM ciphertext under the store's `encryptionKey`,
 * bound to its journal's key, so a planted, altered or moved record fails to open: it is ignored and counted
 * (`rejected`), and recovery reports it. Deleting records is the one thing such an attacker can still do (a
 * rollback then undoes less); Redis ACLs on the prefix guard against it (docs/several-instances.md).
 */
const VERSION = 'j1';

export class RedisJournalStore implements JournalStore {
  readonly location: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly key: Buffer,
    private readonly release: () => void,
  ) {
    this.location = `${redis.shownUrl} (keys ${prefix}journal:*)`;
  }

  #keys(environmentId: string, tx: string): { list: string; lease: string; index: string } {
    const index = `${this.prefix}journal:${environmentId}`;
    return { list: `${index}:${tx}`, lease: `${index}:${tx}:lease`, index };
  }

  async #run(command: string, ...args: (string | number)[]): Promise<unknown> {
    try {
      if (!this.redis.available) await this.redis.ready();
      return await this.redis.run(command, ...args);
    } catch (error) {
      throw new PingOneDriverError(
        'REMOTE_ERROR',
        `The transaction journal in Redis ${this.redis.shownUrl} could not be written or read (${error instanceof Error ? error.message : String(error)}). ` +
          'A write inside a transaction is sent to PingOne only once its journal record is stored, so nothing was sent. Retry once Redis answers, ' +
          "or keep journals in files (transactionJournal: { dir: '…' }).",
        { cause: error },
      );
    }
  }

  async append(environmentId: string, tx: string, records: readonly JournalRecord[]): Promise<void> {
    const keys = this.#keys(environmentId, tx);
    await this.#run('RPUSH', keys.list, ...records.map((r) => sealValue(this.key, keys.list, encodeRecord(r), VERSION)));
    if (records.some((r) => r.t === 'begin')) {
      await this.#run('SADD', keys.index, tx);
      await this.heartbeat(environmentId, tx);
    }
  }

  async heartbeat(environmentId: string, tx: string): Promise<void> {
    await this.#run('SET', this.#keys(environmentId, tx).lease, '1', 'PX', LEASE_MS);
  }

  async remove(environmentId: string, tx: string): Promise<void> {
    const keys = this.#keys(environmentId, tx);
    await this.#run('DEL', keys.list, keys.lease);
    await this.#run('SREM', keys.index, tx);
  }

  async list(environmentId: string): Promise<StoredJournal[]> {
    const index = this.#keys(environmentId, '').index;
    const txs = (await this.#run('SMEMBERS', index)) as string[];
    const out: StoredJournal[] = [];
    for (const tx of txs) {
      const keys = this.#keys(environmentId, tx);
      const stored = (await this.#run('LRANGE', keys.list, 0, -1)) as unknown[];
      const opened = stored.map((line) => (typeof line === 'string' ? openSealedValue(this.key, keys.list, line, VERSION) : undefined));
      const records = decodeRecords(opened.filter((line): line is string => line !== undefined));
      const rejected = opened.filter((line) => line === undefined).length;
      if (records.length === 0 && rejected === 0) {
        await this.#run('SREM', index, tx); // ended between SMEMBERS and LRANGE
        continue;
      }
      const header = records[0]?.t === 'begin' ? records[0] : undefined;
      const state = header ? processState(header) : 'dead';
      const leased = Number(await this.#run('EXISTS', keys.lease)) === 1;
      out.push({
        tx,
        records,
        writer: state === 'unknown' ? (leased ? 'alive' : 'dead') : state,
        location: keys.list,
        ...(rejected > 0 ? { rejected } : {}),
      });
    }
    return out;
  }

  close(): void {
    this.release();
  }
}
