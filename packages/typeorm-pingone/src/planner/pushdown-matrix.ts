import { caseRuleOf, FILTER_CAPABILITIES, filterCellEvidence } from '@typeorm-pingone/client';
import { ATTRIBUTE_CATALOG, RESOURCE_NAMES } from '../mapping/attribute-catalog';
import { MAX_CASE_VARIANTS } from './case-variants';

const SQL_FOR: Readonly<Record<string, string>> = {
  eq: "`col = v`, `IN (…)` (or of eq); `LIKE 'v'` without wildcards on username and email, or when v has no ASCII letter",
  sw: "`LIKE 'v%'`, `ILike('v%')`; `LIKE 'v'` without wildcards elsewhere",
  ew: "`LIKE '%v'`, `ILike('%v')`",
  co: "`LIKE '%v%'`, `ILike('%v%')` (where the table has `co`)",
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
    'alasql, and the whole WHERE is always re-checked locally, so a pushed filter only has to select a superset.',
    '',
    'PingOne documents its case rule only for username and email (case-insensitive). On every other string attribute a',
    `LIKE piece is pushed as the OR of its case variants (\`name sw "c" or name sw "C"\`), at most ${MAX_CASE_VARIANTS} of them (the piece is`,
    'shortened to its first three letters, or last three for a suffix), so the filter is a superset whether PingOne compares',
    "case-sensitively or not; `=` stays `eq` (SQL's `=` is case-sensitive too).",
    '',
    'When PingOne refuses a pushed filter (400 about the filter), the load step that sent it is re-planned with the refused',
    'condition evaluated locally and the statement still answers; the refusal is remembered for the DataSource (and in the',
    'shared Redis store when one is configured), logged once as a warning, and shown by EXPLAIN. Operators marked *weak*',
    'rest on contested or inferred sources (docs/pingone-filters.md): the first request that relies on one not yet seen',
    'accepted is sent alone (a probe), the others of the statement follow its answer, so a refusal costs one request.',
    '',
    '| SQL | SCIM sent to PingOne |',
    '|---|---|',
    ...Object.entries(SQL_FOR).map(([op, sql]) => `| ${sql} | \`${op}\` |`),
    '| `AND`, `OR`, parentheses of pushable conditions | `and`, `or`, `( )` (an AND with an unpushable side pushes the other side) |',
    '| `id = v` | `GET /<resource>/{id}` (no filter) |',
    '| join on a relation | keys of the rows already fetched: `id eq … or …` (50 per request), `population.id eq …` |',
    "| a filter whose URL would exceed the client's request-size budget (`maxUrlLength`, default 4096) | split at its OR-lists into several requests, results combined by id |",
    '| users ↔ groups (`@ManyToMany`) | `GET /users?filter=memberOfGroups[id eq "…" and type eq "DIRECT"]` per group (narrowed to known users with `and (id eq … or …)`, a *weak* shape), or `GET /users/{id}/memberOfGroups?expand=group` per user (the groups embedded: no request for them): whichever takes fewer requests |',
    "| `COUNT(*)` whose WHERE PingOne evaluates exactly (ids, booleans, no WHERE) | one request, answered from PingOne's `count`; when PingOne leaves `count` out (many matches), the pages of that same request are counted |",
    '| `LIMIT` without ORDER BY / GROUP BY / joins | paging stops as soon as enough rows pass the local WHERE |',
    '| anything else: ORDER BY, GROUP BY, aggregates, functions, dates, `IS NULL`, `NOT`, `<>`, `<`, `>` | runs locally in alasql |',
    '',
  ];
  for (const resource of RESOURCE_NAMES) {
    const caps = FILTER_CAPABILITIES[resource];
    lines.push(`## ${resource}`, '', '| attribute | operators pushed | read-only |', '|---|---|---|');
    const evidence = filterCellEvidence()[resource];
    const code = (cell: (op: string) => string, ops: readonly string[]) =>
      ops.map((o) => `\`${o}\`${evidence[cell(o)]?.weak ? ' *weak*' : ''}`).join(', ');
    for (const [attribute, info] of Object.entries(ATTRIBUTE_CATALOG[resource])) {
      const ops = caps.attributes[attribute] ?? [];
      const kind =
        info.kind === 'string' && ops.length > 0 ? (caseRuleOf(resource, attribute) === 'unknown' ? ' (case variants)' : '') : '';
      lines.push(
        `| \`${attribute}\` | ${ops.length ? `${code((o) => `${attribute} ${o}`, ops)}${kind}` : '— (local)'} | ${info.readOnly ? 'yes' : ''} |`,
      );
    }
    if (caps.customAttributeOperators.length)
      lines.push(
        `| custom attributes (\`customUserAttributes\`) | ${code((o) => `custom ${o}`, caps.customAttributeOperators)} (case variants) | |`,
      );
    if (caps.customContainsOperators.length)
      lines.push(
        `| custom attributes declared \`{ name, allowsContainsOperator: true }\` | ${code((o) => (o === 'co' ? 'custom co (allowsContainsOperator)' : `custom ${o}`), [...caps.customAttributeOperators, ...caps.customContainsOperators])} (case variants) | |`,
      );
    lines.push(
      '',
      `Page size: up to ${caps.maxPageSize}. memberOfGroups filter: ${caps.memberOfGroups ? (caps.memberOfGroupsCombined ? 'yes, also ORed and ANDed with other conditions' : 'yes, as the whole filter') : 'no'}.`,
      '',
    );
  }
  return `${lines.join('\n')}`;
}
