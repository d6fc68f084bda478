import { performance } from 'node:perf_hooks';
import type { ResourceTableMapping } from '../mapping/table-mapping';
import type { Resource } from './remote-directory';

/** How long a resource read by a statement serves as the before-image of the next write of it. */
const FRESH_MS = 5_000;

/**
 * What one query runner's statements pass to the next about single resources, both ways:
 * - reads → writes: TypeORM's save() loads the entity by id, then (after BEGIN) UPDATEs it; the resource that load
 *   fetched a moment ago is the UPDATE's before-image, so the UPDATE need not GET it again (a save is 3 requests:
 *   the caller's load, save's load, the PATCH). Taken once, only within FRESH_MS, never from the read cache;
 * - writes → reads: the resource PingOne answered a PATCH or PUT with, for the SELECT TypeORM sends next to read
 *   `@UpdateDateColumn` and generated columns back (read-handoff.ts: used only if no write happened since).
 */
export class RecentResources {
  readonly #reads = new Map<string, { resource: Resource; at: number }>();
  #answers: { mapping: ResourceTableMapping; resources: Resource[] } | undefined;

  noteRead(mapping: ResourceTableMapping, resources: Iterable<Resource>): void {
    const at = performance.now();
    for (const resource of resources) this.#reads.set(`${mapping.table}|${resource.id}`, { resource, at });
  }

  /** The before-image a statement just read, once; undefined when there is none or it is older than FRESH_MS. */
  takeRead(mapping: ResourceTableMapping, id: string): Resource | undefined {
    const key = `${mapping.table}|${id}`;
    const read = this.#reads.get(key);
    this.#reads.delete(key);
    return read && performance.now() - read.at <= FRESH_MS ? read.resource : undefined;
  }

  /** A write's answer (the whole resource after it); the write's statement hands these to the next one. */
  noteAnswer(mapping: ResourceTableMapping, resource: Resource): void {
    this.#reads.delete(`${mapping.table}|${resource.id}`);
    if (this.#answers && this.#answers.mapping !== mapping) this.#answers = undefined;
    this.#answers ??= { mapping, resources: [] };
    this.#answers.resources.push(resource);
  }

  /** Drops a written resource's before-image without an answer to hand on (a write whose final state is unknown). */
  forget(mapping: ResourceTableMapping, id: string): void {
    this.#reads.delete(`${mapping.table}|${id}`);
  }

  takeAnswers(): { mapping: ResourceTableMapping; resources: Resource[] } | undefined {
    const answers = this.#answers;
    this.#answers = undefined;
    return answers;
  }

  clear(): void {
    this.#reads.clear();
    this.#answers = undefined;
  }
}
