import type { ResourceName } from '../mapping/attribute-catalog';
import { OperationReads } from './operation-reads';
import type { Resource } from './remote-directory';

/**
 * Counts writes in this process, bumped when a write starts and when it ends: reads made before a write (started or
 * finished since) are never reused, whichever query runner made them.
 */
let writeGeneration = 0;

export function noteWrite(): void {
  writeGeneration++;
}

/**
 * One query runner's reads, passed from statement to statement within one TypeORM operation. TypeORM sends the
 * statements of one operation back to back on one runner (`take`/`skip` with joins: the DISTINCT ids, then the rows
 * `WHERE id IN (…)`; getManyAndCount: then the count; relation loads: a statement per relation): each continues as
 * soon as the previous one answered, before the event loop turns. A statement that starts while the previous one's
 * reads are still held (no turn of the event loop since it ended, no write anywhere since they were made) shares
 * them (operation-reads.ts); otherwise it starts afresh. So reads never outlive the operation on a runner kept for
 * several (a transaction, a runner the application holds), where operations are separated by the application's own
 * awaits on I/O, and a write always ends them.
 */
export class ReadHandoff {
  #reads: OperationReads | undefined;
  #generation = -1;
  /** bumped when a statement starts or ends: an end's pending release only applies if nothing happened since */
  #events = 0;
  #running = 0;

  /** The reads a statement starting now shares with the statements before it in the same operation. */
  begin(): OperationReads {
    this.#events++;
    this.#running++;
    if (!this.#reads || this.#generation !== writeGeneration) {
      this.#reads = new OperationReads();
      this.#generation = writeGeneration;
    }
    return this.#reads;
  }

  /** A statement answered: its reads stay for the next statement only until the event loop turns. */
  end(): void {
    this.#running = Math.max(0, this.#running - 1);
    const mark = ++this.#events;
    setImmediate(() => {
      if (this.#events === mark && this.#running === 0) this.#reads = undefined;
    }).unref();
  }

  /**
   * After a write ended: the resources PingOne answered it with (a PATCH's answer, a PUT read back), for the SELECT
   * TypeORM sends next to read `@UpdateDateColumn` and generated columns back (`WHERE id = ?`): PingOne's answer
   * carries `updatedAt`, so that SELECT costs no request. The reads start afresh with only these; any later write, or
   * a turn of the event loop, ends them as it ends other reads.
   */
  offerAnswers(environment: string, resource: ResourceName, resources: readonly Resource[]): void {
    this.#reads = new OperationReads();
    this.#generation = writeGeneration;
    this.#reads.remember(environment, resource, resources);
  }

  /** Forgets the reads now (a stream, which reads on its own; the runner released). */
  clear(): void {
    this.#reads = undefined;
  }
}
