import { FILTER_CAPABILITIES, USER_EQ_SW_ATTRIBUTES, type FilterableResource } from './filter-capabilities';

/** The sources a capability cell can cite (full references in docs/pingone-filters.md). */
export const FILTER_SOURCES = Object.freeze({
  'scim-filter-doc': 'PingOne admin guide, "SCIM filter language" (docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html): eq/sw on the listed user attributes, ew and co on name.given and name.family, ew on email',
  'read-all-users': 'PingOne Platform API, "Read all users" (developer.pingidentity.com/pingone-api/platform/users/users-1/read-all-users.html): the filterable user attributes; sw on custom string attributes; the example "read all users in a group with another attribute"',
  'openapi-users-example': 'PingOne OpenAPI spec, readAllUsers `filter` example: `memberOfGroups[id eq "{{groupID}}"] and name.family eq "demo"`',
  'schema-docs': 'PingOne Platform API, schema attributes: `filter=shirtSize eq "Large"` (eq on a custom attribute); Schema.allowsContainsOperator ("the contains operator … in a maximum of 5 custom attributes", OpenAPI spec)',
  'tf-users': "Ping's Terraform provider: data_source_users.go filterableAttributes, data_source_user.go (id eq), resource_population.go readUsers (population.id eq), internal/filter/scimFilter.go (ORs several memberOfGroups terms and ANDs them with attributes)",
  'tf-groups': "Ping's Terraform provider: data_source_groups.go (name, externalId eq/sw; id, population.id eq)",
  'har': 'Real PingOne recordings (JupiterOne graph-pingidentity, 2022): `memberOfGroups[id eq "…" and type eq "DIRECT"]` on /users and /groups',
  'read-all-populations': 'PingOne Platform API, "Read all populations" and the query-parameter quick reference: name sw, id eq; the Terraform provider\'s data_source_populations_test.go uses name eq against the real service',
} as const);

export type FilterSource = keyof typeof FILTER_SOURCES;

/** `resource` → cell (`attribute op`, `custom op`, `custom co (allowsContainsOperator)`, `memberOfGroups…`) → sources. */
export function filterCellSources(): Readonly<Record<FilterableResource, Readonly<Record<string, readonly FilterSource[]>>>> {
  const users: Record<string, FilterSource[]> = {
    'id eq': ['tf-users'],
    'population.id eq': ['tf-users'],
    'email ew': ['scim-filter-doc'],
    'name.given ew': ['scim-filter-doc'],
    'name.family ew': ['scim-filter-doc'],
    'name.given co': ['scim-filter-doc'],
    'name.family co': ['scim-filter-doc'],
    'custom eq': ['schema-docs'],
    'custom sw': ['read-all-users', 'scim-filter-doc'],
    'custom co (allowsContainsOperator)': ['schema-docs'],
    'memberOfGroups[id eq …]': ['read-all-users', 'har'],
    'memberOfGroups[id eq … and type eq "DIRECT"]': ['har'],
    'memberOfGroups[…] or memberOfGroups[…], and other conditions': ['openapi-users-example', 'read-all-users', 'tf-users'],
  };
  for (const attribute of [...USER_EQ_SW_ATTRIBUTES, 'email', 'name.given', 'name.family']) {
    for (const op of ['eq', 'sw']) users[`${attribute} ${op}`] = ['scim-filter-doc', 'read-all-users', 'tf-users'];
  }
  return Object.freeze({
    users: Object.freeze(users),
    groups: Object.freeze<Record<string, FilterSource[]>>({
      'id eq': ['tf-groups'], 'population.id eq': ['tf-groups'], 'name eq': ['tf-groups'], 'name sw': ['tf-groups'],
      'externalId eq': ['tf-groups'], 'externalId sw': ['tf-groups'],
      'memberOfGroups[id eq … and type eq "DIRECT"]': ['har'],
    }),
    populations: Object.freeze<Record<string, FilterSource[]>>({ 'id eq': ['read-all-populations'], 'name sw': ['read-all-populations'], 'name eq': ['read-all-populations'] }),
  });
}

/** Every cell FILTER_CAPABILITIES claims, in the key format of filterCellSources. */
export function claimedFilterCells(resource: FilterableResource): string[] {
  const caps = FILTER_CAPABILITIES[resource];
  const cells = Object.entries(caps.attributes).flatMap(([attribute, ops]) => ops.map((op) => `${attribute} ${op}`));
  cells.push(...caps.customAttributeOperators.map((op) => `custom ${op}`));
  cells.push(...caps.customContainsOperators.map((op) => `custom ${op} (allowsContainsOperator)`));
  if (caps.memberOfGroups) cells.push(resource === 'users' ? 'memberOfGroups[id eq …]' : 'memberOfGroups[id eq … and type eq "DIRECT"]');
  if (caps.memberOfGroupsCombined) cells.push('memberOfGroups[…] or memberOfGroups[…], and other conditions');
  return cells;
}

/** The per-cell source table of docs/pingone-filters.md (between its `cells` markers; `pnpm generate:docs`). */
export function filterSourcesMarkdown(): string {
  const sources = filterCellSources();
  const lines = ['| resource | cell | sources |', '|---|---|---|'];
  for (const resource of Object.keys(FILTER_CAPABILITIES) as FilterableResource[]) {
    for (const cell of claimedFilterCells(resource)) {
      lines.push(`| ${resource} | \`${cell}\` | ${(sources[resource][cell] ?? ['**none**']).join(', ')} |`);
    }
    for (const [attribute, ops] of Object.entries(FILTER_CAPABILITIES[resource].unsourced)) {
      for (const op of ops) lines.push(`| ${resource} | \`${attribute} ${op}\` | unsourced: not pushed |`);
    }
  }
  return lines.join('\n');
}
