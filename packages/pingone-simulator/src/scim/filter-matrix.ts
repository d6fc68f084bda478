import type { ScimOperator } from './scim-expression';

export type FilterResource = 'users' | 'groups' | 'populations' | 'environments' | 'activities' | 'roles' | 'licenses';

export interface EndpointFilterSupport {
  /** attribute → operators PingOne accepts for it on this endpoint */
  readonly attributes: Readonly<Record<string, readonly ScimOperator[]>>;
  /** operators accepted on the environment's custom user attributes */
  readonly customAttributeOperators: readonly ScimOperator[];
  /**
   * operators accepted, in addition, on custom attributes when the schema has allowsContainsOperator (only on
   * single-valued STRING ones: acceptsContains in store/user-schema.ts, the rule the driver applies too)
   */
  readonly customContainsOperators: readonly ScimOperator[];
  /** `memberOfGroups[id eq "…" (and type eq "DIRECT")]` */
  readonly memberOfGroups: boolean;
  /** logical operators accepted between comparisons; default `and` and `or` */
  readonly logical?: readonly ('and' | 'or')[];
  /** groups of attributes a filter may hold at most one of (audit activities: "any one of") */
  readonly exclusive?: readonly (readonly string[])[];
  /** a filter attribute's path in the resource when it differs (audit activities' `recordedat` is `recordedAt`) */
  readonly paths?: Readonly<Record<string, string>>;
}

const EQ: readonly ScimOperator[] = ['eq'];
const EQ_SW: readonly ScimOperator[] = ['eq', 'sw'];
const EQ_SW_EW: readonly ScimOperator[] = ['eq', 'sw', 'ew'];
const EQ_SW_EW_CO: readonly ScimOperator[] = ['eq', 'sw', 'ew', 'co'];
const RANGE: readonly ScimOperator[] = ['gt', 'ge', 'lt', 'le'];

/**
 * What PingOne accepts in `filter=`, per endpoint: the one table the simulator validates against. Each cell's
 * sources are listed in docs/pingone-filters.md (the client's filterCellSources()):
 * - users eq/sw on the listed attributes, ew on email/name.given/name.family, co on name.given/name.family:
 *   PingOne's "SCIM filter language" page and "Read all users"; id and population.id eq: the Terraform provider.
 * - custom user attributes: sw ("Read all users"), eq (schema docs: `filter=shirtSize eq "Large"`), and co only
 *   when the user schema has allowsContainsOperator, on its single-valued STRING custom attributes (PingOne allows at
 *   most 5 such attributes; its schema doesn't say which, so the simulator and the driver both read the flag so).
 * - memberOfGroups[id eq "…" (and type eq "DIRECT")]: real recordings; combined with `and`/`or` and other
 *   conditions: the OpenAPI example `memberOfGroups[id eq "…"] and name.family eq "demo"` and the Terraform
 *   provider, which ORs several memberOfGroups terms and ANDs them with attributes.
 * - groups name/externalId/displayName eq/sw, id/population.id/sourceId eq: PingOne's "Read All Groups" page (and
 *   the Terraform provider's groups data source for name, externalId, id, population.id).
 * - populations `name eq` as well as `name sw`: the docs list only sw, but the Terraform provider's acceptance
 *   tests use `name eq` successfully against the real service.
 * Refused, because no source backs them (the simulator must not be kinder than PingOne): createdAt/updatedAt/
 * lastSignOn ranges (sources conflict); `co` anywhere else; `ne`, `pr`, `not`, `in`.
 * Accepted by default but weakly sourced (WEAK_FILTER_CELLS), so refused in strict mode: a PingOne that refuses them
 * is as plausible as one that accepts them.
 */
export const FILTER_MATRIX: Readonly<Record<FilterResource, EndpointFilterSupport>> = {
  users: {
    attributes: {
      id: EQ,
      'population.id': EQ,
      accountId: EQ_SW,
      'address.streetAddress': EQ_SW,
      'address.locality': EQ_SW,
      'address.region': EQ_SW,
      'address.postalCode': EQ_SW,
      'address.countryCode': EQ_SW,
      email: EQ_SW_EW,
      enabled: EQ_SW,
      externalId: EQ_SW,
      locale: EQ_SW,
      mobilePhone: EQ_SW,
      'name.formatted': EQ_SW,
      'name.given': EQ_SW_EW_CO,
      'name.middle': EQ_SW,
      'name.family': EQ_SW_EW_CO,
      'name.honorificPrefix': EQ_SW,
      'name.honorificSuffix': EQ_SW,
      nickname: EQ_SW,
      'photo.href': EQ_SW,
      preferredLanguage: EQ_SW,
      primaryPhone: EQ_SW,
      timezone: EQ_SW,
      title: EQ_SW,
      type: EQ_SW,
      username: EQ_SW,
    },
    customAttributeOperators: EQ_SW,
    customContainsOperators: ['co'],
    memberOfGroups: true,
  },
  groups: {
    attributes: {
      id: EQ,
      'population.id': EQ,
      name: EQ_SW,
      externalId: EQ_SW,
      displayName: EQ_SW,
      sourceId: EQ,
    },
    customAttributeOperators: [],
    customContainsOperators: [],
    memberOfGroups: true,
  },
  populations: {
    attributes: { id: EQ, name: EQ_SW },
    customAttributeOperators: [],
    customContainsOperators: [],
    memberOfGroups: false,
  },
  // "'sw', 'eq' and 'and' are supported" (OpenAPI readAllEnvironments); id, organization.id, status: Ping's Go client
  environments: {
    attributes: { id: EQ, name: ['sw'], 'organization.id': EQ, 'license.id': EQ, status: EQ },
    customAttributeOperators: [],
    customContainsOperators: [],
    memberOfGroups: false,
    logical: ['and'],
  },
  // "Read Audit Activities": a recordedAt range, then any one of a population, an actor, an action type, a resource
  // id or a resource type; eq on correlationid and gt/lt/ge/le on recordedat: the older audit guide. Both spellings
  // of recordedAt appear in PingOne's pages (recordedat in the spec's example, recordedAt in the newer page).
  activities: {
    attributes: {
      recordedat: RANGE,
      recordedAt: RANGE,
      correlationid: EQ,
      'action.type': EQ,
      'resources.id': EQ,
      'resources.type': EQ,
      'resources.population.id': EQ,
      'actors.user.id': EQ,
    },
    customAttributeOperators: [],
    customContainsOperators: [],
    memberOfGroups: false,
    logical: ['and'],
    exclusive: [['correlationid', 'action.type', 'resources.id', 'resources.type', 'actors.user.id']],
    paths: { recordedat: 'recordedAt', correlationid: 'correlationId' },
  },
  // the environment's roles: `type eq "CUSTOM"` (OpenAPI readAllCustomAdminRoles example)
  roles: { attributes: { type: EQ }, customAttributeOperators: [], customContainsOperators: [], memberOfGroups: false, logical: ['and'] },
  // `beginsAt lt` (OpenAPI readAllLicenses example)
  licenses: {
    attributes: { beginsAt: ['lt'] },
    customAttributeOperators: [],
    customContainsOperators: [],
    memberOfGroups: false,
    logical: ['and'],
  },
};

/** The name of the weak shape: a DIRECT-typed membership term with anything else in the same filter. */
export const TYPED_MEMBERSHIP_COMBINED = 'memberOfGroups[id eq … and type eq "DIRECT"] with other conditions';

/** Inside `memberOfGroups[…]`: the group id, and optionally the membership type. */
export const MEMBER_OF_GROUPS_ATTRIBUTES: Readonly<Record<string, readonly ScimOperator[]>> = { id: EQ, type: EQ };

/**
 * Cells accepted by default whose only sources are contested or our own inference: the strict mode refuses each one
 * (docs/simulator.md, "Choices on undocumented points"). Keys: `<resource> <attribute> <operator>`, with `custom` for
 * any custom attribute, plus the membership shapes by name. The client's capability table marks the same cells weak
 * (a test compares them).
 * - `co` on name.given/name.family: no first-party page lists it (every stored copy of PingOne's SCIM filter page is
 *   cut before its `co` list; an older users page lists `co` and `ew` as unsupported).
 * - `ew` on email, name.given, name.family: the admin guide lists it, the older users page refuses it.
 * - `co` on custom attributes: our reading of Schema.allowsContainsOperator (the schema doesn't say which attributes).
 * - a DIRECT-typed `memberOfGroups[…]` combined with other conditions: each half is sourced (the recordings send the
 *   typed term alone, the spec's example combines an untyped one), the combination is not.
 * - any filter on a user's membership list (`GET /users/{id}/memberOfGroups?filter=`): the spec has the parameter
 *   but no page says which attributes it takes.
 */
export const WEAK_FILTER_CELLS: ReadonlySet<string> = new Set([
  'users name.given co',
  'users name.family co',
  'users email ew',
  'users name.given ew',
  'users name.family ew',
  'users custom co',
  `users ${TYPED_MEMBERSHIP_COMBINED}`,
  `groups ${TYPED_MEMBERSHIP_COMBINED}`,
  'memberships filter',
]);

/**
 * Attributes whose comparisons PingOne documents as case-insensitive: usernames (unique and signed in with
 * case-insensitively, "Create user") and emails (Ping's Terraform provider re-checks `username eq`/`email eq`
 * results with EqualFold). In the case-sensitive mode every other attribute compares exactly.
 */
export const CASE_INSENSITIVE_ATTRIBUTES: ReadonlySet<string> = new Set(['username', 'email']);
