import {
  closeSync,
  fdatasyncSync,
  futimesSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { PingOneDriverError } from '../errors';
import { decodeRecords, encodeRecord, type JournalRecord } from './journal-records';
import { LEASE_MS, type JournalStore, type StoredJournal } from './journal-store';
import { processState } from './process-identity';

const SUFFIX = '.journal';
const safe = (text: string) => text.replace(/[^A-Za-z0-9-]/g, '_');

/**
 * Journals as files, one per transaction (`<environment>.<transaction>.journal`, one JSON record per line) in a
 * directory only this user can open (0700, checked: a directory another user made or could write is refused), each
 * file 0600. Every record is written (and an announcement fsync'ed) before the request it announces is sent.
 */
export class FileJournalStore implements JournalStore {
  readonly location: string;
  readonly #open = new Map<string, number>();

  constructor(dir: string) {
    this.location = dir;
  }

  /** The directory, checked each time a journal is opened or listed (an lstat): it may have been changed since. */
  #directory(): string {
    mkdirSync(this.location, { recursive: true, mode: 0o700 });
    const stat = lstatSync(this.location);
    const uid = process.getuid?.();
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)) {
      throw new PingOneDriverError(
        'UNSUPPORTED_OPTION',
        `The transaction journal directory ${this.location} is not a directory that only this user (uid ${uid ?? '?'}) can open ` +
          `(owner uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}${stat.isSymbolicLink() ? ', a symbolic link' : ''}): journals hold before-images of your directory's data. ` +
          "Remove it, or choose another with the DataSource option transactionJournal: { dir: '/var/lib/my-app/pingone-journal' }.",
      );
    }
    return this.location;
  }

  #path(environmentId: string, tx: string): string {
    return join(this.#directory(), `${safe(environmentId)}.${safe(tx)}${SUFFIX}`);
  }

  async append(environmentId: string, tx: string, records: readonly JournalRecord[]): Promise<void> {
    const key = `${environmentId}/${tx}`;
    let fd = this.#open.get(key);
    if (fd === undefined) {
      fd = openSync(this.#path(environmentId, tx), 'a', 0o600);
      this.#open.set(key, fd);
    }
    writeSync(fd, records.map((r) => `${encodeRecord(r)}\n`).join(''));
    // A written record survives the death of this process (the kernel has it); fsync also makes an announcement survive
    // the machine's, which matters for what precedes a request (its intent, COMMIT). An `answered` record lost that
    // way only sends recovery to look the resource up, as for a lost answer.
    if (records.some((r) => r.t !== 'answered')) fdatasyncSync(fd);
  }

  async heartbeat(environmentId: string, tx: string): Promise<void> {
    const fd = this.#open.get(`${environmentId}/${tx}`);
    if (fd !== undefined) futimesSync(fd, new Date(), new Date());
  }

  async remove(environmentId: string, tx: string): Promise<void> {
    const key = `${environmentId}/${tx}`;
    const fd = this.#open.get(key);
    if (fd !== undefined) closeSync(fd);
    this.#open.delete(key);
    try {
      unlinkSync(this.#path(environmentId, tx));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async list(environmentId: string): Promise<StoredJournal[]> {
    const names = readdirSync(this.#directory());
    const prefix = `${safe(environmentId)}.`;
    const out: StoredJournal[] = [];
    for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith(SUFFIX))) {
      const path = join(this.location, name);
      const tx = name.slice(prefix.length, -SUFFIX.length);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue; // removed meanwhile (its transaction ended)
      }
      const records = decodeRecords(text.split('\n'));
      const header = records[0]?.t === 'begin' ? records[0] : undefined;
      const state = header ? processState(header) : 'dead';
      const writer = state === 'unknown' ? (Date.now() - statSync(path).mtimeMs > LEASE_MS ? 'dead' : 'alive') : state;
      out.push({ tx, records, writer, location: path });
    }
    return out;
  }

  close(): void {
    for (const fd of this.#open.values()) closeSync(fd);
    this.#open.clear();
  }
}
