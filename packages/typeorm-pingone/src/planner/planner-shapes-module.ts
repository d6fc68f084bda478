import { filterCells, serializeScimFilter } from '@typeorm-pingone/client';
import { PLANNER_FILTER_SHAPES } from './filter-shapes';

/** Placeholders the client's conformance command replaces with ids of the tenant (or ids no resource has). */
const PLACEHOLDERS = { group: '{group}', users: ['{user1}', '{user2}'], populations: ['{population1}', '{population2}'] } as const;

/**
 * The text of packages/pingone-client/src/conformance/planner-shapes.ts: the planner's filter shapes as SCIM text with
 * placeholders, for `pingone-conformance` (the client can't import the driver: dependencies go one way). Written by
 * `pnpm generate:docs`; a driver test fails when the file differs from this.
 */
export function plannerShapesModule(): string {
  const shapes = PLANNER_FILTER_SHAPES.map((s) => {
    const sample = s.sample({ group: PLACEHOLDERS.group, users: [...PLACEHOLDERS.users], populations: [...PLACEHOLDERS.populations] });
    const weak = filterCells(s.resource, sample)
      .filter((c) => c.weak)
      .map((c) => c.key);
    return { name: s.name, resource: s.resource, emittedBy: s.emittedBy, template: serializeScimFilter(sample), weakCells: weak };
  });
  return [
    "// Generated from the TypeORM driver's PLANNER_FILTER_SHAPES (planner/filter-shapes.ts) by `pnpm generate:docs`;",
    '// a driver test fails when this file is stale. Do not edit by hand.',
    '',
    "import type { FilterableResource } from '../filter/filter-capabilities';",
    '',
    '/** One kind of filter the driver sends, as SCIM text with {group}, {user1}, {user2}, {population1}, {population2} to fill in. */',
    'export interface PlannerShape {',
    '  readonly name: string;',
    '  readonly resource: FilterableResource;',
    '  readonly emittedBy: string;',
    '  readonly template: string;',
    '  /** cells of it resting on weak sources: PingOne may refuse them, and the driver then evaluates them locally */',
    '  readonly weakCells: readonly string[];',
    '}',
    '',
    `export const PLANNER_SHAPES: readonly PlannerShape[] = ${JSON.stringify(shapes, null, 2).replace(/"(\w+)":/g, '$1:')};`,
    '',
  ].join('\n');
}
