import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from '../typeorm-internals';
import { PathSet, resolveColumnPath } from './column-path';
import type { MappingProblems } from './mapping-problems';
import type { MembershipTableMapping } from './table-mapping';

/** Junction tables holding every membership (through nesting and dynamic groups), read-only; any other name is direct. */
export const EFFECTIVE_MEMBERSHIP_TABLES: ReadonlySet<string> = new Set(['effective_group_memberships']);
/** The typed memberships table: one row per membership PingOne lists for a user, with its DIRECT / INDIRECT type. */
export const TYPED_MEMBERSHIP_TABLE = 'user_group_memberships';
const TYPED_ATTRIBUTES = new PathSet(['user.id', 'group.id', 'type']);

const freeze = (mapping: MembershipTableMapping): MembershipTableMapping => Object.freeze(mapping);

/**
 * A ManyToMany junction as PingOne memberships. users ↔ groups: a user's group memberships (direct, or every one for
 * a junction named `effective_group_memberships`). groups ↔ groups: group nesting, where the side that declares
 * @JoinTable lists the groups a group is nested in (PingOne's `/groups/{id}/memberOfGroups`): its join column holds
 * the nested (child) group, the inverse join column the parent.
 */
export function junctionMapping(entity: EntityMetadata, problems: MappingProblems): MembershipTableMapping | undefined {
  const sideOf = (column: ColumnMetadata) => column.referencedColumn?.entityMetadata.tableName;
  const columns = entity.columns;
  const sides = columns.map((c) => sideOf(c) ?? '?');
  const effective = EFFECTIVE_MEMBERSHIP_TABLES.has(entity.tableName);
  const base = { kind: 'membership' as const, table: entity.tablePath, environment: entity.schema };
  if (columns.length === 2 && sides[0] === 'groups' && sides[1] === 'groups') {
    const owner = entity.ownerColumns[0];
    const inverse = entity.inverseColumns[0];
    if (!owner || !inverse)
      return void problems.add(
        `The junction table '${entity.tableName}' joins groups to groups but TypeORM gave it no owner side; declare @JoinTable on the property that lists a group's parent groups.`,
      );
    if (effective)
      return void problems.add(
        `'${entity.tableName}' is the effective memberships of users; a groups ↔ groups junction is group nesting: name it 'group_nesting'.`,
      );
    return freeze({ ...base, member: 'groups', scope: 'direct', memberColumn: owner.databaseName, groupColumn: inverse.databaseName });
  }
  const user = columns.find((c) => sideOf(c) === 'users');
  const group = columns.find((c) => sideOf(c) === 'groups');
  if (!user || !group || columns.length !== 2) {
    return void problems.add(
      `The junction table '${entity.tableName}' joins ${sides.join(' and ')}; PingOne has user ↔ group memberships and group ↔ group nesting only. ` +
        'Declare @ManyToMany between an entity of table "users" and one of table "groups" (or between groups, for nesting).',
    );
  }
  return freeze({
    ...base,
    member: 'users',
    scope: effective ? 'effective' : 'direct',
    memberColumn: user.databaseName,
    groupColumn: group.databaseName,
  });
}

/**
 * The typed memberships entity (`@Entity('user_group_memberships')`): columns for `user.id`, `group.id` and `type`
 * (e.g. `userId`, `groupId`, `type`), the first two its primary key.
 */
export function typedMembershipMapping(entity: EntityMetadata, problems: MappingProblems): MembershipTableMapping | undefined {
  const found = new Map<string, string>();
  for (const column of entity.columns) {
    const { attribute, spelled } = resolveColumnPath(column, TYPED_ATTRIBUTES);
    if (!attribute) {
      problems.add(
        `${entity.name}.${column.propertyPath} maps to '${spelled}', which PingOne's group memberships don't have: a membership is 'user.id' (column userId), 'group.id' (groupId) and 'type' (DIRECT or INDIRECT).`,
      );
      continue;
    }
    found.set(attribute, column.databaseName);
  }
  const member = found.get('user.id');
  const group = found.get('group.id');
  const primary = entity.primaryColumns.map((c) => c.databaseName).sort();
  if (!member || !group || primary.length !== 2 || !primary.includes(member) || !primary.includes(group)) {
    return void problems.add(
      `Entity ${entity.name} must have the primary columns userId ('user.id') and groupId ('group.id'): a membership is one user in one group.`,
    );
  }
  return freeze({
    kind: 'membership',
    table: entity.tablePath,
    environment: entity.schema,
    member: 'users',
    scope: 'effective',
    memberColumn: member,
    groupColumn: group,
    ...(found.has('type') ? { typeColumn: found.get('type')! } : {}),
  });
}
