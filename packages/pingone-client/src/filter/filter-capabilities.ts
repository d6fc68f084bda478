import type { ScimComparisonOperator } from './scim-filter';

/**
 * What this client believes PingOne accepts in `filter=` per collection, as data (read by the TypeORM driver's
 * planner, and checked against the simulator in tests). Sources: ../../../../docs/pingone-filters.md, which cites
 * PingOne's "SCIM filter language" and "Read all users/groups/populations" pages and the Terraform provider.
 *
 * It is deliberately conservative: pushing a filter PingOne rejects is an error for the user, while not pushing
 * one only costs extra rows (the driver re-checks every predicate locally). So attributes whose support is
 * disputed in the evidence (`co`, createdAt/updatedAt ranges) are left out.
 */
export type FilterableResource = 'users' | 'groups' | 'populations';

export interface ResourceFilterCapabilities {
  /** attribute path → operators PingOne accepts for it */
  readonly attributes: Readonly<Record<string, readonly ScimComparisonOperator[]>>;
  /** operators accepted on custom (schema-defined) string attributes; empty where custom attributes don't exist */
  readonly customAttributeOperators: readonly ScimComparisonOperator[];
  /** `and` / `or` (with parentheses) between supported comparisons */
  readonly logicalOperators: readonly ('and' | 'or')[];
  /** `memberOfGroups[id eq "…"]`, optionally `and type eq "DIRECT"` inside the brackets; only as the whole filter */
  readonly memberOfGroups: boolean;
  /** largest `limit` PingOne accepts on this collection */
  readonly maxPageSize: number;
}

const EQ_SW: readonly ScimComparisonOperator[] = Object.freeze(['eq', 'sw']);
const EQ_SW_EW: readonly ScimComparisonOperator[] = Object.freeze(['eq', 'sw', 'ew']);
const EQ: readonly ScimComparisonOperator[] = Object.freeze(['eq']);

const USER_EQ_SW = [
  'accountId', 'address.streetAddress', 'address.locality', 'address.region', 'address.postalCode',
  'address.countryCode', 'enabled', 'externalId', 'locale', 'mobilePhone', 'name.formatted', 'name.middle',
  'name.honorificPrefix', 'name.honorificSuffix', 'nickname', 'photo.href', 'preferredLanguage', 'primaryPhone',
  'timezone', 'title', 'type', 'username',
];

export const FILTER_CAPABILITIES: Readonly<Record<FilterableResource, ResourceFilterCapabilities>> = Object.freeze({
  users: Object.freeze({
    attributes: Object.freeze({
      id: EQ,
      'population.id': EQ,
      ...Object.fromEntries(USER_EQ_SW.map((a) => [a, EQ_SW])),
      email: EQ_SW_EW,
      'name.given': EQ_SW_EW,
      'name.family': EQ_SW_EW,
    }),
    customAttributeOperators: Object.freeze(['sw'] as const),
    logicalOperators: Object.freeze(['and', 'or'] as const),
    memberOfGroups: true,
    maxPageSize: 1000,
  }),
  groups: Object.freeze({
    attributes: Object.freeze({
      id: EQ,
      'population.id': EQ,
      name: EQ_SW,
      externalId: EQ_SW,
      displayName: EQ_SW,
      sourceId: EQ,
    }),
    customAttributeOperators: Object.freeze([]),
    logicalOperators: Object.freeze(['and', 'or'] as const),
    memberOfGroups: true,
    maxPageSize: 1000,
  }),
  populations: Object.freeze({
    attributes: Object.freeze({ id: EQ, name: EQ_SW }),
    customAttributeOperators: Object.freeze([]),
    logicalOperators: Object.freeze(['and', 'or'] as const),
    memberOfGroups: false,
    maxPageSize: 1000,
  }),
});
