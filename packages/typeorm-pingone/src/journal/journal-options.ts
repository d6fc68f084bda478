import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import {
  openRedisConnection,
  PingOneConfigError,
  resolveRedisStore,
  type RedisStoreOptions,
  type ResolvedRedisStore,
} from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import type { ResolvedCacheOptions } from '../cache/cache-options';
import { FileJournalStore } from './file-journal-store';
import type { JournalStore } from './journal-store';
import { RedisJournalStore } from './redis-journal-store';

/**
 * PingOneDataSource's `transactionJournal` option: where a transaction's intent records go before each PingOne
 * write, so a crashed process's transactions can be found and undone (docs/transactions.md).
 * - `{ dir }`: files in that directory (created 0700; each journal 0600);
 * - `{ store: { redis, encryptionKey } }`: a Redis every instance reaches, each record sealed with the key;
 * - `false`: no journal (a crash mid-transaction then leaves its changes with nothing to find them by).
 * Default: the `cache` option's Redis when it has one, else files in `<os temp dir>/typeorm-pingone-journal-<uid>`.
 */
export type PingOneTransactionJournalOptions =
  | false
  | { readonly dir?: string }
  | { readonly store: Omit<RedisStoreOptions, 'shareWorkerToken'> & { readonly encryptionKey: string | Uint8Array } };

/** `explicit`: the app chose it (writes fail when it can't be written); else the default (dropped with a warning). */
export type ResolvedJournalOptions =
  | { readonly kind: 'off' }
  | { readonly kind: 'file'; readonly dir: string; readonly explicit: boolean }
  | { readonly kind: 'redis'; readonly store: ResolvedRedisStore; readonly explicit: boolean };

const refuse = (message: string): never => {
  throw new PingOneDriverError('UNSUPPORTED_OPTION', `PingOneDataSource option 'transactionJournal': ${message}`);
};

/** `TYPEORM_PINGONE_JOURNAL_DIR` when set (e.g. a volume that outlives the container), else under the OS temp dir. */
export function defaultJournalDir(): string {
  const fromEnvironment = process.env.TYPEORM_PINGONE_JOURNAL_DIR;
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') return resolve(fromEnvironment);
  return join(tmpdir(), `typeorm-pingone-journal-${process.getuid?.() ?? 'user'}`);
}

/** Checks and freezes `transactionJournal`; the cache's Redis store is the default when there is one. */
export function resolveJournalOptions(option: unknown, cache: ResolvedCacheOptions | undefined): ResolvedJournalOptions {
  if (option === false) return Object.freeze({ kind: 'off' });
  if (option === undefined) {
    return cache && cache.store !== 'memory'
      ? Object.freeze({ kind: 'redis', store: cache.store, explicit: false })
      : Object.freeze({ kind: 'file', dir: defaultJournalDir(), explicit: false });
  }
  if (typeof option !== 'object' || option === null || Array.isArray(option))
    refuse(`it must be false, { dir: '/path' } or { store: { redis: 'redis://host:6379', encryptionKey } }; got ${typeof option}.`);
  const given = option as Record<string, unknown>;
  const keys = Object.keys(given);
  const unknown = keys.filter((k) => k !== 'dir' && k !== 'store');
  if (unknown.length > 0)
    refuse(
      `unknown key(s) ${unknown.map((k) => `'${k}'`).join(', ')}; write { dir: '/path' } or { store: { redis: 'redis://host:6379', encryptionKey } }.`,
    );
  if (keys.length > 1) refuse("give either 'dir' (files) or 'store' (Redis), not both.");
  if (given.store !== undefined) {
    try {
      return Object.freeze({
        kind: 'redis',
        store: resolveRedisStore(given.store as RedisStoreOptions, 'transactionJournal.store', 'journal'),
        explicit: true,
      });
    } catch (error) {
      if (error instanceof PingOneConfigError) refuse(error.message.replace(/^PingOne client configuration: /, ''));
      throw error;
    }
  }
  const dir = given.dir ?? defaultJournalDir();
  if (typeof dir !== 'string' || dir.trim() === '' || dir.includes('\0'))
    refuse("'dir' must be a directory path, e.g. { dir: '/var/lib/my-app/pingone-journal' }.");
  return Object.freeze({
    kind: 'file',
    dir: isAbsolute(dir as string) ? (dir as string) : resolve(dir as string),
    explicit: given.dir !== undefined,
  });
}

/** The store for resolved options (undefined when off); a Redis store opens, and later releases, one connection. */
export function openJournalStore(options: ResolvedJournalOptions, logger: { warn?: (message: string) => void }): JournalStore | undefined {
  if (options.kind === 'off') return undefined;
  if (options.kind === 'file') return new FileJournalStore(options.dir);
  const { store } = options;
  const key = store.entryKey;
  if (!key)
    refuse("its Redis store needs encryptionKey (the journal's records are sealed with it), e.g. { store: { redis, encryptionKey } }.");
  const redis = openRedisConnection(store.url, {
    commandTimeoutMs: store.commandTimeoutMs,
    connectTimeoutMs: store.connectTimeoutMs,
    logger: logger.warn ? { warn: logger.warn } : undefined,
  });
  return new RedisJournalStore(redis, store.keyPrefix, key as Buffer, () => redis.close());
}
