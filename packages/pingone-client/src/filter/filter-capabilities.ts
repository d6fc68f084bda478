import type { ScimComparisonOperator } from './scim-filter';
import type { DirectoryResource } from '../resources/directory-endpoints';

/**
 * What this client believes PingOne accepts in `filter=` per collection, as data (read by the TypeORM driver's
 * planner, and checked against the simulator in tests). Every cell has its sources, and how strong they are, in
 * filterCellEvidence() (filter-sources.ts), listed in docs/pingone-filters.md.
 *
 * Cells no source backs are not here. A weakly sourced cell (contested or only inferred) is here, and the driver
 * pushes it only with its fallback: when PingOne refuses it, the statement is re-planned with the cell evaluated
 * locally, and the refusal is remembered.
 */
export type FilterableResource = 'users' | 'groups' | 'populations' | DirectoryResource;

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
  /**
   * string attributes PingOne documents as compared case-insensitively (usernames, emails); every other string
   * attribute's rule is unknown, so a pushed LIKE must select a superset under both rules (caseRuleOf)
   */
  readonly caseInsensitive: readonly string[];
  /**
   * attribute paths (as PingOne returns them) whose name in a filter differs: audit activities are filtered on
   * `recordedat` and `correlationid` (PingOne's spelling in its examples) while their JSON says `recordedAt`
   * and `correlationId`; `attributes` is keyed by the filter's name
   */
  readonly filterNames?: Readonly<Record<string, string>>;
  /**
   * comparisons one filter may hold at most one of, besides the others (audit activities: "the filter can also include
   * any one of" a population, an actor, an action type, a resource id or a resource type): each group lists filter
   * names, and a filter takes at most one attribute of each group
   */
  readonly exclusive?: readonly (readonly string[])[];
}

/**
 * How PingOne compares a string attribute in filters: `insensitive` where documented (username, email), `exact` for
 * ids (UUIDs the driver never pushes a LIKE on), `unknown` for every other one: PingOne's pages don't say, and
 * Ping's Terraform provider calls filter values case sensitive.
 */
export function caseRuleOf(resource: FilterableResource, attribute: string): 'insensitive' | 'exact' | 'unknown' {
  if (attribute === 'id' || attribute.endsWith('.id')) return 'exact';
  return FILTER_CAPABILITIES[resource].caseInsensitive.includes(attribute) ? 'insensitive' : 'unknown';
}

const EQ_SW: readonly ScimComparisonOperator[] = Object.freeze(['eq', 'sw']);
const EQ_SW_EW: readonly ScimComparisonOperator[] = Object.freeze(['eq', 'sw', 'ew']);
const EQ_SW_EW_CO: readonly ScimComparisonOperator[] = Object.freeze(['eq', 'sw', 'ew', 'co']);
const EQ: readonly ScimComparisonOperator[] = Object.freeze(['eq']);
const RANGE: readonly ScimComparisonOperator[] = Object.freeze(['gt', 'ge', 'lt', 'le']);

/** A resource PingOne documents no filter for: the driver reads its lists whole and filters locally. */
function unfiltered(maxPageSize = 1000): ResourceFilterCapabilities {
  return Object.freeze({
    attributes: Object.freeze({}),
    customAttributeOperators: Object.freeze([]),
    customContainsOperators: Object.freeze([]),
    logicalOperators: Object.freeze([]),
    memberOfGroups: false,
    memberOfGroupsCombined: false,
    maxPageSize,
    caseInsensitive: Object.freeze([]),
  });
}

/** User attributes PingOne documents with `eq` and `sw` (and nothing more). */
export const USER_EQ_SW_ATTRIBUTES: readonly string[] = Object.freeze([
  'accountId',
  'address.streetAddress',
  'address.locality',
  'address.region',
  'address.postalCode',
  'address.countryCode',
  'enabled',
  'externalId',
  'locale',
  'mobilePhone',
  'name.formatted',
  'name.middle',
  'name.honorificPrefix',
  'name.honorificSuffix',
  'nickname',
  'photo.href',
  'preferredLanguage',
  'primaryPhone',
  'timezone',
  'title',
  'type',
  'username',
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
    caseInsensitive: Object.freeze(['username', 'email']),
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
    customContainsOperators: Object.freeze([]),
    logicalOperators: Object.freeze(['and', 'or'] as const),
    memberOfGroups: true,
    memberOfGroupsCombined: false,
    maxPageSize: 1000,
    caseInsensitive: Object.freeze([]),
  }),
  populations: Object.freeze({
    attributes: Object.freeze({ id: EQ, name: EQ_SW }),
    customAttributeOperators: Object.freeze([]),
    customContainsOperators: Object.freeze([]),
    logicalOperators: Object.freeze(['and', 'or'] as const),
    memberOfGroups: false,
    memberOfGroupsCombined: false,
    maxPageSize: 1000,
    caseInsensitive: Object.freeze([]),
  }),
  // "'sw', 'eq' and 'and' are supported" (OpenAPI readAllEnvironments): no `or`
  environments: Object.freeze({
    ...unfiltered(),
    attributes: Object.freeze({ id: EQ, name: Object.freeze(['sw'] as const), 'organization.id': EQ, 'license.id': EQ, status: EQ }),
    logicalOperators: Object.freeze(['and'] as const),
  }),
  // a range of recordedat is required (the driver always sends one); at most one of the exclusive groups besides it
  activities: Object.freeze({
    ...unfiltered(),
    attributes: Object.freeze({
      recordedat: RANGE,
      correlationid: EQ,
      'action.type': EQ,
      'resources.id': EQ,
      'resources.type': EQ,
      'resources.population.id': EQ,
      'actors.user.id': EQ,
    }),
    logicalOperators: Object.freeze(['and'] as const),
    filterNames: Object.freeze({ recordedAt: 'recordedat', correlationId: 'correlationid' }),
    exclusive: Object.freeze([Object.freeze(['correlationid', 'action.type', 'resources.id', 'resources.type', 'actors.user.id'])]),
  }),
  licenses: Object.freeze({ ...unfiltered(), attributes: Object.freeze({ beginsAt: Object.freeze(['lt'] as const) }) }),
  // the environment's custom roles are read with `type eq "CUSTOM"` (directory-endpoints.ts); nothing else is pushed to roles
  roles: Object.freeze({ ...unfiltered(), attributes: Object.freeze({ type: EQ }) }),
  userRoleAssignments: unfiltered(),
  groupRoleAssignments: unfiltered(),
  applicationRoleAssignments: unfiltered(),
  organizations: unfiltered(),
  applications: unfiltered(),
  applicationGrants: unfiltered(),
  applicationAttributes: unfiltered(),
  identityProviders: unfiltered(),
  linkedAccounts: unfiltered(),
  sessions: unfiltered(),
  passwordPolicies: unfiltered(),
});
