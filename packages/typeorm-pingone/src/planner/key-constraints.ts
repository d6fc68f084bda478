import { FILTER_CAPABILITIES, scim } from '@typeorm-pingone/client';
import type { TableMapping } from '../mapping/table-mapping';
import type { AliasConstraints } from './alias-constraints';
import { operatorsFor } from './pushdown';
import { parentOf } from '../mapping/parent-key';

/** Join keys pushed as an or-of-eq filter (sent in parallel parts that fit the URL budget); more keys read the table. */
export const MAX_KEY_FILTER = 500;

/**
 * Key values a sub-query produced for some columns of an alias: ids become constants (GET/list by id), other columns an
 * or-of-eq filter where PingOne supports eq; no values at all means no row can match.
 */
export function withKeys(found: AliasConstraints, mapping: TableMapping, keys: ReadonlyMap<string, unknown[]>): AliasConstraints {
  const constants = new Map(found.constants);
  const pushed = [...found.pushed];
  for (const [column, values] of keys) {
    const strings = values.filter((v): v is string => typeof v === 'string' && v !== '');
    if (mapping.kind === 'membership' || column === mapping.idColumn || parentOf(mapping)?.column.column === column) {
      constants.set(column, strings);
      continue;
    }
    const attribute = mapping.byColumn.get(column);
    if (strings.length === 0) constants.set(mapping.idColumn, []);
    else if (
      attribute &&
      strings.length <= MAX_KEY_FILTER &&
      operatorsFor(mapping, attribute).includes('eq') &&
      (strings.length === 1 || FILTER_CAPABILITIES[mapping.resource].logicalOperators.includes('or'))
    ) {
      pushed.push({ filter: scim.or(...strings.map((v) => scim.eq(attribute.attribute, v))), exact: false });
    }
  }
  return { ...found, constants, pushed };
}
