import type { EntityMetadata, ObjectLiteral, QueryRunner } from 'typeorm';
import { RawSqlResultsToEntityTransformer, type ColumnMetadata, type EmbeddedMetadata } from '../typeorm-internals';

/**
 * TypeORM turns raw rows into entities in RawSqlResultsToEntityTransformer, generically: per column of every row it
 * walks a copy of the embedded tree through a new closure and runs the driver's chain of type tests. On a plain
 * find() that is most of what TypeORM costs over the driver (bench/driver-find.ts). For the drivers registered here,
 * each alias's transform runs a plan built once per query instead: the same grouping by primary key, the same
 * `metadata.create`, the same columns in the same order (TypeORM's own getColumnsToProcess), the same embedded
 * objects and values; joined relations and relation ids are still TypeORM's own transformJoins/transformRelationIds
 * (which come back here for each joined alias). Inheritance, views and composite or binary keys are TypeORM's own
 * transform, untouched; so are other drivers' queries. test/hydration.test.ts compares both on every shape.
 */

interface Alias {
  readonly name: string;
  readonly metadata: EntityMetadata;
}

interface JoinAttribute {
  readonly metadata?: unknown;
  readonly isSelected: boolean;
  readonly relation?: { readonly propertyPath: string };
  readonly mapToProperty?: string;
  readonly mapToPropertyParentAlias?: string;
  readonly parentAlias?: string;
  readonly relationPropertyPath?: string;
}

/** The transformer's members the plan reads (TypeORM 1.1.1; protected or private in its typings). */
interface TransformerInternals {
  readonly expressionMap: { readonly joinAttributes: readonly JoinAttribute[] };
  readonly driver: object & { prepareHydratedValue(value: unknown, column: ColumnMetadata): unknown };
  readonly rawRelationIdResults: readonly { readonly relationIdAttribute: { readonly parentAlias: string } }[];
  readonly queryRunner?: QueryRunner;
  readonly pojo: boolean;
  buildAlias(aliasName: string, columnName: string): string;
  getColumnsToProcess(aliasName: string, metadata: EntityMetadata): readonly (readonly [string, ColumnMetadata])[];
  transformJoins(rawResults: readonly unknown[], entity: ObjectLiteral, alias: Alias, metadata: EntityMetadata): boolean;
  transformRelationIds(rawResults: readonly unknown[], alias: Alias, entity: ObjectLiteral, metadata: EntityMetadata): boolean;
}

/**
 * How this driver hydrates a column's non-null values: the short cuts of PingOneDriver.prepareHydratedValue, which
 * the plan inlines. Text as it is, 0/1 as booleans, the row codec's timestamp text as a UTC Date; anything else, and
 * any column with a transformer, through the driver (TypeORM's SQLite base class).
 */
export type Hydration = 'text' | 'boolean' | 'timestamp' | 'driver';

export function hydrationOf(column: ColumnMetadata): Hydration {
  if (column.transformer !== undefined) return 'driver';
  const type = column.type as unknown;
  if (type === 'varchar' || type === String) return 'text';
  if (type === 'boolean' || type === Boolean) return 'boolean';
  if (type === 'datetime' || type === Date) return 'timestamp';
  return 'driver';
}

/** The row codec's timestamp text (row-codec.ts isoToSqlite, SQLite's `YYYY-MM-DD HH:MM:SS.SSS` in UTC). */
const SQLITE_UTC_TEXT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

/** The UTC Date of the row codec's timestamp text, or undefined for any other value (the base class reads those). */
export function utcTextToDate(value: unknown): Date | undefined {
  return typeof value === 'string' && SQLITE_UTC_TEXT.test(value) ? new Date(`${value.slice(0, 10)}T${value.slice(11)}Z`) : undefined;
}

interface ColumnPlan {
  readonly key: string;
  readonly column: ColumnMetadata;
  readonly property: string;
  readonly tree: readonly EmbeddedMetadata[] | undefined;
  readonly convert: Hydration;
  /** a non-null value makes the entity one (TypeORM: a virtual property alone does not) */
  readonly counts: boolean;
}

const drivers = new WeakSet<object>();
let typeormTransform: ((this: unknown, rawResults: unknown[], alias: Alias) => ObjectLiteral[]) | undefined;

/** Routes the transforms of `driver`'s queries through the plan (the transformer is patched once per process). */
export function enableFastHydration(driver: object): void {
  drivers.add(driver);
  if (typeormTransform) return;
  const prototype = RawSqlResultsToEntityTransformer.prototype as unknown as {
    transform: (this: unknown, rawResults: unknown[], alias: Alias) => ObjectLiteral[];
  };
  const original = prototype.transform;
  typeormTransform = original;
  prototype.transform = function transform(this: unknown, rawResults: unknown[], alias: Alias): ObjectLiteral[] {
    return hydrateFast(this, rawResults, alias) ?? original.call(this, rawResults, alias);
  };
}

/** TypeORM's own transform, for tests that compare it with the plan. */
export function typeormHydration(transformer: unknown, rawResults: unknown[], alias: Alias): ObjectLiteral[] {
  if (!typeormTransform) throw new Error('enableFastHydration() has not run: no DataSource with the PingOne driver was created');
  return typeormTransform.call(transformer, rawResults, alias);
}

/** Entities for one alias by the plan, or undefined when the plan doesn't apply (the caller runs TypeORM's). */
export function hydrateFast(transformerObject: unknown, rawResults: readonly unknown[], alias: Alias): ObjectLiteral[] | undefined {
  const t = transformerObject as TransformerInternals;
  if (!drivers.has(t.driver)) return undefined;
  // A TypeORM whose transformer lacks what the plan reads keeps its own transform (the peer range is tested whole).
  if (
    typeof t.getColumnsToProcess !== 'function' ||
    typeof t.buildAlias !== 'function' ||
    typeof t.transformJoins !== 'function' ||
    typeof t.transformRelationIds !== 'function' ||
    !Array.isArray(t.expressionMap?.joinAttributes) ||
    !Array.isArray(t.rawRelationIdResults)
  )
    return undefined;
  const metadata = alias.metadata;
  if (metadata.tableType === 'view' || metadata.discriminatorColumn || metadata.childEntityMetadatas.length > 0) return undefined;
  const primary = metadata.primaryColumns;
  if (primary.length !== 1) return undefined;
  const idKey = t.buildAlias(alias.name, primary[0].databaseName);
  const plan: ColumnPlan[] = [];
  for (const [key, column] of t.getColumnsToProcess(alias.name, metadata)) {
    const p = planOf(key, column);
    if (!p) return undefined;
    plan.push(p);
  }
  const fill = compiled(plan);
  const prepare = (value: unknown, column: ColumnMetadata) => t.driver.prepareHydratedValue(value, column);
  const columns = plan.map((c) => c.column);
  const trees = plan.map((c) => c.tree ?? []);
  const create = () => metadata.create(t.queryRunner, { fromDeserializer: true, pojo: t.pojo }) as ObjectLiteral;
  // TypeORM groups rows by primary key when it is selected (an entity from each id's first row), else gives every
  // row its own entity.
  const grouped = idKey in ((rawResults[0] as object | undefined) ?? {});
  const entities: ObjectLiteral[] = [];
  if (!joinsInto(t, alias)) {
    const seen = new Set<string>();
    for (const raw of rawResults) {
      const row = raw as Record<string, unknown>;
      if (grouped) {
        const key = groupKey(row[idKey]);
        if (key === undefined) return undefined;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      const entity = create();
      if (fill(entity, row, prepare, columns, trees)) entities.push(entity);
    }
    return entities;
  }
  // Joined rows: the columns by the plan, the joins and relation ids by TypeORM's own methods, over each id's rows.
  const groups = new Map<string, Record<string, unknown>[]>();
  for (let i = 0; i < rawResults.length; i++) {
    const row = rawResults[i] as Record<string, unknown>;
    const key = grouped ? groupKey(row[idKey]) : `row_${i}`;
    if (key === undefined) return undefined;
    const rows = groups.get(key);
    if (rows) rows.push(row);
    else groups.set(key, [row]);
  }
  const virtualKeysOnly = primary.every((c) => c.isVirtual === true);
  for (const rows of groups.values()) {
    const entity = create();
    const hasColumns = fill(entity, rows[0], prepare, columns, trees);
    const hasRelations = t.transformJoins(rows, entity, alias, metadata);
    const hasRelationIds = t.transformRelationIds(rows, alias, entity, metadata);
    if (hasColumns || (virtualKeysOnly && (hasRelations || hasRelationIds))) entities.push(entity);
  }
  return entities;
}

/** TypeORM's group key for a one-column primary key (`[value].join("_")`), or undefined for a value it would encode. */
function groupKey(id: unknown): string | undefined {
  if (id === null || id === undefined) return '';
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** Fills an entity's columns from one row; true when a counted column had a value (TypeORM's hasColumns). */
type Fill = (
  entity: ObjectLiteral,
  row: Record<string, unknown>,
  prepare: (value: unknown, column: ColumnMetadata) => unknown,
  columns: readonly ColumnMetadata[],
  trees: readonly (readonly EmbeddedMetadata[])[],
) => boolean;

const FILL_LIMIT = 64;
const fills = new Map<string, Fill>();

/**
 * The plan as straight-line code: each column's key and property written out, so every read and write is a plain
 * property access (a loop over keys held in variables is a generic lookup per value). Cached by the plan's shape;
 * names are embedded as JSON string literals, never as code.
 */
function compiled(plan: readonly ColumnPlan[]): Fill {
  const signature = JSON.stringify(plan.map((c) => [c.key, c.property, c.convert, c.counts, c.tree?.map((e) => e.propertyName)]));
  const hit = fills.get(signature);
  if (hit) return hit;
  const lines = plan.map((c, j) => {
    const convert =
      c.convert === 'text'
        ? 'v'
        : c.convert === 'boolean'
          ? '(v === null ? null : v ? true : false)'
          : c.convert === 'timestamp'
            ? `(v === null ? null : (d = toDate(v)) !== undefined ? d : prepare(v, columns[${j}]))`
            : `prepare(v, columns[${j}])`;
    const path = (c.tree ?? [])
      .map((e, k) => {
        const name = JSON.stringify(e.propertyName);
        return `t = t[${name}] ?? (t[${name}] = trees[${j}][${k}].create());`;
      })
      .join(' ');
    return `v = r[${JSON.stringify(c.key)}]; if (v !== undefined) { ${c.counts ? 'if (v !== null) has = true; ' : ''}v = ${convert}; t = e; ${path} t[${JSON.stringify(c.property)}] = v; }`;
  });
  const body = `return function fill(e, r, prepare, columns, trees) {
  let has = false; let v; let t; let d;
  ${lines.join('\n  ')}
  return has;
};`;
  // eslint-disable-next-line no-new-func, @typescript-eslint/no-implied-eval -- deliberate: the plan compiled to straight-line code (see above); the body holds only this function's fixed text, column indexes and names as JSON string literals, never a value from a row
  const fill = (new Function('toDate', body) as (toDate: typeof utcTextToDate) => Fill)(utcTextToDate);
  fills.set(signature, fill);
  if (fills.size > FILL_LIMIT) fills.delete(fills.keys().next().value!);
  return fill;
}

/**
 * Whether TypeORM's transformJoins or transformRelationIds would add anything to this alias's entities (their
 * own checks, in their order): if not, its entities are columns only.
 */
function joinsInto(t: TransformerInternals, alias: Alias): boolean {
  const metadata = alias.metadata;
  if (t.rawRelationIdResults.some((r) => r.relationIdAttribute.parentAlias === alias.name)) return true;
  return t.expressionMap.joinAttributes.some((join) => {
    if (!join.metadata || !join.isSelected) return false;
    if (join.relation && !metadata.relations.some((r) => r === (join.relation as unknown))) return false;
    if (join.mapToProperty) return join.mapToPropertyParentAlias === alias.name;
    return join.relation !== undefined && join.parentAlias === alias.name && join.relationPropertyPath === join.relation.propertyPath;
  });
}

function planOf(key: string, column: ColumnMetadata): ColumnPlan | undefined {
  // setEntityValue writes a virtual column with a referenced column into a nested object: TypeORM's own path
  // (TypeORM leaves virtual columns out of the columns it processes; this keeps the plan right if that changes).
  if (
    !column.embeddedMetadata &&
    column.isVirtual &&
    column.referencedColumn &&
    column.referencedColumn.propertyName !== column.propertyName &&
    !column.entityMetadata.isJunction
  )
    return undefined;
  return {
    key,
    column,
    property: column.propertyName,
    convert: hydrationOf(column),
    counts: !column.isVirtualProperty,
    tree: column.embeddedMetadata?.embeddedMetadataTree,
  };
}
