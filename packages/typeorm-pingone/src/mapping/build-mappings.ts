import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from '../typeorm-internals';
import { PingOneDriverError } from '../errors';
import { ATTRIBUTE_CATALOG, RESOURCE_NAMES, type AttributeKind, type ResourceName } from './attribute-catalog';
import { closestPath, PathSet, resolveColumnPath } from './column-path';
import type { CustomAttribute } from './custom-attributes';
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

function refuseSpecial(entity: EntityMetadata, column: ColumnMetadata): void {
  const where = `${entity.name}.${column.propertyPath}`;
  if (column.isVersion) {
    throw new PingOneDriverError('MAPPING_ERROR',
      `${where} is a @VersionColumn, but PingOne keeps no version number, so optimistic locking can't work. ` +
      'Remove it; an @UpdateDateColumn() (PingOne\'s read-only updatedAt) tells when a resource last changed.');
  }
  if (column.isDeleteDate) {
    throw new PingOneDriverError('MAPPING_ERROR',
      `${where} is a @DeleteDateColumn, but PingOne has no soft deletion: a deleted resource is gone. ` +
      'Remove it; to keep a user but stop its sign-ins, set enabled = false (the user\'s `enabled` column).');
  }
  if (column.isTreeLevel || column.isNestedSetLeft || column.isNestedSetRight || column.isMaterializedPath) {
    throw new PingOneDriverError('MAPPING_ERROR', `${where} is a tree column; PingOne resources are not TypeORM trees. Remove @Tree from ${entity.name}.`);
  }
}

function unknownAttribute(entity: EntityMetadata, resource: ResourceName, column: ColumnMetadata, spelled: string, known: PathSet, custom: ReadonlyMap<string, CustomAttribute>, fromSchema: boolean): PingOneDriverError {
  const suggestion = closestPath(spelled, known.paths);
  const relation = column.relationMetadata;
  const property = relation ? relation.propertyName : column.propertyPath;
  const target = suggestion ?? '<attribute path>';
  const customHint = resource !== 'users' ? ''
    : fromSchema ? ` The environment's user schema has these custom attributes: ${[...custom.keys()].join(', ') || 'none'}; a custom attribute must exist there (add it in PingOne under Directory → User Attributes).`
      : ' For a custom attribute of your user schema, let initialize() read the schema (the worker app needs a role that can read it) or list it in the DataSource option customUserAttributes.';
  return new PingOneDriverError('MAPPING_ERROR',
    `${entity.name}.${property} maps to '${spelled}', which PingOne ${resource} don't have${suggestion ? ` (did you mean '${suggestion}'?)` : ''}: ` +
    `name the column after the attribute (${relation ? `@JoinColumn({ name: '${target}' })` : `@Column({ name: '${target}' })`}) or add @PingOneAttribute('${target}') to the property.\n` +
    `Known attributes: ${Object.keys(ATTRIBUTE_CATALOG[resource]).join(', ')}.${customHint}`);
}

function mapColumn(entity: EntityMetadata, resource: ResourceName, column: ColumnMetadata, known: PathSet, customAttributes: ReadonlyMap<string, CustomAttribute>, schemaRead: boolean): ColumnMapping {
  refuseSpecial(entity, column);
  const special = column.isCreateDate ? 'createdAt' : column.isUpdateDate ? 'updatedAt' : undefined;
  const resolved = resolveColumnPath(column, known);
  // @CreateDateColumn / @UpdateDateColumn are PingOne's createdAt / updatedAt whatever the column is called.
  const attribute = special ?? resolved.attribute;
  if (!attribute) throw unknownAttribute(entity, resource, column, resolved.spelled, known, customAttributes, schemaRead);
  const catalogued = ATTRIBUTE_CATALOG[resource][attribute];
  const customAttribute = catalogued ? undefined : customAttributes.get(attribute.split('.')[0]!);
  const kind = kindOf(column);
  const expected = catalogued?.kind ?? customAttribute?.kind;
  if (!kind || (expected && kind !== expected && !(expected === 'array' && kind === 'json'))) {
    throw new PingOneDriverError('MAPPING_ERROR',
      `${entity.name}.${column.propertyPath} has column type ${String(typeof column.type === 'function' ? column.type.name : column.type)}, ` +
      `but PingOne's '${attribute}' is ${expected ?? 'a string, number, boolean, date, simple-json or simple-array value'}` +
      `${customAttribute?.source === 'schema' ? ` (user schema: ${customAttribute.multiValued ? 'multi-valued ' : ''}${customAttribute.kind})` : ''}. ` +
      `Use ${expected === 'datetime' ? "type 'datetime' (a Date property)" : expected === 'json' ? "type 'simple-json'" : expected === 'array' ? "type 'simple-array' or 'simple-json'" : `a ${expected ?? 'supported'} column`}.`);
  }
  return Object.freeze({
    column: column.databaseName, attribute, path: Object.freeze(attribute.split('.')), kind,
    readOnly: catalogued?.readOnly ?? false, writeOnly: catalogued?.writeOnly ?? false, custom: customAttribute !== undefined,
    property: `${entity.name}.${column.relationMetadata ? column.relationMetadata.propertyName : column.propertyPath}`,
    nullable: column.isNullable || column.isPrimary,
    allowsContains: customAttribute?.allowsContains ?? false,
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
export function buildMappings(entities: readonly EntityMetadata[], custom: ReadonlyMap<string, CustomAttribute>, schemaRead = false): ReadonlyMap<string, TableMapping> {
  const known: Record<ResourceName, PathSet> = {
    users: new PathSet([...Object.keys(ATTRIBUTE_CATALOG.users), ...custom.keys()]),
    groups: new PathSet(Object.keys(ATTRIBUTE_CATALOG.groups)),
    populations: new PathSet(Object.keys(ATTRIBUTE_CATALOG.populations)),
  };
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
      const mapped = mapColumn(entity, resource, column, known[resource], resource === 'users' ? custom : new Map(), schemaRead);
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

/** Whether a users entity has a column that is no built-in attribute: only then is the user schema worth reading. */
export function mapsUnknownUserColumns(entities: readonly EntityMetadata[]): boolean {
  const builtIn = new PathSet(Object.keys(ATTRIBUTE_CATALOG.users));
  return entities.some((e) => e.tableType !== 'junction' && e.tableName === 'users'
    && e.columns.some((c) => !c.isCreateDate && !c.isUpdateDate && resolveColumnPath(c, builtIn).attribute === undefined));
}
