import type { ColumnMetadata } from '../typeorm-internals';
import { declaredAttributePath } from './pingone-attribute';
import { editDistance } from '@typeorm-pingone/client';

/**
 * Which PingOne attribute path a column names. In order: `@PingOneAttribute` on the property (columns and
 * relations), the column's database name when `@Column({ name })` / `@JoinColumn({ name })` gave one (`'name.given'`,
 * `'type'`, or TypeORM's flattened spelling `'nameGiven'`, `'populationId'`), then the property path (an embedded
 * `name: UserName { given }` is `name.given`). A given database name that names no attribute is never silently
 * replaced by the property name: `@Column({ name: 'user_name' }) username` is an error, not `username`.
 */
export interface ColumnPath {
  /** the attribute path, when one of the candidates names an attribute */
  readonly attribute: string | undefined;
  /** what the column was read as (for the error message) */
  readonly spelled: string;
}

/** `name.given` → `nameGiven`, `population.id` → `populationId`: TypeORM's default naming of embedded/join columns. */
export function flattened(path: string): string {
  return path
    .split('.')
    .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

/** The attribute paths a resource has (catalog and custom), with their flattened spellings. */
export class PathSet {
  readonly paths: readonly string[];
  readonly #set: ReadonlySet<string>;
  readonly #flat: ReadonlyMap<string, string>;

  constructor(paths: Iterable<string>) {
    this.paths = [...paths];
    this.#set = new Set(this.paths);
    this.#flat = new Map(this.paths.filter((p) => p.includes('.')).map((p) => [flattened(p), p]));
  }

  has(path: string): boolean {
    return this.#set.has(path);
  }

  /** `name.given` or `nameGiven` → `name.given` */
  find(name: string): string | undefined {
    return this.#set.has(name) ? name : this.#flat.get(name);
  }
}

export function resolveColumnPath(column: ColumnMetadata, known: PathSet): ColumnPath {
  const relation = column.relationMetadata;
  const isReference = relation !== undefined && (relation.isManyToOne || relation.isOneToOneOwner);
  // A join column has no target of its own: the relation's decorators sit on the entity class.
  const declared = declaredAttributePath(
    column.target ?? column.entityMetadata.target,
    isReference ? relation.propertyName : column.propertyName,
  );
  if (declared) {
    // On a relation, `@PingOneAttribute('population')` and `'population.id'` both mean the referenced id.
    const path = isReference && !known.has(declared) && known.has(`${declared}.id`) ? `${declared}.id` : declared;
    return { attribute: known.has(path) ? path : undefined, spelled: path };
  }
  const given = column.givenDatabaseName;
  if (isReference) {
    // TypeORM names every join column (`teamId` for `team`), so a given name here may be TypeORM's, not the app's.
    const natural = `${relation.propertyPath}.id`;
    return { attribute: (given ? known.find(given) : undefined) ?? known.find(natural), spelled: natural };
  }
  if (given) {
    const prefix = column.embeddedMetadata ? `${column.embeddedMetadata.propertyPath}.` : '';
    for (const candidate of [`${prefix}${given}`, given, column.databaseName]) {
      const found = known.find(candidate);
      if (found) return { attribute: found, spelled: given };
    }
    return { attribute: undefined, spelled: given };
  }
  return { attribute: known.find(column.propertyPath) ?? known.find(column.databaseName), spelled: column.propertyPath };
}

/** The known path closest to what the column spelled (edit distance, case-insensitive), for "did you mean". */
export function closestPath(spelled: string, paths: readonly string[]): string | undefined {
  const target = spelled.toLowerCase().replace(/[_\-\s]/g, '');
  let best: { path: string; distance: number } | undefined;
  for (const path of paths) {
    for (const form of [path, flattened(path)]) {
      const distance = editDistance(target, form.toLowerCase().replace(/\./g, ''));
      if (!best || distance < best.distance) best = { path, distance };
    }
  }
  return best && best.distance <= Math.max(2, Math.floor(target.length / 2)) ? best.path : undefined;
}
