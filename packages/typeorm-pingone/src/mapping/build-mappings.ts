import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from '../typeorm-internals';
import { PingOneDriverError } from '../errors';
import { ATTRIBUTE_CATALOG, RESOURCE_NAMES, type AttributeKind, type ResourceName } from './attribute-catalog';
import { declaredAttributePath } from './pingone-attribute';
import type { ColumnMapping, MembershipTableMapping, ResourceTableMapping, TableMapping } from './table-mapping';

function kindOf(column: ColumnMetadata): AttributeKind | undefined {
  const type = column.type;
  if (type === Boolean || type === 'boolean') return 'boolean';
  if (type === Date || type === 'datetime' || type === 'date') return 'datetime';
  if (type === 'simple-json' || type === 'json') return 'json';
  if (type === 'simple-array') return 'array';
  if (type === Number || ['int', 'integer', 'float', 'double', 'real', 'numeric', 'decimal', 'bigint', 'smallint'].includes(String(type))) return 'number';
  if (type === String || ['varchar', 'text', 'simple-enum', 'uuid', 'nvarchar', 'character'].includes(String(type))) return 'string';
  return undefined;
}

function attributePathOf(column: ColumnMetadata): string {
  if (column.relationMetadata?.isManyToOne || column.relationMetadata?.isOneToOneOwner) {
    return `${column.relationMetadata.propertyPath}.id`;
  }
  return declaredAttributePath(column.target, column.propertyName) ?? column.propertyPath;
}

/** A custom user attribute as declared in the DataSource option: a name, or the name with its schema's contains flag. */
export type CustomUserAttribute = string | { readonly name: string; readonly allowsContainsOperator?: boolean };

function mapColumn(entity: EntityMetadata, resource: ResourceName, column: ColumnMetadata, customAttributes: ReadonlyMap<string, boolean>): ColumnMapping {
  const attribute = attributePathOf(column);
  const known = ATTRIBUTE_CATALOG[resource][attribute];
  const custom = !known && resource === 'users' && customAttributes.has(attribute.split('.')[0]!);
  if (!known && !custom) {
    throw new PingOneDriverError('MAPPING_ERROR',
      `${entity.name}.${column.propertyPath} maps to '${attribute}', which PingOne ${resource} don't have. ` +
      `Known attributes: ${Object.keys(ATTRIBUTE_CATALOG[resource]).join(', ')}. ` +
      (resource === 'users' ? 'For a custom attribute of your user schema, list it in the DataSource option customUserAttributes. ' : '') +
      "To map a differently named property, add @PingOneAttribute('<path>').");
  }
  const kind = kindOf(column);
  const expected = known?.kind;
  if (!kind || (expected && kind !== expected && !(expected === 'array' && kind === 'json'))) {
    throw new PingOneDriverError('MAPPING_ERROR',
      `${entity.name}.${column.propertyPath} has column type ${String(typeof column.type === 'function' ? column.type.name : column.type)}, ` +
      `but PingOne's '${attribute}' is ${expected ?? 'a string, number, boolean, date, simple-json or simple-array value'}. ` +
      `Use ${expected === 'datetime' ? "type 'datetime' (a Date property)" : expected === 'json' ? "type 'simple-json'" : expected === 'array' ? "type 'simple-array' or 'simple-json'" : `a ${expected ?? 'supported'} column`}.`);
  }
  return Object.freeze({
    column: column.databaseName, attribute, path: Object.freeze(attribute.split('.')), kind,
    readOnly: known?.readOnly ?? false, writeOnly: known?.writeOnly ?? false, custom,
    allowsContains: custom && attribute === attribute.split('.')[0] && customAttributes.get(attribute) === true,
  });
}

function membershipMapping(entity: EntityMetadata): MembershipTableMapping {
  const sideOf = (column: ColumnMetadata) => column.referencedColumn?.entityMetadata.tableName;
  const columns = entity.columns;
  const user = columns.find((c) => sideOf(c) === 'users');
  const group = columns.find((c) => sideOf(c) === 'groups');
  if (!user || !group || columns.length !== 2) {
    throw new PingOneDriverError('MAPPING_ERROR',
      `The junction table '${entity.tableName}' joins ${columns.map((c) => sideOf(c) ?? '?').join(' and ')}; PingOne only has user ↔ group memberships. ` +
      'Declare @ManyToMany between an entity of table "users" and one of table "groups".');
  }
  return Object.freeze({ kind: 'membership', table: entity.tablePath, environment: entity.schema, userColumn: user.databaseName, groupColumn: group.databaseName });
}

/**
 * Maps every entity of the DataSource to PingOne, or throws one MAPPING_ERROR that says what is wrong and what
 * exists. Several entity classes may share a table (e.g. a full User and a subset Contractor view of "users"):
 * their columns are merged and must agree.
 */
export function buildMappings(entities: readonly EntityMetadata[], customUserAttributes: readonly CustomUserAttribute[]): ReadonlyMap<string, TableMapping> {
  const custom = new Map(customUserAttributes.map((a) => (typeof a === 'string' ? [a, false] : [a.name, a.allowsContainsOperator === true])));
  const tables = new Map<string, TableMapping>();
  for (const entity of entities) {
    if (entity.tableType === 'junction') {
      tables.set(entity.tablePath, membershipMapping(entity));
      continue;
    }
    const resource = RESOURCE_NAMES.find((r) => r === entity.tableName);
    if (!resource) {
      throw new PingOneDriverError('MAPPING_ERROR',
        `Entity ${entity.name} uses table '${entity.tableName}', which is not a PingOne resource. Use @Entity('users'), @Entity('groups') or @Entity('populations').`);
    }
    const existing = tables.get(entity.tablePath) as ResourceTableMapping | undefined;
    const byColumn = new Map(existing?.byColumn ?? []);
    for (const column of entity.columns) {
      const mapped = mapColumn(entity, resource, column, custom);
      const previous = byColumn.get(mapped.column);
      if (previous && previous.attribute !== mapped.attribute) {
        throw new PingOneDriverError('MAPPING_ERROR', `Column '${mapped.column}' of table '${entity.tableName}' maps to both '${previous.attribute}' and '${mapped.attribute}' in different entities; give one of them another column name.`);
      }
      byColumn.set(mapped.column, mapped);
    }
    const id = [...byColumn.values()].find((c) => c.attribute === 'id');
    const primary = entity.primaryColumns.map((c) => c.databaseName);
    if (!id || primary.length !== 1 || primary[0] !== id.column) {
      throw new PingOneDriverError('MAPPING_ERROR', `Entity ${entity.name} must have exactly one primary column, mapped to PingOne's id (e.g. @PrimaryGeneratedColumn('uuid') id: string).`);
    }
    tables.set(entity.tablePath, Object.freeze({
      kind: 'resource', table: entity.tablePath, environment: entity.schema, resource, columns: Object.freeze([...byColumn.values()]), byColumn, idColumn: id.column,
    }));
  }
  return tables;
}
