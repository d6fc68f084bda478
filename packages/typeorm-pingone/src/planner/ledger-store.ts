import type { RedisConnection } from '@typeorm-pingone/client';

/** Where filter verdicts are shared between instances: get and set by cell, never failing a query. */
export interface LedgerStore {
  read(cell: string): Promise<{ verdict: 'accepted' | 'refused'; why: string } | undefined>;
  write(cell: string, verdict: { verdict: 'accepted' | 'refused'; why: string }): Promise<void>;
}

/** A week: PingOne may start accepting a refused cell one day, so verdicts are learned again now and then. */
const TTL_SECONDS = 7 * 24 * 3600;

/**
 * Verdicts in Redis, under `<keyPrefix>filter-cell:<resource> <cell>`, one key each with a TTL. Any Redis failure
 * reads as "nothing shared" and writes nothing: the store never fails a statement.
 */
export function redisLedgerStore(connection: RedisConnection, keyPrefix: string): LedgerStore {
  const key = (cell: string) => `${keyPrefix}filter-cell:${cell}`;
  return {
    async read(cell) {
      try {
        if (!(await connection.ready()) || !connection.available) return undefined;
        const text = await connection.run('GET', key(cell));
        if (typeof text !== 'string') return undefined;
        const parsed = JSON.parse(text) as { verdict?: unknown; why?: unknown };
        return (parsed.verdict === 'accepted' || parsed.verdict === 'refused') && typeof parsed.why === 'string'
          ? { verdict: parsed.verdict, why: parsed.why }
          : undefined;
      } catch {
        return undefined;
      }
    },
    async write(cell, verdict) {
      try {
        if (connection.available) await connection.run('SET', key(cell), JSON.stringify(verdict), 'EX', TTL_SECONDS);
      } catch {
        // shared knowledge is an optimisation: this instance keeps its own verdict
      }
    },
  };
}
