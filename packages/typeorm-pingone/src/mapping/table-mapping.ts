import type { AttributeKind, ResourceName } from './attribute-catalog';

/**
 * What this DataSource learned PingOne refuses (planner/filter-ledger.ts): the planner leaves a refused cell out of
 * the filters it pushes, so the condition is evaluated locally instead.
 */
export interface RefusedCells {
  /** `cell`: `<attribute> <operator>` (`name.given co`, `costCenter co`) or a membership shape's name */
  refused(resource: ResourceName, cell: string): boolean;
  /** whether anything is refused at all (lets the planner skip the work of naming what it left out) */
  readonly any: boolean;
}

/** One column of an entity table and the PingOne attribute it holds. */
export interface ColumnMapping {
  /** the database column name TypeORM uses in SQL (e.g. `nameGiven`, `populationId`) */
  readonly column: string;
  /** the PingOne attribute path, e.g. `name.given` */
  readonly attribute: string;
  readonly path: readonly string[];
  readonly kind: AttributeKind;
  readonly readOnly: boolean;
  readonly writeOnly: boolean;
  readonly custom: boolean;
  /** `Entity.property`, for messages */
  readonly property: string;
  /** false for `nullable: false` columns: a create or update must give them a value */
  readonly nullable: boolean;
  /** a custom attribute PingOne's schema lets filters use `co` on */
  readonly allowsContains: boolean;
  /** read only by a GET of one resource with `include=<this>` (AttributeInfo.include) */
  readonly include?: string;
}

/** A table backed by a PingOne collection (users, groups, populations). */
export interface ResourceTableMapping {
  readonly kind: 'resource';
  /** the table as SQL names it: `users`, or `<environment>~users` for an entity with a schema */
  readonly table: string;
  /** the entity's schema: a PingOne environment name or id (undefined: the configured environment) */
  readonly environment: string | undefined;
  readonly resource: ResourceName;
  readonly columns: readonly ColumnMapping[];
  readonly byColumn: ReadonlyMap<string, ColumnMapping>;
  /** database name of the column holding PingOne's `id` */
  readonly idColumn: string;
  /** the DataSource's refused filter cells (absent: none known, e.g. mappings built outside a DataSource) */
  readonly refusals?: RefusedCells;
}

/** Whose group memberships a membership table holds: users in groups, or groups nested in groups. */
export type MemberKind = 'users' | 'groups';

/**
 * A table of PingOne group memberships: a ManyToMany junction (users ↔ groups: `group_memberships`; groups ↔ groups:
 * `group_nesting`; every membership: `effective_group_memberships`), or the typed memberships table
 * (`user_group_memberships`, with PingOne's DIRECT / INDIRECT).
 */
export interface MembershipTableMapping {
  readonly kind: 'membership';
  readonly table: string;
  readonly environment: string | undefined;
  readonly member: MemberKind;
  /**
   * `direct`: the memberships added (PingOne type DIRECT), writable; `effective`: every membership, through nesting
   * (cycles included) and dynamic groups' filters too, read-only but for the DIRECT rows of a typed table
   */
  readonly scope: 'direct' | 'effective';
  /** the column holding the member: a user's id, or the nested (child) group's */
  readonly memberColumn: string;
  /** the column holding the group the member is in (the parent group, for nesting) */
  readonly groupColumn: string;
  /** the column holding PingOne's membership type, DIRECT or INDIRECT (the typed memberships table) */
  readonly typeColumn?: string;
  readonly refusals?: RefusedCells;
}

export type TableMapping = ResourceTableMapping | MembershipTableMapping;

export function columnNames(mapping: TableMapping): readonly string[] {
  return mapping.kind === 'resource'
    ? mapping.columns.map((c) => c.column)
    : [mapping.memberColumn, mapping.groupColumn, ...(mapping.typeColumn ? [mapping.typeColumn] : [])];
}
