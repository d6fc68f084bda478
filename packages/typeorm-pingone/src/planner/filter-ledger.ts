import { filterCells, refusedCells, type FilterCell, type FilterRefusal } from '@typeorm-pingone/client';
import type { ResourceName } from '../mapping/attribute-catalog';
import type { RefusedCells } from '../mapping/table-mapping';
import { PingOneFilterRefusedError } from '../errors';
import type { LedgerStore } from './ledger-store';
import type { ScimFilter } from '@typeorm-pingone/client';

interface Verdict {
  readonly verdict: 'accepted' | 'refused';
  readonly why: string;
}

/** What a request carrying a filter does once PingOne answered its first page: accept, refuse, or neither (another error). */
export interface FilterTicket {
  accepted(): void;
  /** Records the refusal and returns the error the load step re-plans on. */
  refused(refusal: FilterRefusal, cause: unknown): PingOneFilterRefusedError;
  release(): void;
}

/** Where a request stands on its statement's chain of round trips (the executor's request pool provides it). */
export interface ChainClock {
  depth(): number;
  /** continue after work that ended at `depth` */
  reach(depth: number): void;
}

const NO_TICKET: FilterTicket = {
  accepted: () => undefined,
  refused: () => {
    throw new Error('unreachable');
  },
  release: () => undefined,
};

/**
 * What one DataSource has learned about PingOne's filter support: cells PingOne accepted, and cells it refused (which
 * the planner then evaluates locally). Weakly sourced cells (contested or inferred, filterCellEvidence) are sent with
 * a probe: the first request relying on an unconfirmed one goes alone, requests of the same statement that need it
 * wait for its answer, so a refusal costs one request, not one per request in flight. Refusals are logged once and,
 * with a shared store (Redis), shared with every instance, which read a cell's verdict there before first sending it.
 */
export class FilterLedger implements RefusedCells {
  readonly #verdicts = new Map<string, Verdict>();
  /** cell → the probe in flight, resolving to the round-trip depth it ended at */
  readonly #probes = new Map<string, Promise<number>>();
  readonly #consults = new Map<string, Promise<void>>();

  constructor(
    private readonly warn: (message: string) => void,
    private readonly store?: LedgerStore,
  ) {}

  get any(): boolean {
    for (const v of this.#verdicts.values()) if (v.verdict === 'refused') return true;
    return false;
  }

  refused(resource: ResourceName, cell: string): boolean {
    return this.#verdicts.get(`${resource} ${cell}`)?.verdict === 'refused';
  }

  accepted(resource: ResourceName, cell: string): boolean {
    return this.#verdicts.get(`${resource} ${cell}`)?.verdict === 'accepted';
  }

  /** Every refusal learned, for EXPLAIN: `users name.given co: <why>`. */
  refusals(): { cell: string; why: string }[] {
    return [...this.#verdicts].filter(([, v]) => v.verdict === 'refused').map(([cell, v]) => ({ cell, why: v.why }));
  }

  /**
   * Before sending `filter` to `resource`: a ticket to report PingOne's answer with, once any probe of its unconfirmed
   * weak cells is settled. Throws PingOneFilterRefusedError, sending nothing, when it relies on a refused cell.
   */
  async admit(resource: ResourceName, filter: ScimFilter | undefined, clock?: ChainClock): Promise<FilterTicket> {
    if (!filter) return NO_TICKET;
    const cells = filterCells(resource, filter);
    if (this.store) await this.#consult(resource, cells);
    for (;;) {
      const refused = cells.filter((c) => this.refused(resource, c.key));
      if (refused.length > 0) {
        const keys = refused.map((c) => c.key);
        throw new PingOneFilterRefusedError(resource, keys, `refused earlier (${this.#verdicts.get(`${resource} ${keys[0]}`)!.why})`);
      }
      const open = cells.filter((c) => c.weak && !this.accepted(resource, c.key));
      if (open.length === 0) return this.#ticket(resource, cells, []);
      const pending = open.map((c) => this.#probes.get(`${resource} ${c.key}`)).filter((p): p is Promise<number> => p !== undefined);
      if (pending.length === 0) return this.#ticket(resource, cells, open, clock);
      // The probe's round trip comes before this request's: count it on this chain too.
      clock?.reach(Math.max(...(await Promise.all(pending))));
    }
  }

  #ticket(resource: ResourceName, cells: readonly FilterCell[], probing: readonly FilterCell[], clock?: ChainClock): FilterTicket {
    let done!: (depth: number) => void;
    const settled = new Promise<number>((resolve) => {
      done = resolve;
    });
    for (const c of probing) this.#probes.set(`${resource} ${c.key}`, settled);
    let open = true;
    const finish = () => {
      if (!open) return;
      open = false;
      for (const c of probing) if (this.#probes.get(`${resource} ${c.key}`) === settled) this.#probes.delete(`${resource} ${c.key}`);
      done(clock?.depth() ?? 0);
    };
    return {
      accepted: () => {
        for (const c of cells)
          this.#record(resource, c.key, { verdict: 'accepted', why: 'PingOne answered a filter relying on it' }, c.weak);
        finish();
      },
      refused: (refusal, cause) => {
        const { cells: blamed, certain } = refusedCells(cells, refusal, (key) => this.accepted(resource, key));
        const why =
          `${refusal.status} ${refusal.apiCode ?? ''} ${refusal.message}`.replace(/\s+/g, ' ').trim() +
          (certain ? '' : ` (the answer names no cell; refused together: ${blamed.map((c) => c.key).join(', ')})`);
        for (const c of blamed) this.#record(resource, c.key, { verdict: 'refused', why }, true);
        finish();
        return new PingOneFilterRefusedError(
          resource,
          blamed.map((c) => c.key),
          why,
          { cause },
        );
      },
      release: finish,
    };
  }

  #record(resource: ResourceName, cell: string, verdict: Verdict, share: boolean, from: 'pingone' | 'store' = 'pingone'): void {
    const key = `${resource} ${cell}`;
    const previous = this.#verdicts.get(key);
    if (previous?.verdict === verdict.verdict) return;
    if (previous?.verdict === 'refused') return; // a refusal stands for the DataSource's life
    this.#verdicts.set(key, verdict);
    if (verdict.verdict === 'refused') {
      this.warn(
        `PingOne refused the filter cell ${resource} \`${cell}\`${from === 'store' ? ' (learned from the shared store)' : ''}: ${verdict.why}. ` +
          `Statements now evaluate it locally (their answers are unchanged; more rows may be read); remembered for this DataSource${this.store ? ' and shared with every instance' : ''}.`,
      );
    }
    if (share && from === 'pingone') void this.store?.write(key, verdict);
  }

  /**
   * Verdicts other instances recorded in the shared store, read once per cell (requests that need the same cell at the
   * same time wait for the one read): a cell another instance saw refused is never sent from here.
   */
  #consult(resource: ResourceName, cells: readonly FilterCell[]): Promise<unknown> {
    return Promise.all(
      cells.map((c) => {
        const key = `${resource} ${c.key}`;
        let read = this.#consults.get(key);
        if (!read) {
          read = this.#verdicts.has(key)
            ? Promise.resolve()
            : this.store!.read(key).then((shared) => {
                if (shared) this.#record(resource, c.key, shared, false, 'store');
              });
          this.#consults.set(key, read);
        }
        return read;
      }),
    );
  }
}
