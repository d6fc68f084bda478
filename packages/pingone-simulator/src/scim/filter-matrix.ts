import type { ScimOperator } from './scim-expression';

export type FilterResource = 'users' | 'groups' | 'populations';

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
}

const EQ: readonly ScimOperator[] = ['eq'];
const EQ_SW: readonly ScimOperator[] = ['eq', 'sw'];
const EQ_SW_EW: readonly ScimOperator[] = ['eq', 'sw', 'ew'];
const EQ_SW_EW_CO: readonly ScimOperator[] = ['eq', 'sw', 'ew', 'co'];

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
 * - groups name/externalId eq/sw, id/population.id eq: the Terraform provider's groups data source.
 * - populations `name eq` as well as `name sw`: the docs list only sw, but the Terraform provider's acceptance
 *   tests use `name eq` successfully against the real service.
 * Refused, because no source backs them (the simulator must not be kinder than PingOne): groups displayName and
 * sourceId; createdAt/updatedAt/lastSignOn ranges (sources conflict); `co` anywhere else; `ne`, `pr`, `not`, `in`.
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
};

/** Inside `memberOfGroups[…]`: the group id, and optionally the membership type. */
export const MEMBER_OF_GROUPS_ATTRIBUTES: Readonly<Record<string, readonly ScimOperator[]>> = { id: EQ, type: EQ };
