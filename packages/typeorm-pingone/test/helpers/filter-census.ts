import type { FilterableResource, ScimFilter } from '@typeorm-pingone/client';
import { parseScimFilter, type LoggedRequest, type ScimExpression } from '@typeorm-pingone/simulator';
import { classifyFilter } from '../../src';

/** The simulator's parse of a filter (binary and/or) as the client's AST (n-ary), for the planner's classifier. */
export function toClientFilter(e: ScimExpression): ScimFilter {
  switch (e.kind) {
    case 'compare':
      return { kind: 'compare', attribute: e.attribute, operator: e.operator, value: e.value };
    case 'present':
      return { kind: 'present', attribute: e.attribute };
    case 'not':
      return { kind: 'not', filter: toClientFilter(e.expression) };
    case 'valuePath':
      return { kind: 'valuePath', attribute: e.attribute, filter: toClientFilter(e.filter) };
    case 'and':
    case 'or': {
      const flat = (x: ScimExpression): ScimExpression[] => (x.kind === e.kind ? [...flat(x.left), ...flat(x.right)] : [x]);
      return { kind: e.kind, filters: flat(e).map(toClientFilter) };
    }
  }
}

/** Which resource's list a path is (the filterable ones): `/v1/environments/{id}/users`, `/v1/environments`, `…/roles`, … */
function resourceOfPath(path: string): FilterableResource | undefined {
  const own = /^\/v1\/environments\/[^/]+\/(users|groups|populations|roles|activities)$/.exec(path)?.[1];
  if (own) return own as FilterableResource;
  if (path === '/v1/environments') return 'environments';
  return /^\/v1\/organizations\/[^/]+\/licenses$/.test(path) ? 'licenses' : undefined;
}

/**
 * Every filter the driver sent that is none of the planner's shapes (PLANNER_FILTER_SHAPES): a test harness calls it
 * on the simulator's request log before it closes, so a new kind of filter fails the suite that sends it until it is
 * added to the shapes, and so to what `pingone-conformance` checks against a tenant.
 */
export function unknownFilterShapes(requests: readonly LoggedRequest[]): string[] {
  const out = new Map<string, string>();
  for (const r of requests) {
    // audit activities are asked for with the filter in a POST body
    const filter = r.method === 'POST' ? (r.body as { filter?: unknown } | undefined)?.filter : r.query.filter;
    const resource = resourceOfPath(r.path);
    if (
      r.kind !== 'api' ||
      (r.method !== 'GET' && !(r.method === 'POST' && resource === 'activities')) ||
      typeof filter !== 'string' ||
      !resource
    )
      continue;
    const verdict = classifyFilter(resource, toClientFilter(parseScimFilter(filter)));
    const key = 'unknown' in verdict ? `${resource}: ${verdict.unknown}` : undefined;
    if (key && !out.has(key)) out.set(key, `${key}, e.g. ${filter.length > 200 ? `${filter.slice(0, 200)}…` : filter}`);
  }
  return [...out.values()];
}
