import type { EntityMetadata, ObjectLiteral, QueryRunner } from 'typeorm';
import { RawSqlResultsToEntityTransformer, type ColumnMetadata, type EmbeddedMetadata } from '../typeorm-internals';

/**
 * TypeORM turns raw rows into entities in RawSqlResultsToEntityTransformer, generically: per column of every row it
 * walks a copy of the embedded tree through a new closure and runs the driver's chain of type tests. On a plain
 * find() that is most of what TypeORM costs over the driver (bench/driver-find.ts). For the drivers registered here,
 * the transform of one alias with nothing joined into it (no selected relation, no relation id) runs a plan built
 * once per query instead: the same grouping by primary key, the same `metadata.create`, the same columns in the same
 * order (TypeORM's own getColumnsToProcess), the same embedded objects and values. Anything else (joins into the
 * alias, relation ids, inheritance, views, composite or binary keys) is TypeORM's own transform, untouched; so are
 * other drivers' queries. test/hydration.test.ts compares both on every shape.
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
}

const enum Convert { Text, Boolean, Timestamp, Driver }

interface ColumnPlan {
  readonly key: string;
  readonly column: ColumnMetadata;
  readonly property: string;
  readonly tree: readonly EmbeddedMetadata[] | undefined;
  readonly convert: Convert;
  /** a non-null value makes the entity one (TypeORM: a virtual property alone does not) */
  readonly counts: boolean;
}

/** The row codec's timestamp text (row-codec.ts), the one read without the driver, as PingOneDriver.prepareHydratedValue does. */
const SQLITE_UTC_TEXT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

const drivers = new WeakSet<object>();
let typeormTransform: ((this: unknown, rawResults: unknown[], alias: Alias) => ObjectLiteral[]) | undefined;

/** Routes the transforms of `driver`'s queries through the plan (the transformer is patched once per process). */
export function enableFastHydration(driver: object): void {
  drivers.add(driver);
  if (typeormTransform) return;
  const prototype = RawSqlResultsToEntityTransformer.prototype as unknown as { transform(rawResults: unknown[], alias: Alias): ObjectLiteral[] };
  const original = prototype.transform as (this: unknown, rawResults: unknown[], alias: Alias) => ObjectLiteral[];
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
  if (typeof t.getColumnsToProcess !== 'function' || typeof t.buildAlias !== 'function' || !Array.isArray(t.expressionMap?.joinAttributes) || !Array.isArray(t.rawRelationIdResults)) return undefined;
  if (!planApplies(t, alias)) return undefined;
  const metadata = alias.metadata;
  const primary = metadata.primaryColumns;
  if (primary.length !== 1) return undefined;
  const idKey = t.buildAlias(alias.name, primary[0]!.databaseName);
  const first = rawResults[0] as Record<string, unknown> | undefined;
  // TypeORM groups rows by primary key when it is selected, else gives every row its own entity.
  const grouped = idKey in (first ?? {});
  const plan: ColumnPlan[] = [];
  for (const [key, column] of t.getColumnsToProcess(alias.name, metadata)) {
    const p = planOf(key, column);
    if (!p) return undefined;
    plan.push(p);
  }
  const create = () => metadata.create(t.queryRunner, { fromDeserializer: true, pojo: t.pojo }) as ObjectLiteral;
  const prepare = (value: unknown, column: ColumnMetadata) => t.driver.prepareHydratedValue(value, column);
  return compiled(plan)(rawResults, grouped ? idKey : undefined, create, prepare, plan.map((c) => c.column), plan.map((c) => c.tree ?? []));
}

type Hydrator = (
  rows: readonly unknown[], idKey: string | undefined, create: () => ObjectLiteral, prepare: (value: unknown, column: ColumnMetadata) => unknown,
  columns: readonly ColumnMetadata[], trees: readonly (readonly EmbeddedMetadata[])[],
) => ObjectLiteral[] | undefined;

const HYDRATOR_LIMIT = 64;
const hydrators = new Map<string, Hydrator>();

/**
 * The plan as straight-line code: each column's key and property written out, so every read and write is a plain
 * property access (a loop over keys held in variables is a generic lookup per value). Cached by the plan's shape;
 * names are embedded as JSON string literals, never as code.
 */
function compiled(plan: readonly ColumnPlan[]): Hydrator {
  const signature = JSON.stringify(plan.map((c) => [c.key, c.property, c.convert, c.counts, c.tree?.map((e) => e.propertyName)]));
  const hit = hydrators.get(signature);
  if (hit) return hit;
  const lines = plan.map((c, j) => {
    const convert = c.convert === Convert.Text ? 'v'
      : c.convert === Convert.Boolean ? '(v === null ? null : v ? true : false)'
        : c.convert === Convert.Timestamp ? `(v === null ? null : typeof v === "string" && UTC.test(v) ? new Date(v.slice(0, 10) + "T" + v.slice(11) + "Z") : prepare(v, columns[${j}]))`
          : `prepare(v, columns[${j}])`;
    const path = (c.tree ?? []).map((e, k) => {
      const name = JSON.stringify(e.propertyName);
      return `t = t[${name}] ?? (t[${name}] = trees[${j}][${k}].create());`;
    }).join(' ');
    return `v = r[${JSON.stringify(c.key)}]; if (v !== undefined) { ${c.counts ? 'if (v !== null) has = true; ' : ''}v = ${convert}; t = e; ${path} t[${JSON.stringify(c.property)}] = v; }`;
  });
  const body = `return function hydrate(rows, idKey, create, prepare, columns, trees) {
  const seen = new Set(); const out = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (idKey !== undefined) {
      const id = r[idKey];
      if (id !== null && id !== undefined && typeof id !== "string" && typeof id !== "number") return undefined;
      const key = id === null || id === undefined ? "" : String(id);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const e = create(); let has = false; let v; let t;
    ${lines.join('\n    ')}
    if (has) out.push(e);
  }
  return out;
};`;
  const hydrator = (new Function('UTC', body) as (utc: RegExp) => Hydrator)(SQLITE_UTC_TEXT);
  hydrators.set(signature, hydrator);
  if (hydrators.size > HYDRATOR_LIMIT) hydrators.delete(hydrators.keys().next().value!);
  return hydrator;
}

/** The cases TypeORM's transform would treat as columns only: nothing joined into this alias, no relation id, no inheritance. */
function planApplies(t: TransformerInternals, alias: Alias): boolean {
  const metadata = alias.metadata;
  if (metadata.tableType === 'view' || metadata.discriminatorColumn || metadata.childEntityMetadatas.length > 0) return false;
  if (t.rawRelationIdResults.some((r) => r.relationIdAttribute.parentAlias === alias.name)) return false;
  // The joins TypeORM's transformJoins would hydrate into this alias's entities.
  return !t.expressionMap.joinAttributes.some((join) => {
    if (!join.metadata || !join.isSelected) return false;
    if (join.relation && !metadata.relations.some((r) => r === (join.relation as unknown))) return false;
    if (join.mapToProperty) return join.mapToPropertyParentAlias === alias.name;
    return join.relation !== undefined && join.parentAlias === alias.name && join.relationPropertyPath === join.relation.propertyPath;
  });
}

function planOf(key: string, column: ColumnMetadata): ColumnPlan | undefined {
  // setEntityValue writes a virtual column with a referenced column into a nested object: TypeORM's own path
  // (TypeORM leaves virtual columns out of the columns it processes; this keeps the plan right if that changes).
  if (!column.embeddedMetadata && column.isVirtual && column.referencedColumn && column.referencedColumn.propertyName !== column.propertyName && !column.entityMetadata.isJunction) return undefined;
  const type = column.type as unknown;
  const convert = column.transformer !== undefined ? Convert.Driver
    : type === 'varchar' || type === String ? Convert.Text
      : type === 'boolean' || type === Boolean ? Convert.Boolean
        : type === 'datetime' || type === Date ? Convert.Timestamp
          : Convert.Driver;
  return { key, column, property: column.propertyName, convert, counts: !column.isVirtualProperty, tree: column.embeddedMetadata?.embeddedMetadataTree };
}
