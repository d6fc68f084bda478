import type { PingOneClient } from '../pingone-client';
import { checkCaseRules } from './case-rules';
import { ConformanceContext, type ConformanceCheck } from './conformance-context';
import type { HarRecorder } from './har-recorder';
import { checkCells, checkErrorBodies, checkMembershipList, checkShapes, readSample } from './read-checks';
import { checkWrites } from './write-checks';

export type { ConformanceCheck } from './conformance-context';

export interface ConformanceReport {
  readonly checks: readonly ConformanceCheck[];
  readonly har: HarRecorder;
}

export interface ConformanceOptions {
  /** Also check write semantics in a scratch population the run creates and deletes (`--writes`). Default false. */
  readonly writes?: boolean;
}

/**
 * A suite against a tenant. Read-only by default: page sizes and `count`, the user schema, every filter cell the client
 * pushes and every shape of filter the driver's planner sends (a weakly sourced one may be refused: that is what the
 * driver's fallback would learn, not a failure), the case rule per attribute and operator, a user's membership list
 * (shape, paging, expand), and the error bodies the client branches on. `writes: true` adds checkWrites. Every
 * exchange is recorded in `har` (directory data pseudonymized, the schema as it came) for the simulator's replay tests.
 */
export async function runConformance(client: PingOneClient, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const ctx = new ConformanceContext(client);
  const sample = await readSample(ctx);
  await checkCells(ctx, sample);
  await checkShapes(ctx, sample);
  await checkCaseRules(ctx, { users: sample.users, groups: sample.groups, populations: sample.populations }, 'listed');
  await checkMembershipList(ctx, sample);
  await checkErrorBodies(ctx);
  if (options.writes) await checkWrites(ctx);
  return { checks: ctx.checks, har: ctx.har };
}
