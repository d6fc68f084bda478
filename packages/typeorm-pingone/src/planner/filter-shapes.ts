import { claimedFilterCells, filterCells, scim, type FilterableResource, type ScimFilter } from '@typeorm-pingone/client';
import { allMembersFilter, directMembersFilter } from '../executor/remote-directory';
import { caseRobust } from './case-variants';

/** Ids a shape's sample is built from: a group, users, a population (real ones, or ids no resource has). */
export interface ShapeSampleIds {
  readonly group: string;
  readonly users: readonly [string, string];
  readonly populations: readonly [string, string];
}

/**
 * One kind of filter the driver sends, with where it comes from and a sample of it. `pingone-conformance` sends every
 * sample to the tenant (the client's copy, conformance/planner-shapes.ts, is generated from this list by
 * `pnpm generate:docs`, and a test fails when it is stale); the driver's test harness checks that every filter the
 * driver sent in its suites is one of these shapes (classifyFilter), so a new kind of filter can't go unchecked.
 */
export interface PlannerFilterShape {
  readonly name: string;
  readonly resource: FilterableResource;
  readonly emittedBy: string;
  readonly sample: (ids: ShapeSampleIds) => ScimFilter;
}

const ids = (attribute: string, values: readonly string[]) => scim.or(...values.map((v) => scim.eq(attribute, v)));

export const PLANNER_FILTER_SHAPES: readonly PlannerFilterShape[] = Object.freeze([
  {
    name: 'comparisons',
    resource: 'users',
    emittedBy:
      'WHERE pushdown (pushdown.ts): eq, IN as an or of eq, LIKE as sw/ew/co with case variants, AND/OR/parentheses; join keys and ids as or-of-eq (resource-lister.ts, key-constraints.ts, listByIds)',
    sample: (s) =>
      scim.and(
        scim.eq('type', 'conformance-check'),
        caseRobust('sw', 'title', 'Ma'),
        scim.or(ids('id', s.users), scim.eq('enabled', true)),
      ),
  },
  {
    name: 'comparisons',
    resource: 'groups',
    emittedBy: 'WHERE pushdown and join keys on groups',
    sample: (s) => scim.and(caseRobust('sw', 'name', 'co'), scim.or(scim.eq('id', s.group), scim.eq('displayName', 'conformance-check'))),
  },
  {
    name: 'comparisons',
    resource: 'populations',
    emittedBy: 'WHERE pushdown and join keys on populations',
    sample: (s) => scim.or(ids('id', s.populations), caseRobust('sw', 'name', 'de')),
  },
  {
    name: 'direct members of a group',
    resource: 'users',
    emittedBy: "membership-loader.ts: a group's direct members (directMembersFilter)",
    sample: (s) => directMembersFilter(s.group),
  },
  {
    name: 'direct members of a group, narrowed to users',
    resource: 'users',
    emittedBy: "membership-loader.ts: a group's direct members among known users (the users' ids ANDed in)",
    sample: (s) => scim.and(directMembersFilter(s.group), ids('id', s.users)),
  },
  {
    name: 'direct members of a group, narrowed to populations',
    resource: 'users',
    emittedBy: "membership-loader.ts: a group's direct members in the users' populations",
    sample: (s) => scim.and(directMembersFilter(s.group), ids('population.id', s.populations)),
  },
  {
    name: 'every member of a group',
    resource: 'users',
    emittedBy:
      "membership-loader.ts: a group's members of every type, through nesting and its filter (effective and typed memberships; allMembersFilter)",
    sample: (s) => allMembersFilter(s.group),
  },
  {
    name: 'every member of a group, narrowed to users',
    resource: 'users',
    emittedBy: "membership-loader.ts: a group's members of every type among known users (the users' ids ANDed in)",
    sample: (s) => scim.and(allMembersFilter(s.group), ids('id', s.users)),
  },
  {
    name: 'every member of a group, narrowed to populations',
    resource: 'users',
    emittedBy: "membership-loader.ts: a group's members of every type in the users' populations",
    sample: (s) => scim.and(allMembersFilter(s.group), ids('population.id', s.populations)),
  },
  {
    name: 'groups nested directly in a group',
    resource: 'groups',
    emittedBy: "membership-loader.ts: group_nesting from the parent's side (directMembersFilter on /groups)",
    sample: (s) => directMembersFilter(s.group),
  },
  {
    name: 'comparisons',
    resource: 'environments',
    emittedBy: 'WHERE pushdown on environments (`and` only: no IN lists, no case variants); join keys one at a time',
    sample: () => scim.and(scim.eq('status', 'ACTIVE'), scim.eq('license.id', NO_SUCH_ID)),
  },
  {
    name: 'comparisons',
    resource: 'activities',
    emittedBy:
      'WHERE pushdown on audit activities: the recordedAt range (ge/le; bounds the WHERE lacks are the 14-day window, resource-lists.ts) and one of the exclusive eq filters, in a POST body',
    sample: () =>
      scim.and(
        scim.ge('recordedat', '2024-01-01T00:00:00.000Z'),
        scim.le('recordedat', '2024-01-02T00:00:00.000Z'),
        scim.eq('action.type', 'conformance-check'),
        scim.eq('resources.population.id', NO_SUCH_ID),
      ),
  },
  {
    name: 'comparisons',
    resource: 'roles',
    emittedBy: 'the client\'s list of the environment\'s custom roles (DIRECTORY_ENDPOINTS.roles: type eq "CUSTOM")',
    sample: () => scim.eq('type', 'CUSTOM'),
  },
  {
    name: 'comparisons',
    resource: 'licenses',
    emittedBy: 'WHERE pushdown on licenses (beginsAt < …, one list per organization)',
    sample: () => scim.lt('beginsAt', '2024-01-01T00:00:00.001Z'),
  },
]);

/** An id no resource has, for shapes whose sample needs one beyond the tenant's. */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/**
 * A filter's structure without its values: a comparison as `(attribute op)+`, an OR of one repeated structure as that
 * structure (one id or fifty, one case variant or eight, are the same shape), other ANDs and ORs with their parts sorted.
 */
export function filterStructure(filter: ScimFilter): string {
  switch (filter.kind) {
    case 'compare':
      return `(${filter.attribute} ${filter.operator}${filter.attribute === 'type' && (filter.value === 'DIRECT' || filter.value === 'INDIRECT') ? ` "${filter.value}"` : ''})+`;
    case 'present':
      return `${filter.attribute} pr`;
    case 'not':
      return `not (${filterStructure(filter.filter)})`;
    case 'valuePath':
      return `${filter.attribute}[${filterStructure(filter.filter)}]`;
    case 'and':
    case 'or': {
      const parts = [...new Set(filter.filters.map(filterStructure))];
      if (filter.kind === 'or' && parts.length === 1) return parts[0].endsWith(')+') ? parts[0] : `(${parts[0]})+`;
      return `(${parts.sort().join(` ${filter.kind} `)})`;
    }
  }
}

const hasValuePath = (f: ScimFilter): boolean =>
  f.kind === 'valuePath' ||
  ((f.kind === 'and' || f.kind === 'or') && f.filters.some(hasValuePath)) ||
  (f.kind === 'not' && hasValuePath(f.filter));

/**
 * Which planner shape a filter the driver sent is, or why it is none: a filter without `memberOfGroups[…]` is
 * `comparisons` when every comparison is a cell of the capability table (or a custom attribute's); one with it must
 * have exactly the structure of a membership shape's sample.
 */
export function classifyFilter(resource: FilterableResource, filter: ScimFilter): { shape: string } | { unknown: string } {
  if (!hasValuePath(filter)) {
    const claimed = new Set(claimedFilterCells(resource));
    const outside = filterCells(resource, filter).filter((c) => !claimed.has(c.cell));
    return outside.length === 0
      ? { shape: 'comparisons' }
      : { unknown: `comparisons outside the capability table: ${outside.map((c) => c.key).join(', ')}` };
  }
  const structure = filterStructure(filter);
  const sampleIds: ShapeSampleIds = { group: 'g', users: ['u1', 'u2'], populations: ['p1', 'p2'] };
  const found = PLANNER_FILTER_SHAPES.find(
    (s) => s.resource === resource && s.name !== 'comparisons' && filterStructure(s.sample(sampleIds)) === structure,
  );
  return found ? { shape: found.name } : { unknown: `a membership filter of structure ${structure}, which no planner shape has` };
}
