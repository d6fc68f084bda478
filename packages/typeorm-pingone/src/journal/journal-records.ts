import type { TxEntry } from '../executor/journal-entries';

/**
 * What the durable journal of one transaction holds, one record at a time, in order. A record is written before the
 * PingOne request it announces (an `entry`), and after it (`answered`), so after a crash the records say which
 * requests may have been sent and what each changed:
 *
 * - `begin`: who wrote the journal (host, pid, the pid's start time), for which environment, when;
 * - `entry` n: an intended change with its before-image (journal-entries.ts), written before its first request;
 * - `answered` n: PingOne answered it (a create's `id`; a deferred delete done at COMMIT);
 * - `void` n: not this transaction's change after all (PingOne refused it, or a lost answer found someone else's
 *   resource), or undone by ROLLBACK TO SAVEPOINT;
 * - `commit`: COMMIT began (its deferred deletes run next: recovery completes them rather than undo the rest);
 * - `abandoned`: this process's ROLLBACK could not undo everything; the journal is left for recoverTransactions().
 *
 * Never written: a password (PingOne never returns one, and the create's `sent` values leave it out), a token or
 * the client secret.
 */
export type JournalRecord =
  | {
      readonly t: 'begin';
      readonly v: 1;
      readonly tx: string;
      readonly environmentId: string;
      readonly host: string;
      readonly pid: number;
      readonly pidStart?: string;
      readonly startedAt: string;
    }
  | { readonly t: 'entry'; readonly n: number; readonly entry: TxEntry }
  | { readonly t: 'answered'; readonly n: number; readonly id?: string }
  | { readonly t: 'void'; readonly n: number }
  | { readonly t: 'commit' }
  | { readonly t: 'abandoned'; readonly reason: string };

export type JournalHeader = Extract<JournalRecord, { t: 'begin' }>;

/** A transaction's journal as read back: its header, its live changes in order, and whether COMMIT had begun. */
export interface ReplayedJournal {
  readonly header: JournalHeader;
  /** changes not voided, oldest first, each with its number; deferred ones carry `done` once applied */
  readonly entries: readonly { readonly n: number; readonly entry: TxEntry; readonly done: boolean }[];
  readonly committing: boolean;
  readonly abandoned: string | undefined;
}

/** Rebuilds a journal from its records; undefined when the header is missing (a journal cut before its first write). */
export function replayJournal(records: readonly JournalRecord[]): ReplayedJournal | undefined {
  const header = records[0]?.t === 'begin' ? records[0] : undefined;
  if (!header) return undefined;
  const entries = new Map<number, { n: number; entry: TxEntry; done: boolean }>();
  let committing = false;
  let abandoned: string | undefined;
  for (const record of records.slice(1)) {
    if (record.t === 'entry') entries.set(record.n, { n: record.n, entry: structuredClone(record.entry), done: false });
    else if (record.t === 'answered') {
      const found = entries.get(record.n);
      if (!found) continue;
      found.done = true;
      if (found.entry.kind === 'create') {
        if (record.id !== undefined) found.entry.id = record.id;
        found.entry.answered = true;
      } else if (found.entry.kind === 'membership-add') found.entry.answered = true;
    } else if (record.t === 'void') entries.delete(record.n);
    else if (record.t === 'commit') committing = true;
    else if (record.t === 'abandoned') abandoned = record.reason;
  }
  return { header, entries: [...entries.values()].sort((a, b) => a.n - b.n), committing, abandoned };
}

/** A record as one line of text: JSON, so a line torn by a crash mid-write fails to parse and is dropped. */
export function encodeRecord(record: JournalRecord): string {
  return JSON.stringify(record);
}

export function decodeRecords(lines: readonly string[]): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // a torn last line: its write never completed, so the request it announced was never sent
    }
    if (isRecord(parsed)) out.push(parsed);
  }
  return out;
}

const ENTRY_KINDS = new Set(['create', 'update', 'membership-add', 'delete', 'membership-remove', 'child-create', 'child-delete']);

/** A record of a known shape (a journal file is data read back from disk: anything else is skipped, never run). */
function isRecord(value: unknown): value is JournalRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  switch (r.t) {
    case 'begin':
      return (
        r.v === 1 &&
        typeof r.tx === 'string' &&
        typeof r.environmentId === 'string' &&
        typeof r.host === 'string' &&
        typeof r.pid === 'number'
      );
    case 'entry': {
      const entry = r.entry as Record<string, unknown> | null;
      return (
        typeof r.n === 'number' &&
        typeof entry === 'object' &&
        entry !== null &&
        ENTRY_KINDS.has(String(entry.kind)) &&
        typeof entry.environmentId === 'string'
      );
    }
    case 'answered':
    case 'void':
      return typeof r.n === 'number';
    case 'commit':
      return true;
    case 'abandoned':
      return typeof r.reason === 'string';
    default:
      return false;
  }
}
