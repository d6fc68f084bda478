import { FILTER_CAPABILITIES, USER_EQ_SW_ATTRIBUTES, type FilterableResource } from './filter-capabilities';

/** The sources a capability cell can cite (full references in docs/pingone-filters.md). */
export const FILTER_SOURCES = Object.freeze({
  'scim-filter-doc':
    'PingOne admin guide, "SCIM filter language" (docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html): eq/sw on the listed user attributes, ew on email, name.given and name.family (every stored copy of the page is cut before its co list)',
  'read-all-users':
    'PingOne Platform API, "Read all users" (developer.pingidentity.com/pingone-api/platform/users/users-1/read-all-users.html): the filterable user attributes; sw on custom string attributes; the example "read all users in a group with another attribute"',
  'openapi-users-example':
    'PingOne OpenAPI spec, readAllUsers `filter` example: `memberOfGroups[id eq "{{groupID}}"] and name.family eq "demo"`',
  'schema-docs': 'PingOne Platform API, schema attributes: `filter=shirtSize eq "Large"` (eq on a custom attribute)',
  'tf-users':
    "Ping's Terraform provider: data_source_users.go filterableAttributes, data_source_user.go (id eq), resource_population.go readUsers (population.id eq), internal/filter/scimFilter.go (ORs several memberOfGroups terms and ANDs them with attributes)",
  'tf-groups': "Ping's Terraform provider: data_source_groups.go (name, externalId eq/sw; id, population.id eq)",
  'read-all-groups':
    'PingOne Platform API, "Read All Groups" (developer.pingidentity.com/pingone-api/platform/groups/read-all-groups.html): name, externalId, displayName eq/sw; id, population.id, sourceId eq',
  har: 'Real PingOne recordings (JupiterOne graph-pingidentity, 2022): `memberOfGroups[id eq "…" and type eq "DIRECT"]` on /users and /groups',
  'read-all-populations':
    'PingOne Platform API, "Read all populations" and the query-parameter quick reference: name sw, id eq; the Terraform provider\'s data_source_populations_test.go uses name eq against the real service',
  'older-users-page': 'An older PingOne users page: lists co and ew as not supported on users (contradicts the admin guide)',
  'third-party-mcp':
    'A third-party PingOne MCP server (fctr-id/pingone-mcp-server): co on name.given and name.family; no first-party page confirms it',
  'allows-contains-reading':
    'Our reading of Schema.allowsContainsOperator ("the contains operator can be used … in a maximum of 5 custom attributes", OpenAPI spec): the flag is schema-wide and says not which attributes, so both sides read it as every enabled single-valued STRING custom attribute',
  composition:
    "No source sends this shape: it combines two sourced ones (the recordings send a DIRECT-typed memberOfGroups term alone; the spec's example ANDs an untyped one with an attribute)",
  'openapi-environments':
    'PingOne OpenAPI spec, readAllEnvironments `filter`: "\'sw\', \'eq\' and \'and\' are supported", example `name sw "S" and license.id eq "…"`',
  'goclient-environments':
    "Ping's official Go client (pingidentity/pingone-go-client, its OpenAPI spec): environments filterable by id, organization.id and status (eq)",
  'read-audit-activities':
    'PingOne Platform API, "Read Audit Activities" (GET and POST, developer.pingidentity.com/pingone-api/platform/audit-activities/get-user-activities.html): a recordedAt range is required (gt, lt); the filter may add any one of a population id, an actor id, an action type, a resource id or a resource type',
  'audit-guide':
    'PingOne API guide, "Working with audit activities and events" (apidocs.pingidentity.com/pingone/customer/v1/api/guide/p1_auditActivities/): eq on correlationid, action.type, resources.type and others; gt, lt, ge, le on recordedat',
  'openapi-activities-example': 'PingOne OpenAPI spec, activities `filter` example `recordedat gt "…" AND recordedat lt "…"`',
  'openapi-roles-example': 'PingOne OpenAPI spec, readAllCustomAdminRoles `filter` example `type eq "CUSTOM"`',
  'openapi-licenses-example': 'PingOne OpenAPI spec, readAllLicenses `filter` example `beginsAt lt "{{now}}"`',
} as const);

export type FilterSource = keyof typeof FILTER_SOURCES;

/**
 * What kind of evidence a source is: PingOne's own pages or spec (`documented`), real traffic (`recorded`), Ping's
 * SDK or Terraform provider sending it to the service (`vendor-code`), someone else's code (`third-party`), our own
 * reading (`inferred`), or a source saying the opposite (`contradicts`).
 */
export type SourceKind = 'documented' | 'recorded' | 'vendor-code' | 'third-party' | 'inferred' | 'contradicts';

export const SOURCE_KINDS: Readonly<Record<FilterSource, SourceKind>> = Object.freeze({
  'scim-filter-doc': 'documented',
  'read-all-users': 'documented',
  'openapi-users-example': 'documented',
  'schema-docs': 'documented',
  'read-all-groups': 'documented',
  'read-all-populations': 'documented',
  'tf-users': 'vendor-code',
  'tf-groups': 'vendor-code',
  har: 'recorded',
  'older-users-page': 'contradicts',
  'third-party-mcp': 'third-party',
  'allows-contains-reading': 'inferred',
  composition: 'inferred',
  'openapi-environments': 'documented',
  'goclient-environments': 'vendor-code',
  'read-audit-activities': 'documented',
  'audit-guide': 'documented',
  'openapi-activities-example': 'documented',
  'openapi-roles-example': 'documented',
  'openapi-licenses-example': 'documented',
});

/** How strong a cell's evidence is: its strongest source, or `contested` when a source contradicts it. */
export type CellStrength = Exclude<SourceKind, 'contradicts'> | 'contested';

export interface CellEvidence {
  readonly sources: readonly FilterSource[];
  readonly strength: CellStrength;
  /** contested, third-party or inferred: the driver pushes it only with its fallback (re-plan on refusal) */
  readonly weak: boolean;
}

const ORDER: readonly CellStrength[] = ['documented', 'recorded', 'vendor-code', 'third-party', 'inferred'];
const WEAK: ReadonlySet<CellStrength> = new Set(['contested', 'third-party', 'inferred']);

/** Cell names of the membership shapes (also the keys the driver remembers refusals by). */
export const MEMBERSHIP_CELL = 'memberOfGroups[id eq …]';
export const TYPED_MEMBERSHIP_CELL = 'memberOfGroups[id eq … and type eq "DIRECT"]';
export const MEMBERSHIP_COMBINED_CELL = 'memberOfGroups[…] or memberOfGroups[…], and other conditions';
export const TYPED_MEMBERSHIP_COMBINED_CELL = 'memberOfGroups[id eq … and type eq "DIRECT"] with other conditions';

function evidence(sources: readonly FilterSource[]): CellEvidence {
  const kinds = sources.map((s) => SOURCE_KINDS[s]);
  const strength: CellStrength = kinds.includes('contradicts')
    ? 'contested'
    : (ORDER.find((k) => kinds.includes(k as SourceKind)) ?? 'inferred');
  return Object.freeze({ sources: Object.freeze([...sources]), strength, weak: WEAK.has(strength) });
}

function cellSources(): Record<FilterableResource, Record<string, FilterSource[]>> {
  const users: Record<string, FilterSource[]> = {
    'id eq': ['tf-users'],
    'population.id eq': ['tf-users'],
    'email ew': ['scim-filter-doc', 'older-users-page'],
    'name.given ew': ['scim-filter-doc', 'older-users-page'],
    'name.family ew': ['scim-filter-doc', 'older-users-page'],
    'name.given co': ['third-party-mcp', 'older-users-page'],
    'name.family co': ['third-party-mcp', 'older-users-page'],
    'custom eq': ['schema-docs'],
    'custom sw': ['read-all-users', 'scim-filter-doc'],
    'custom co (allowsContainsOperator)': ['allows-contains-reading'],
    [MEMBERSHIP_CELL]: ['read-all-users', 'har'],
    [TYPED_MEMBERSHIP_CELL]: ['har'],
    [MEMBERSHIP_COMBINED_CELL]: ['openapi-users-example', 'read-all-users', 'tf-users'],
    [TYPED_MEMBERSHIP_COMBINED_CELL]: ['composition'],
  };
  for (const attribute of [...USER_EQ_SW_ATTRIBUTES, 'email', 'name.given', 'name.family']) {
    for (const op of ['eq', 'sw']) users[`${attribute} ${op}`] = ['scim-filter-doc', 'read-all-users', 'tf-users'];
  }
  const groups: Record<string, FilterSource[]> = {
    'displayName eq': ['read-all-groups'],
    'displayName sw': ['read-all-groups'],
    'sourceId eq': ['read-all-groups'],
    [TYPED_MEMBERSHIP_CELL]: ['har'],
  };
  for (const cell of ['id eq', 'population.id eq', 'name eq', 'name sw', 'externalId eq', 'externalId sw'])
    groups[cell] = ['read-all-groups', 'tf-groups'];
  const populations: Record<string, FilterSource[]> = {
    'id eq': ['read-all-populations'],
    'name sw': ['read-all-populations'],
    'name eq': ['read-all-populations'],
  };
  const environments: Record<string, FilterSource[]> = {
    'name sw': ['openapi-environments'],
    'license.id eq': ['openapi-environments'],
    'id eq': ['goclient-environments'],
    'organization.id eq': ['goclient-environments'],
    'status eq': ['goclient-environments'],
  };
  const activities: Record<string, FilterSource[]> = {
    'recordedat gt': ['read-audit-activities', 'audit-guide', 'openapi-activities-example'],
    'recordedat lt': ['read-audit-activities', 'audit-guide', 'openapi-activities-example'],
    'recordedat ge': ['audit-guide'],
    'recordedat le': ['audit-guide'],
    'correlationid eq': ['audit-guide'],
    'action.type eq': ['read-audit-activities', 'audit-guide'],
    'resources.type eq': ['read-audit-activities', 'audit-guide'],
    'resources.id eq': ['read-audit-activities'],
    'resources.population.id eq': ['read-audit-activities'],
    'actors.user.id eq': ['read-audit-activities'],
  };
  const none = {};
  return {
    users,
    groups,
    populations,
    environments,
    activities,
    roles: { 'type eq': ['openapi-roles-example'] },
    licenses: { 'beginsAt lt': ['openapi-licenses-example'] },
    userRoleAssignments: none,
    groupRoleAssignments: none,
    applicationRoleAssignments: none,
    organizations: none,
    applications: none,
    applicationGrants: none,
    applicationAttributes: none,
    identityProviders: none,
    linkedAccounts: none,
    sessions: none,
    passwordPolicies: none,
  };
}

let cached: Readonly<Record<FilterableResource, Readonly<Record<string, CellEvidence>>>> | undefined;

/** `resource` → cell (`attribute op`, `custom op`, `custom co (allowsContainsOperator)`, a membership shape) → evidence. */
export function filterCellEvidence(): Readonly<Record<FilterableResource, Readonly<Record<string, CellEvidence>>>> {
  cached ??= Object.freeze(
    Object.fromEntries(
      Object.entries(cellSources()).map(([resource, cells]) => [
        resource,
        Object.freeze(Object.fromEntries(Object.entries(cells).map(([cell, sources]) => [cell, evidence(sources)]))),
      ]),
    ) as Record<FilterableResource, Record<string, CellEvidence>>,
  );
  return cached;
}

/** `resource` → cell → sources (filterCellEvidence without the strength). */
export function filterCellSources(): Readonly<Record<FilterableResource, Readonly<Record<string, readonly FilterSource[]>>>> {
  const all = filterCellEvidence();
  return Object.fromEntries(
    Object.entries(all).map(([resource, cells]) => [
      resource,
      Object.fromEntries(Object.entries(cells).map(([cell, e]) => [cell, e.sources])),
    ]),
  ) as Record<FilterableResource, Record<string, readonly FilterSource[]>>;
}

/** Every cell FILTER_CAPABILITIES claims, in the key format of filterCellEvidence. */
export function claimedFilterCells(resource: FilterableResource): string[] {
  const caps = FILTER_CAPABILITIES[resource];
  const cells = Object.entries(caps.attributes).flatMap(([attribute, ops]) => ops.map((op) => `${attribute} ${op}`));
  cells.push(...caps.customAttributeOperators.map((op) => `custom ${op}`));
  cells.push(...caps.customContainsOperators.map((op) => `custom ${op} (allowsContainsOperator)`));
  if (caps.memberOfGroups) cells.push(...(resource === 'users' ? [MEMBERSHIP_CELL, TYPED_MEMBERSHIP_CELL] : [TYPED_MEMBERSHIP_CELL]));
  if (caps.memberOfGroupsCombined) cells.push(MEMBERSHIP_COMBINED_CELL, TYPED_MEMBERSHIP_COMBINED_CELL);
  return cells;
}

/** The per-cell source table of docs/pingone-filters.md (between its `cells` markers; `pnpm generate:docs`). */
export function filterSourcesMarkdown(): string {
  const all = filterCellEvidence();
  const lines = ['| resource | cell | sources | strength |', '|---|---|---|---|'];
  for (const resource of Object.keys(FILTER_CAPABILITIES) as FilterableResource[]) {
    for (const cell of claimedFilterCells(resource)) {
      const e = all[resource][cell];
      lines.push(
        `| ${resource} | \`${cell}\` | ${e ? e.sources.join(', ') : '**none**'} | ${e ? `${e.strength}${e.weak ? ' (weak: pushed with the fallback)' : ''}` : '**none**'} |`,
      );
    }
  }
  return lines.join('\n');
}
