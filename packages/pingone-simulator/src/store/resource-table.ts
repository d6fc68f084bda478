/** A stored resource: its wire attributes (without `_links`) and its position in the table's scan order. */
export interface StoredResource {
  readonly seq: number;
  data: Record<string, unknown>;
}

/**
 * One collection of an environment (users, groups or populations), kept in insertion order so that paging
 * cursors ("continue after sequence number N") stay valid while other requests insert or delete, and so that
 * an unfiltered page costs a binary search plus `limit` steps instead of a scan of the whole collection.
 */
export class ResourceTable {
  readonly #byId = new Map<string, StoredResource>();
  // Ids in insertion order; deleted ids are dropped lazily (compacted once they make up half the array).
  #order: { seq: number; id: string }[] = [];
  #nextSeq = 1;

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): StoredResource | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  insert(data: Record<string, unknown> & { id: string }): StoredResource {
    const record: StoredResource = { seq: this.#nextSeq++, data };
    this.#byId.set(data.id, record);
    this.#order.push({ seq: record.seq, id: data.id });
    return record;
  }

  delete(id: string): boolean {
    const deleted = this.#byId.delete(id);
    if (deleted && this.#order.length > 64 && this.#byId.size < this.#order.length / 2) {
      this.#order = this.#order.filter((entry) => this.#byId.has(entry.id));
    }
    return deleted;
  }

  values(): IterableIterator<StoredResource> {
    return this.#byId.values();
  }

  /** Resources with a sequence number above `afterSeq`, in order, lazily. */
  *scanAfter(afterSeq: number): Generator<StoredResource> {
    let lo = 0;
    let hi = this.#order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#order[mid].seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.#order.length; i++) {
      const record = this.#byId.get(this.#order[i].id);
      if (record && record.seq === this.#order[i].seq) yield record;
    }
  }

  clear(): void {
    this.#byId.clear();
    this.#order = [];
  }
}
