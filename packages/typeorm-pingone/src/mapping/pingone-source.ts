import { DIRECTORY_ENDPOINTS } from '@typeorm-pingone/client';
import { isCoreResource } from './attribute-catalog';
import type { TableMapping } from './table-mapping';

/**
 * Where a table's rows come from, in PingOne's paths, as `\d` in pingone-sql shows it: `/users`, `(root) /roles +
 * /roles (type eq "CUSTOM")`, `/users/{id}/sessions (per user)`, `POST /activities`, a membership list.
 */
export function pingOneSourceOf(mapping: TableMapping): string {
  if (mapping.kind === 'membership') {
    const kind =
      mapping.scope === 'direct'
        ? 'DIRECT'
        : mapping.typeColumn
          ? 'every type, with it'
          : 'every type: nesting and dynamic groups too, read-only';
    return `/${mapping.member}/{id}/memberOfGroups (${kind})`;
  }
  if (isCoreResource(mapping.resource)) return `/${mapping.resource}`;
  const endpoint = DIRECTORY_ENDPOINTS[mapping.resource];
  const paths = endpoint.sources
    .map(
      (s) =>
        `${s.root ? '(root) ' : ''}${endpoint.post ? 'POST ' : ''}${s.path.replace('{parent}', '{id}')}${s.filter ? ` (${s.filter})` : ''}`,
    )
    .join(' + ');
  return `${paths}${endpoint.parent ? ` (per ${endpoint.parent.resource.replace(/s$/, '')})` : ''}`;
}
