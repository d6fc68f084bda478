import { exprText } from '../sql/expr-text';
import type { Expr } from '../sql/sql-ast';
import { chainDepth } from './request-pool';
import type { RemoteRequest } from './remote-directory';

/** A WHERE/ON condition on one alias, and whether PingOne evaluated it (it is re-checked locally either way). */
export interface PlanCondition {
  /** the condition as SQL (canonical names, literals as written; long ones cut) */
  readonly sql: string;
  /** part of the SCIM filter sent for this alias; false: only the local run checks it */
  readonly pushed: boolean;
}

/** One step of a plan, as EXPLAIN shows it and tests assert it. */
export interface PlanStep {
  readonly alias: string;
  readonly table: string;
  /** how the rows are fetched from PingOne */
  readonly strategy:
    | 'get-by-id'
    | 'list'
    | 'list-by-ids'
    | 'count'
    | 'members-of-groups'
    | 'memberships-of-users'
    | 'per-parent'
    | 'derived'
    | 'none'
    | 're-plan';
  /** the SCIM filter sent (or a description of the keys, before they are known) */
  readonly filter: string | undefined;
  readonly notes: string;
  /** the conditions on this alias alone, each pushed to PingOne or not (where the step read them); text made on report() */
  readonly conditions?: readonly { readonly expr: Expr; readonly pushed: boolean }[];
}

/** A step as a report shows it: its conditions as SQL text. */
export type ReportedStep = Omit<PlanStep, 'conditions'> & { readonly conditions?: readonly PlanCondition[] };

/** One PingOne request of a statement (or a read the driver's cache answered). */
export interface TracedRequest {
  readonly method: string;
  readonly path: string;
  readonly filter: string | undefined;
  /** answered by the read cache: nothing was sent, no round trip */
  readonly cacheHit: boolean;
  /**
   * which dependent round trip of the statement it was sent in (1 = first; requests of the same number overlapped,
   * each one of a later number waited for an answer of the one before); 0 for a cache hit
   */
  readonly roundTrip: number;
}

/** A statement's trace as plain data (JSON): what a page or a test draws. */
export interface PlanReport {
  readonly steps: readonly ReportedStep[];
  /** what ran locally in alasql */
  readonly local: string;
  readonly requests: readonly TracedRequest[];
  /** the critical path in round trips (independent requests overlapped count once) */
  readonly roundTrips: number;
  readonly cacheHits: number;
}

/** What the driver did for one statement: the plan steps and every PingOne request. */
export class PlanTrace {
  readonly steps: PlanStep[] = [];
  readonly requests: string[] = [];
  readonly calls: TracedRequest[] = [];
  /** the causal chain's depth when the statement began (a TypeORM operation of several statements continues one) */
  readonly #base = chainDepth();
  /** the critical path of the statement's requests, in round trips (independent requests overlapped count once) */
  roundTrips = 0;
  /** the client's rate limit, which holds the requests to a rate bound; undefined when its limiter is off */
  requestsPerSecond: number | undefined;
  local = 'the whole statement runs in alasql over the fetched rows (joins, residual WHERE, ORDER BY, GROUP BY, LIMIT)';
  /** the filter cells this DataSource knows PingOne refuses, read when EXPLAIN's rows are made (so a refusal learned by this statement is listed too) */
  refusedCells: () => readonly { cell: string; why: string }[] = () => [];

  step(step: PlanStep): void {
    this.steps.push(step);
  }

  /** A request as it is sent (called before it leaves, on its causal chain: its round trip is the chain's next). */
  request(text: string, request: RemoteRequest): void {
    this.requests.push(text);
    const cacheHit = request.cached === true;
    this.calls.push({
      method: request.method,
      path: request.path,
      filter: request.filter,
      cacheHit,
      roundTrip: cacheHit ? 0 : chainDepth() - this.#base + 1,
    });
  }

  report(): PlanReport {
    return {
      steps: this.steps.map(({ conditions, ...s }) => ({
        ...s,
        ...(conditions ? { conditions: conditions.map((c) => ({ sql: exprText(c.expr), pushed: c.pushed })) } : {}),
      })),
      local: this.local,
      requests: this.calls.map((c) => ({ ...c })),
      roundTrips: this.roundTrips,
      cacheHits: this.calls.filter((c) => c.cacheHit).length,
    };
  }

  /** A load step re-planned after PingOne refused part of its filter (planner/filter-ledger.ts). */
  replanned(notes: string): void {
    this.steps.push({ alias: '', table: '', strategy: 're-plan', filter: undefined, notes });
  }

  /** Rows for `EXPLAIN`: one per step, then one for the local part, then (after running) one per request. */
  rows(includeRequests: boolean): Record<string, string>[] {
    const rows: Record<string, string>[] = this.steps.map((s, i) => ({
      step: String(i + 1),
      alias: s.alias,
      table: s.table,
      strategy: s.strategy,
      filter: s.filter ?? '',
      notes: s.notes,
    }));
    rows.push({ step: String(rows.length + 1), alias: '', table: '', strategy: 'local', filter: '', notes: this.local });
    rows.push({
      step: String(rows.length + 1),
      alias: '',
      table: '',
      strategy: 'round-trips',
      filter: '',
      notes: this.#bounds(includeRequests),
    });
    for (const r of this.refusedCells()) {
      rows.push({
        step: 'refused',
        alias: '',
        table: '',
        strategy: 'refused',
        filter: r.cell,
        notes: `PingOne refused it earlier (${r.why}): never pushed, evaluated locally`,
      });
    }
    if (includeRequests) {
      this.requests.forEach((r, i) =>
        rows.push({ step: `request ${i + 1}`, alias: '', table: '', strategy: 'request', filter: '', notes: r }),
      );
    }
    return rows;
  }

  /**
   * The two lower bounds of the statement's time: the critical path (dependent requests, each a round trip) and the
   * rate bound (every request at the client's rate limit). Known once run; before, the rate it is held to.
   */
  #bounds(ran: boolean): string {
    const rate = this.requestsPerSecond;
    const limit = rate === undefined ? "the client's rate limiter is off" : `held to the client's rate limit of ${rate} requests/s`;
    if (!ran) return `critical path and requests: known once run (EXPLAIN ANALYZE); ${limit}`;
    const requests = this.requests.filter((r) => !/\((cache hit|already read for this operation)\)/.test(r)).length;
    const bound = rate === undefined ? '' : `, so they take at least ${(requests / rate).toFixed(2)} s (rate bound)`;
    return `critical path: ${this.roundTrips} round trip(s) of dependent requests; ${requests} request(s), ${limit}${bound}`;
  }
}
