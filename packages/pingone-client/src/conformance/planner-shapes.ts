// Generated from the TypeORM driver's PLANNER_FILTER_SHAPES (planner/filter-shapes.ts) by `pnpm generate:docs`;
// a driver test fails when this file is stale. Do not edit by hand.

import type { FilterableResource } from '../filter/filter-capabilities';

/** One kind of filter the driver sends, as SCIM text with {group}, {user1}, {user2}, {population1}, {population2} to fill in. */
export interface PlannerShape {
  readonly name: string;
  readonly resource: FilterableResource;
  readonly emittedBy: string;
  readonly template: string;
  /** cells of it resting on weak sources: PingOne may refuse them, and the driver then evaluates them locally */
  readonly weakCells: readonly string[];
}

export const PLANNER_SHAPES: readonly PlannerShape[] = [
  {
    name: "comparisons",
    resource: "users",
    emittedBy: "WHERE pushdown (pushdown.ts): eq, IN as an or of eq, LIKE as sw/ew/co with case variants, AND/OR/parentheses; join keys and ids as or-of-eq (resource-lister.ts, key-constraints.ts, listByIds)",
    template: "type eq \"conformance-check\" and (title sw \"ma\" or title sw \"mA\" or title sw \"Ma\" or title sw \"MA\") and (id eq \"{user1}\" or id eq \"{user2}\" or enabled eq true)",
    weakCells: []
  },
  {
    name: "comparisons",
    resource: "groups",
    emittedBy: "WHERE pushdown and join keys on groups",
    template: "(name sw \"co\" or name sw \"cO\" or name sw \"Co\" or name sw \"CO\") and (id eq \"{group}\" or displayName eq \"conformance-check\")",
    weakCells: []
  },
  {
    name: "comparisons",
    resource: "populations",
    emittedBy: "WHERE pushdown and join keys on populations",
    template: "id eq \"{population1}\" or id eq \"{population2}\" or name sw \"de\" or name sw \"dE\" or name sw \"De\" or name sw \"DE\"",
    weakCells: []
  },
  {
    name: "direct members of a group",
    resource: "users",
    emittedBy: "membership-loader.ts: a group's direct members (directMembersFilter)",
    template: "memberOfGroups[id eq \"{group}\" and type eq \"DIRECT\"]",
    weakCells: []
  },
  {
    name: "direct members of a group, narrowed to users",
    resource: "users",
    emittedBy: "membership-loader.ts: a group's direct members among known users (the users' ids ANDed in)",
    template: "memberOfGroups[id eq \"{group}\" and type eq \"DIRECT\"] and (id eq \"{user1}\" or id eq \"{user2}\")",
    weakCells: [
      "memberOfGroups[id eq … and type eq \"DIRECT\"] with other conditions"
    ]
  },
  {
    name: "direct members of a group, narrowed to populations",
    resource: "users",
    emittedBy: "membership-loader.ts: a group's direct members in the users' populations",
    template: "memberOfGroups[id eq \"{group}\" and type eq \"DIRECT\"] and (population.id eq \"{population1}\" or population.id eq \"{population2}\")",
    weakCells: [
      "memberOfGroups[id eq … and type eq \"DIRECT\"] with other conditions"
    ]
  },
  {
    name: "every member of a group",
    resource: "users",
    emittedBy: "membership-loader.ts: a group's members of every type, through nesting and its filter (effective and typed memberships; allMembersFilter)",
    template: "memberOfGroups[id eq \"{group}\"]",
    weakCells: []
  },
  {
    name: "every member of a group, narrowed to users",
    resource: "users",
    emittedBy: "membership-loader.ts: a group's members of every type among known users (the users' ids ANDed in)",
    template: "memberOfGroups[id eq \"{group}\"] and (id eq \"{user1}\" or id eq \"{user2}\")",
    weakCells: []
  },
  {
    name: "every member of a group, narrowed to populations",
    resource: "users",
    emittedBy: "membership-loader.ts: a group's members of every type in the users' populations",
    template: "memberOfGroups[id eq \"{group}\"] and (population.id eq \"{population1}\" or population.id eq \"{population2}\")",
    weakCells: []
  },
  {
    name: "groups nested directly in a group",
    resource: "groups",
    emittedBy: "membership-loader.ts: group_nesting from the parent's side (directMembersFilter on /groups)",
    template: "memberOfGroups[id eq \"{group}\" and type eq \"DIRECT\"]",
    weakCells: []
  },
  {
    name: "comparisons",
    resource: "environments",
    emittedBy: "WHERE pushdown on environments (`and` only: no IN lists, no case variants); join keys one at a time",
    template: "status eq \"ACTIVE\" and license.id eq \"00000000-0000-4000-8000-000000000000\"",
    weakCells: []
  },
  {
    name: "comparisons",
    resource: "activities",
    emittedBy: "WHERE pushdown on audit activities: the recordedAt range (ge/le; bounds the WHERE lacks are the 14-day window, resource-lists.ts) and one of the exclusive eq filters, in a POST body",
    template: "recordedat ge \"2024-01-01T00:00:00.000Z\" and recordedat le \"2024-01-02T00:00:00.000Z\" and action.type eq \"conformance-check\" and resources.population.id eq \"00000000-0000-4000-8000-000000000000\"",
    weakCells: []
  },
  {
    name: "comparisons",
    resource: "roles",
    emittedBy: "the client's list of the environment's custom roles (DIRECTORY_ENDPOINTS.roles: type eq \"CUSTOM\")",
    template: "type eq \"CUSTOM\"",
    weakCells: []
  },
  {
    name: "comparisons",
    resource: "licenses",
    emittedBy: "WHERE pushdown on licenses (beginsAt < …, one list per organization)",
    template: "beginsAt lt \"2024-01-01T00:00:00.001Z\"",
    weakCells: []
  }
];
