/** One step of a plan, as EXPLAIN shows it and tests assert it. */
export interface PlanStep {
  readonly alias: string;
  readonly table: string;
  /** how the rows are fetched from PingOne */
  readonly strategy: 'get-by-id' | 'list' | 'list-by-ids' | 'count' | 'members-of-groups' | 'memberships-of-users' | 'derived' | 'none' | 're-plan';
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
  local = 'the whole statement runs in alasql over the fetched rows (joins, residual WHERE, ORDER BY, GROUP BY, LIMIT)';
  /** the filter cells this DataSource knows PingOne refuses, read when EXPLAIN's rows are made (so a refusal learned by this statement is listed too) */
  refusedCells: () => readonly { cell: string; why: string }[] = () => [];

  step(step: PlanStep): void {
    this.steps.push(step);
  }

  /** A load step re-planned after PingOne refused part of its filter (planner/filter-ledger.ts). */
  replanned(notes: string): void {
    this.steps.push({ alias: '', table: '', strategy: 're-plan', filter: undefined, notes });
  }

  /** Rows for `EXPLAIN`: one per step, then one for the local part, then (after running) one per request. */
  rows(includeRequests: boolean): Record<string, string>[] {
    const rows: Record<string, string>[] = this.steps.map((s, i) => ({
      step: String(i + 1), alias: s.alias, table: s.table, strategy: s.strategy, filter: s.filter ?? '', notes: s.notes,
    }));
    rows.push({ step: String(rows.length + 1), alias: '', table: '', strategy: 'local', filter: '', notes: this.local });
    for (const r of this.refusedCells()) {
      rows.push({ step: 'refused', alias: '', table: '', strategy: 'refused', filter: r.cell, notes: `PingOne refused it earlier (${r.why}): never pushed, evaluated locally` });
    }
    if (includeRequests) {
      this.requests.forEach((r, i) => rows.push({ step: `request ${i + 1}`, alias: '', table: '', strategy: 'request', filter: '', notes: r }));
    }
    return rows;
  }
}
