import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from '../typeorm-internals';
import { DIRECTORY_ENDPOINTS } from '@typeorm-pingone/client';
import {
  ATTRIBUTE_CATALOG,
  isCoreResource,
  RESOURCE_NAMES,
  RESOURCE_TABLES,
  resourceOfTable,
  type AttributeKind,
  type ResourceName,
} from './attribute-catalog';
import { flattened, PathSet, resolveColumnPath } from './column-path';
import { normalizedName } from './attribute-vocabulary';
import type { CustomAttribute } from './custom-attributes';
import { MappingProblems } from './mapping-problems';
import { knownAttributesNotes, relationMeaning, specialColumnProblem, typeProblem, unknownAttribute } from './mapping-messages';
import type { ColumnMapping, ResourceTableMapping, TableMapping } from './table-mapping';
import { junctionMapping, TYPED_MEMBERSHIP_TABLE, typedMembershipMapping } from './membership-mappings';

function kindOf(column: ColumnMetadata): AttributeKind | undefined {
  const type = column.type;
  if (type === Boolean || type === 'boolean') return 'boolean';
  if (type === Date || type === 'datetime' || type === 'date') return 'datetime';
  if (type === 'simple-json' || type === 'json') return 'json';
  if (type === 'simple-array') return 'array';
  if (type === Number || ['int', 'integer', 'float', 'double', 'real', 'numeric', 'decimal', 'bigint', 'smallint'].includes(String(type)))
    return 'number';
  if (type === String || ['varchar', 'text', 'simple-enum', 'uuid', 'nvarchar', 'character'].includes(String(type))) return 'string';
  return undefined;
}

interface ColumnContext {
  readonly entity: EntityMetadata;
  readonly resource: ResourceName;
  readonly known: PathSet;
  readonly custom: ReadonlyMap<string, CustomAttribute>;
  readonly schemaRead: boolean;
  readonly problems: MappingProblems;
}

/** The column's mapping, or undefined after adding its problem. */
function mapColumn(context: ColumnContext, column: ColumnMetadata): ColumnMapping | undefined {
  const { entity, resource, known, custom, problems } = context;
  const special = specialColumnProblem(entity, column);
  if (special) return void problems.add(special);
  const createOrUpdate = column.isCreateDate ? 'createdAt' : column.isUpdateDate ? 'updatedAt' : undefined;
  const resolved = resolveColumnPath(column, known);
  // @CreateDateColumn / @UpdateDateColumn are PingOne's createdAt / updatedAt whatever the column is called.
  const attribute = createOrUpdate ?? resolved.attribute;
  if (!attribute && isSecret(resource, resolved.spelled)) {
    return void problems.add(
      `${entity.name}.${column.propertyPath} maps to '${resolved.spelled}', a secret: secrets are never columns (the client drops them from every answer). Remove the column; code that needs the secret reads it from PingOne itself, never through SQL.`,
    );
  }
  if (!attribute) {
    const relation = column.relationMetadata;
    const notes =
      relation && relationMeaning(resource, column, known).instead ? [] : knownAttributesNotes(resource, custom, context.schemaRead);
    return void problems.add(unknownAttribute(entity, resource, column, resolved.spelled, known), ...notes);
  }
  const catalogued = ATTRIBUTE_CATALOG[resource][attribute];
  const customAttribute = catalogued ? undefined : custom.get(attribute.split('.')[0]);
  const kind = kindOf(column);
  const expected = catalogued?.kind ?? customAttribute?.kind;
  if (!kind || (expected && kind !== expected && !(expected === 'array' && kind === 'json'))) {
    return void problems.add(typeProblem(entity, column, attribute, expected, customAttribute));
  }
  return Object.freeze({
    column: column.databaseName,
    attribute,
    path: Object.freeze(attribute.split('.')),
    kind,
    readOnly: catalogued?.readOnly ?? false,
    writeOnly: catalogued?.writeOnly ?? false,
    custom: customAttribute !== undefined,
    property: `${entity.name}.${column.relationMetadata ? column.relationMetadata.propertyName : column.propertyPath}`,
    nullable: column.isNullable || column.isPrimary,
    allowsContains: customAttribute?.allowsContains ?? false,
    ...(catalogued?.include ? { include: catalogued.include } : {}),
  });
}

/**
 * Maps every entity of the DataSource to PingOne, or throws one PingOneMappingError (MAPPING_ERROR) that lists every
 * problem, one line each with its fix, and what exists. Several entity classes may share a table (e.g. a full User
 * and a subset Contractor view of "users"): their columns are merged and must agree.
 */
export function buildMappings(
  entities: readonly EntityMetadata[],
  custom: ReadonlyMap<string, CustomAttribute>,
  schemaRead = false,
): ReadonlyMap<string, TableMapping> {
  const known = new Map<ResourceName, PathSet>(
    RESOURCE_NAMES.map((r) => [r, new PathSet([...Object.keys(ATTRIBUTE_CATALOG[r]), ...(r === 'users' ? custom.keys() : [])])]),
  );
  const problems = new MappingProblems();
  const tables = new Map<string, TableMapping>();
  for (const entity of entities) {
    if (entity.tableType === 'junction') {
      const membership = junctionMapping(entity, problems);
      if (membership) tables.set(entity.tablePath, membership);
      continue;
    }
    if (entity.tableName === TYPED_MEMBERSHIP_TABLE) {
      const typed = typedMembershipMapping(entity, problems);
      if (typed) tables.set(entity.tablePath, typed);
      continue;
    }
    const resource = resourceOfTable(entity.tableName);
    if (!resource) {
      const key = normalizedName(entity.tableName);
      const meant = Object.hasOwn(TABLES_MEANT, key) ? TABLES_MEANT[key] : undefined;
      problems.add(
        `Entity ${entity.name} uses table '${entity.tableName}', which is not a PingOne resource. ` +
          `Use ${meant ? `@Entity('${meant}')` : `a PingOne table (${RESOURCE_NAMES.map((r) => RESOURCE_TABLES[r]).join(', ')}, or the membership tables)`}${meant ? '' : ', or keep this table in your own database'}.`,
      );
      continue;
    }
    const existing = tables.get(entity.tablePath) as ResourceTableMapping | undefined;
    const byColumn = new Map(existing?.byColumn ?? []);
    const before = problems.count;
    const context: ColumnContext = {
      entity,
      resource,
      known: known.get(resource)!,
      custom: resource === 'users' ? custom : new Map(),
      schemaRead,
      problems,
    };
    for (const column of entity.columns) {
      const mapped = mapColumn(context, column);
      if (!mapped) continue;
      const previous = byColumn.get(mapped.column);
      if (previous && previous.attribute !== mapped.attribute) {
        problems.add(
          `Column '${mapped.column}' of table '${entity.tableName}' maps to both '${previous.attribute}' (${previous.property}) and '${mapped.attribute}' (${mapped.property}); give one of them another column name.`,
        );
        continue;
      }
      byColumn.set(mapped.column, mapped);
    }
    const id = [...byColumn.values()].find((c) => c.attribute === 'id');
    const parent = isCoreResource(resource) ? undefined : DIRECTORY_ENDPOINTS[resource].parent;
    const parentColumn = parent && [...byColumn.values()].find((c) => c.attribute === parent.attribute);
    const primary = entity.primaryColumns.map((c) => c.databaseName);
    // A child's key may be its parent's id and its own (TypeORM's remove() then names both, as PingOne's path does).
    const keys = primary.filter((p) => p !== parentColumn?.column);
    // A primary column whose own mapping failed has its problem already; the entity's shape is judged otherwise.
    const primaryFailed = problems.count > before && primary.some((p) => !byColumn.has(p));
    if (!primaryFailed && (!id || keys.length !== 1 || keys[0] !== id.column)) {
      problems.add(
        `Entity ${entity.name} must have exactly one primary column, mapped to PingOne's id (e.g. @PrimaryGeneratedColumn('uuid') id: string)${parent ? `, and may add its parent's ('${parent.attribute}')` : ''}.`,
      );
    }
    if (parent && !parentColumn) {
      problems.add(
        `Entity ${entity.name} (table '${entity.tableName}') must map '${parent.attribute}' (e.g. @Column({ type: 'varchar' }) ${flattened(parent.attribute)}: string): PingOne lists ${entity.tableName} only per ${RESOURCE_TABLES[parent.resource].replace(/s$/, '')}, and statements name them by it.`,
      );
    }
    tables.set(
      entity.tablePath,
      Object.freeze({
        kind: 'resource',
        table: entity.tablePath,
        environment: entity.schema,
        resource,
        columns: Object.freeze([...byColumn.values()]),
        byColumn,
        idColumn: id?.column ?? '',
      }),
    );
  }
  problems.throwIfAny();
  return tables;
}

/** Table names ported apps use for PingOne's resources. */
const TABLES_MEANT: Readonly<Record<string, string>> = {
  user: 'users',
  accounts: 'users',
  account: 'users',
  people: 'users',
  person: 'users',
  members: 'users',
  employees: 'users',
  identities: 'users',
  group: 'groups',
  teams: 'groups',
  team: 'groups',
  role: 'roles',
  adminroles: 'roles',
  population: 'populations',
  tenants: 'populations',
  organisations: 'organizations',
  orgs: 'organizations',
  sessions: 'user_sessions',
  usersessions: 'user_sessions',
  apps: 'applications',
  application: 'applications',
  clients: 'applications',
  idps: 'identity_providers',
  identityproviders: 'identity_providers',
  activities: 'audit_activities',
  auditlog: 'audit_activities',
  events: 'audit_activities',
  passwordpolicies: 'password_policies',
  roleassignments: 'user_role_assignments',
  useradminroleassignments: 'user_role_assignments',
  groupadminroleassignments: 'group_role_assignments',
  applicationadminroleassignments: 'application_role_assignments',
  linkedaccounts: 'linked_accounts',
  parentgroupassociations: 'group_nesting',
  usergroupassociations: 'user_group_memberships',
};

/** Whether a spelled attribute is one of the resource's secrets (an application's clientSecret). */
function isSecret(resource: ResourceName, spelled: string): boolean {
  if (isCoreResource(resource)) return false;
  const secrets = DIRECTORY_ENDPOINTS[resource].secrets ?? [];
  return secrets.some((s) => s.toLowerCase() === spelled.toLowerCase().replace(/[_\s-]/g, ''));
}

/** Whether a users entity has a column that is no built-in attribute: only then is the user schema worth reading. */
export function mapsUnknownUserColumns(entities: readonly EntityMetadata[]): boolean {
  const builtIn = new PathSet(Object.keys(ATTRIBUTE_CATALOG.users));
  return entities.some(
    (e) =>
      e.tableType !== 'junction' &&
      e.tableName === 'users' &&
      e.columns.some((c) => !c.isCreateDate && !c.isUpdateDate && resolveColumnPath(c, builtIn).attribute === undefined),
  );
}
