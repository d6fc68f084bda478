import { FILTER_CAPABILITIES } from '@typeorm-pingone/client';
import { ATTRIBUTE_CATALOG, RESOURCE_NAMES } from '../mapping/attribute-catalog';

const SQL_FOR: Readonly<Record<string, string>> = {
  eq: '`col = v`, `IN (…)` (or of eq), `LIKE \'v\'` without wildcards',
  sw: "`LIKE 'v%'`, `ILike('v%')`",
  ew: "`LIKE '%v'`, `ILike('%v')`",
  co: "`LIKE '%v%'`, `ILike('%v%')` (where PingOne documents `co`)",
};

/**
 * docs/pushdown.md, generated from the capability table the planner uses (FILTER_CAPABILITIES) and the attribute
 * catalog, so the documentation can't drift from the code (a test compares them).
 */
export function pushdownMatrixMarkdown(): string {
  const lines = [
    '# What the driver pushes to PingOne',
    '',
    '<!-- Generated from FILTER_CAPABILITIES and ATTRIBUTE_CATALOG by `pnpm generate:docs`; a test fails when this file is stale. -->',
    '',
    'Every SELECT is planned per table: conditions PingOne can evaluate become a SCIM `filter`, the rest runs locally in',
    'alasql, and the whole WHERE is always re-checked locally (PingOne compares strings case-insensitively; SQL does not).',
    '',
    '| SQL | SCIM sent to PingOne |',
    '|---|---|',
    ...Object.entries(SQL_FOR).map(([op, sql]) => `| ${sql} | \`${op}\` |`),
    "| `AND`, `OR`, parentheses of pushable conditions | `and`, `or`, `( )` (an AND with an unpushable side pushes the other side) |",
    '| `id = v` | `GET /<resource>/{id}` (no filter) |',
    '| join on a relation | keys of the rows already fetched: `id eq … or …` (50 per request), `population.id eq …` |',
    "| a filter whose URL would exceed the client's request-size budget (`maxUrlLength`, default 4096) | split at its OR-lists into several requests, results combined by id |",
    '| users ↔ groups (`@ManyToMany`) | `GET /users?filter=memberOfGroups[id eq "…" and type eq "DIRECT"]` per group, or `GET /users/{id}/memberOfGroups` per user: whichever takes fewer requests |',
    "| `COUNT(*)` whose WHERE PingOne evaluates exactly (ids, booleans, no WHERE) | one request, answered from PingOne's `count`; when PingOne leaves `count` out (many matches), the pages of that same request are counted |",
    '| `LIMIT` without ORDER BY / GROUP BY / joins | paging stops as soon as enough rows pass the local WHERE |',
    '| anything else: ORDER BY, GROUP BY, aggregates, functions, dates, `IS NULL`, `NOT`, `<>`, `<`, `>` | runs locally in alasql |',
    '',
  ];
  for (const resource of RESOURCE_NAMES) {
    const caps = FILTER_CAPABILITIES[resource];
    lines.push(`## ${resource}`, '', '| attribute | operators pushed | read-only |', '|---|---|---|');
    for (const [attribute, info] of Object.entries(ATTRIBUTE_CATALOG[resource])) {
      const ops = caps.attributes[attribute] ?? [];
      lines.push(`| \`${attribute}\` | ${ops.length ? ops.map((o) => `\`${o}\``).join(', ') : '— (local)'} | ${info.readOnly ? 'yes' : ''} |`);
    }
    const code = (ops: readonly string[]) => ops.map((o) => `\`${o}\``).join(', ');
    if (caps.customAttributeOperators.length) lines.push(`| custom attributes (\`customUserAttributes\`) | ${code(caps.customAttributeOperators)} | |`);
    if (caps.customContainsOperators.length) lines.push(`| custom attributes declared \`{ name, allowsContainsOperator: true }\` | ${code([...caps.customAttributeOperators, ...caps.customContainsOperators])} | |`);
    for (const [attribute, ops] of Object.entries(caps.unsourced)) lines.push(`| \`${attribute}\` ${code(ops)} | not pushed: no source documents it (docs/pingone-filters.md) | |`);
    lines.push('', `Page size: up to ${caps.maxPageSize}. memberOfGroups filter: ${caps.memberOfGroups ? (caps.memberOfGroupsCombined ? 'yes, also ORed and ANDed with other conditions' : 'yes, as the whole filter') : 'no'}.`, '');
  }
  return `${lines.join('\n')}`;
}
