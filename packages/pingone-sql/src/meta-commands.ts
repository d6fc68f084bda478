import type { PingOneClient } from '@typeorm-pingone/client';
import { pingOneSourceOf, type TableMapping } from 'typeorm-pingone';
import { formatTable } from './table-format';
import { visible } from './value-format';

type Mappings = ReadonlyMap<string, TableMapping>;

const resourceOf = (m: TableMapping) => pingOneSourceOf(m);

/** `\dt` (and `\d` alone): every table, the PingOne resource behind it, and how many columns it has. */
export function listTables(mappings: Mappings): string {
  const rows = [...mappings.values()].map((m) => ({
    table: m.table,
    'PingOne resource': resourceOf(m),
    columns: m.kind === 'resource' ? m.columns.length : m.typeColumn ? 3 : 2,
    ...(m.environment !== undefined ? { environment: m.environment } : {}),
  }));
  return `List of tables\n${formatTable(rows)}`;
}

/** A table by the name as typed: exact, else the one case-insensitive match. */
function findTable(mappings: Mappings, name: string): TableMapping | undefined {
  const exact = mappings.get(name);
  if (exact) return exact;
  const folded = [...mappings.values()].filter((m) => m.table.toLowerCase() === name.toLowerCase());
  return folded.length === 1 ? folded[0] : undefined;
}

/**
 * `\d users`: each column beside the PingOne attribute path it holds (`nameGiven` ← `name.given`) and its type, and
 * whether PingOne lets it be written and whether it is a custom attribute of the user schema.
 */
export function describeTable(mappings: Mappings, name: string): string {
  const mapping = findTable(mappings, name);
  if (!mapping) return `Did not find any table named "${visible(name)}". Tables: ${[...mappings.keys()].join(', ')} (\\dt lists them).`;
  const title = `Table "${mapping.table}" (PingOne ${resourceOf(mapping)})`;
  if (mapping.kind === 'membership') {
    return `${title}\n${formatTable([
      {
        column: mapping.memberColumn,
        'PingOne attribute': mapping.member === 'users' ? 'id of the user' : 'id of the nested (child) group',
        type: 'string',
      },
      {
        column: mapping.groupColumn,
        'PingOne attribute': `memberOfGroups[].id${mapping.scope === 'direct' ? ' (type DIRECT)' : ''}`,
        type: 'string',
      },
      ...(mapping.typeColumn
        ? [{ column: mapping.typeColumn, 'PingOne attribute': 'memberOfGroups[].type (DIRECT or INDIRECT)', type: 'string' }]
        : []),
    ])}`;
  }
  return `${title}\n${formatTable(
    mapping.columns.map((c) => ({
      column: c.column,
      'PingOne attribute': c.attribute,
      type: c.kind,
      'read-only': c.readOnly ? 'yes' : '',
      custom: c.custom ? 'yes' : '',
    })),
    { nullText: '' },
  )}`;
}

/** `\l`: the environments the worker app's credentials can reach (`GET /environments`), the connected one marked. */
export async function listEnvironments(client: PingOneClient): Promise<string> {
  const environments = await client.listEnvironments();
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const rows = environments.map((e) => ({
    name: e.name,
    id: e.id,
    type: text(e.type),
    region: text(e.region),
    connected: e.id === client.environmentId ? '*' : '',
  }));
  return `List of environments (the credentials reach ${rows.length})\n${formatTable(rows, { nullText: '' })}`;
}
