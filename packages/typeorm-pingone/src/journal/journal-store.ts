import type { JournalRecord } from './journal-records';

/** One transaction's journal as a store holds it. */
export interface StoredJournal {
  readonly tx: string;
  readonly records: readonly JournalRecord[];
  /** whether the process that wrote it still runs: by pid and start time on this host, by its lease elsewhere */
  readonly writer: 'alive' | 'dead';
  /** where it is, for messages: a file path or a Redis key */
  readonly location: string;
  /** records that failed authentication (altered, planted or moved in Redis) and were ignored */
  readonly rejected?: number;
}

/**
 * Where transaction journals are kept: files in a directory (file-journal-store.ts) or Redis
 * (redis-journal-store.ts). A transaction's journal is created at its first record and removed at COMMIT or
 * ROLLBACK; a write that can't be journaled is not sent.
 */
export interface JournalStore {
  /** a directory or a Redis URL without password, for messages */
  readonly location: string;
  append(environmentId: string, tx: string, records: readonly JournalRecord[]): Promise<void>;
  /** renews the lease of a journal whose transaction is still open (another host judges liveness by it) */
  heartbeat(environmentId: string, tx: string): Promise<void>;
  remove(environmentId: string, tx: string): Promise<void>;
  list(environmentId: string): Promise<StoredJournal[]>;
  close(): void;
}

/** How long a journal's lease lasts without a heartbeat; heartbeats come every third of it. */
export const LEASE_MS = 30_000;
