/** One step of a plan, as EXPLAIN shows it and tests assert it. */
export interface PlanStep {
  readonly alias: string;
  readonly table: string;
  /** how the rows are fetched from PingOne */
  readonly strategy: 'get-by-id' | 'list' | 'list-by-ids' | 'count' | 'members-of-groups' | 'memberships-of-users' | 'derived' | 'none';
  /** the SCIM filter sent (or a description of the keys, before they are known) */
  readonly filter: string | undefined;
  readonly notes: string;
}

/** What the driver did for one statement: the plan steps and every PingOne request. */
export class PlanTrace {
  readonly steps: PlanStep[] = [];
  readonly requests: string[] = [];
  /** the critical path of the statement's requests, in round trips (independent requests overlapped count once) */
  roundTrips = 0;
  /** the client's rate limit, which holds the requests to a rate bound; undefined when its limiter is off */
  requestsPerSecond: number | undefined;
  local = 'the whole statement runs in alasql over the fetched rows (joins, residual WHERE, ORDER BY, GROUP BY, LIMIT)';

  step(step: PlanStep): void {
    this.steps.push(step);
  }

  /** Rows for `EXPLAIN`: one per step, then one for the local part, then (after running) one per request. */
  rows(includeRequests: boolean): Record<string, string>[] {
    const rows: Record<string, string>[] = this.steps.map((s, i) => ({
      step: String(i + 1), alias: s.alias, table: s.table, strategy: s.strategy, filter: s.filter ?? '', notes: s.notes,
    }));
    rows.push({ step: String(rows.length + 1), alias: '', table: '', strategy: 'local', filter: '', notes: this.local });
    rows.push({ step: String(rows.length + 1), alias: '', table: '', strategy: 'round-trips', filter: '', notes: this.#bounds(includeRequests) });
    if (includeRequests) {
      this.requests.forEach((r, i) => rows.push({ step: `request ${i + 1}`, alias: '', table: '', strategy: 'request', filter: '', notes: r }));
    }
    return rows;
  }

  /**
   * The two lower bounds of the statement's time: the critical path (dependent requests, each a round trip) and the
   * rate bound (every request at the client's rate limit). Known once run; before, the rate it is held to.
   */
  #bounds(ran: boolean): string {
    const rate = this.requestsPerSecond;
    const limit = rate === undefined ? 'the client\'s rate limiter is off' : `held to the client's rate limit of ${rate} requests/s`;
    if (!ran) return `critical path and requests: known once run (EXPLAIN ANALYZE); ${limit}`;
    const requests = this.requests.filter((r) => !/\((cache hit|already read for this operation)\)/.test(r)).length;
    const bound = rate === undefined ? '' : `, so they take at least ${(requests / rate).toFixed(2)} s (rate bound)`;
    return `critical path: ${this.roundTrips} round trip(s) of dependent requests; ${requests} request(s), ${limit}${bound}`;
  }
}
