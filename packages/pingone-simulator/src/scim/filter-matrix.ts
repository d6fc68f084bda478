import type { ScimOperator } from './scim-expression';

export type FilterResource = 'users' | 'groups' | 'populations';

export interface EndpointFilterSupport {
  /** attribute → operators PingOne accepts for it on this endpoint */
  readonly attributes: Readonly<Record<string, readonly ScimOperator[]>>;
  /** operators accepted on the environment's custom user attributes */
  readonly customAttributeOperators: readonly ScimOperator[];
  /** `memberOfGroups[id eq "…" (and type eq "DIRECT")]` */
  readonly memberOfGroups: boolean;
}

const EQ: readonly ScimOperator[] = ['eq'];
const EQ_SW: readonly ScimOperator[] = ['eq', 'sw'];
const EQ_SW_EW: readonly ScimOperator[] = ['eq', 'sw', 'ew'];

/**
 * What PingOne accepts in `filter=`, per endpoint: the one table the simulator validates against.
 * Sources (pingone-api.md §4): PingOne's "SCIM filter language" admin guide and "Read all users/groups/populations"
 * API pages, the Terraform provider's filterableAttributes (data_source_users.go, data_source_groups.go), its
 * acceptance tests, and the real recordings (memberOfGroups with `and type eq "DIRECT"`).
 * Choices where the evidence is uncertain (pingone-api.md "Uncertain"):
 * - `co` is rejected everywhere: PingOne documents it only for a list our copy of the docs truncates.
 * - createdAt/updatedAt/lastSignOn ranges (gt/ge/lt/le) are rejected: sources conflict; a client that needs them
 *   must filter locally.
 * - populations accept `name eq` as well as `name sw`: the docs list only sw, but the Terraform provider's
 *   acceptance tests use `name eq` successfully against the real service.
 * - custom user attributes accept `sw` (documented) and `eq`.
 * - `ne`, `pr`, `not`, `in` are rejected: no PingOne directory endpoint documents them.
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
      'name.given': EQ_SW_EW,
      'name.middle': EQ_SW,
      'name.family': EQ_SW_EW,
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
    memberOfGroups: true,
  },
  populations: {
    attributes: { id: EQ, name: EQ_SW },
    customAttributeOperators: [],
    memberOfGroups: false,
  },
};

/** Inside `memberOfGroups[…]`: the group id, and optionally the membership type. */
export const MEMBER_OF_GROUPS_ATTRIBUTES: Readonly<Record<string, readonly ScimOperator[]>> = { id: EQ, type: EQ };
