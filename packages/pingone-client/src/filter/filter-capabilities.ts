import type { ScimComparisonOperator } from './scim-filter';

/**
 * What this client believes PingOne accepts in `filter=` per collection, as data (read by the TypeORM driver's
 * planner, and checked against the simulator in tests). Every cell has its sources in filterCellSources()
 * (filter-sources.ts), listed in docs/pingone-filters.md.
 *
 * It is deliberately conservative: pushing a filter PingOne rejects is an error for the user, while not pushing
 * one only costs extra rows (the driver re-checks every predicate locally). Cells no source backs are listed in
 * `unsourced` and not pushed.
 */
export type FilterableResource = 'users' | 'groups' | 'populations';

export interface ResourceFilterCapabilities {
  /** attribute path → operators PingOne accepts for it */
  readonly attributes: Readonly<Record<string, readonly ScimComparisonOperator[]>>;
  /** operators accepted on custom (schema-defined) string attributes; empty where custom attributes don't exist */
  readonly customAttributeOperators: readonly ScimComparisonOperator[];
  /**
   * operators accepted, in addition, on a custom attribute whose schema entry allows the contains operator
   * (`allowsContainsOperator`; PingOne allows it on at most 5 custom attributes)
   */
  readonly customContainsOperators: readonly ScimComparisonOperator[];
  /** `and` / `or` (with parentheses) between supported comparisons */
  readonly logicalOperators: readonly ('and' | 'or')[];
  /** `memberOfGroups[id eq "…"]`, optionally `and type eq "DIRECT"` inside the brackets */
  readonly memberOfGroups: boolean;
  /**
   * whether memberOfGroups terms combine with other conditions: several ORed, ANDed with attribute comparisons
   * (`memberOfGroups[id eq "a"] and name.family eq "demo"`); false: only as the whole filter
   */
  readonly memberOfGroupsCombined: boolean;
  /** largest `limit` PingOne accepts on this collection */
  readonly maxPageSize: number;
  /** attribute → operators listed somewhere in our notes but backed by no source we can cite: not pushed */
  readonly unsourced: Readonly<Record<string, readonly ScimComparisonOperator[]>>;
}

const EQ_SW: readonly ScimComparisonOperator[] = Object.freeze(['eq', 'sw']);
const EQ_SW_EW: readonly ScimComparisonOperator[] = Object.freeze(['eq', 'sw', 'ew']);
const EQ_SW_EW_CO: readonly ScimComparisonOperator[] = Object.freeze(['eq', 'sw', 'ew', 'co']);
const EQ: readonly ScimComparisonOperator[] = Object.freeze(['eq']);

/** User attributes PingOne documents with `eq` and `sw` (and nothing more). */
export const USER_EQ_SW_ATTRIBUTES: readonly string[] = Object.freeze([
  'accountId', 'address.streetAddress', 'address.locality', 'address.region', 'address.postalCode',
  'address.countryCode', 'enabled', 'externalId', 'locale', 'mobilePhone', 'name.formatted', 'name.middle',
  'name.honorificPrefix', 'name.honorificSuffix', 'nickname', 'photo.href', 'preferredLanguage', 'primaryPhone',
  'timezone', 'title', 'type', 'username',
]);

export const FILTER_CAPABILITIES: Readonly<Record<FilterableResource, ResourceFilterCapabilities>> = Object.freeze({
  users: Object.freeze({
    attributes: Object.freeze({
      id: EQ,
      'population.id': EQ,
      ...Object.fromEntries(USER_EQ_SW_ATTRIBUTES.map((a) => [a, EQ_SW])),
      email: EQ_SW_EW,
      'name.given': EQ_SW_EW_CO,
      'name.family': EQ_SW_EW_CO,
    }),
    customAttributeOperators: Object.freeze(['eq', 'sw'] as const),
    customContainsOperators: Object.freeze(['co'] as const),
    logicalOperators: Object.freeze(['and', 'or'] as const),
    memberOfGroups: true,
    memberOfGroupsCombined: true,
    maxPageSize: 1000,
    unsourced: Object.freeze({}),
  }),
  groups: Object.freeze({
    attributes: Object.freeze({
      id: EQ,
      'population.id': EQ,
      name: EQ_SW,
      externalId: EQ_SW,
    }),
    customAttributeOperators: Object.freeze([]),
    customContainsOperators: Object.freeze([]),
    logicalOperators: Object.freeze(['and', 'or'] as const),
    memberOfGroups: true,
    memberOfGroupsCombined: false,
    maxPageSize: 1000,
    unsourced: Object.freeze({ displayName: EQ_SW, sourceId: EQ }),
  }),
  populations: Object.freeze({
    attributes: Object.freeze({ id: EQ, name: EQ_SW }),
    customAttributeOperators: Object.freeze([]),
    customContainsOperators: Object.freeze([]),
    logicalOperators: Object.freeze(['and', 'or'] as const),
    memberOfGroups: false,
    memberOfGroupsCombined: false,
    maxPageSize: 1000,
    unsourced: Object.freeze({}),
  }),
});
