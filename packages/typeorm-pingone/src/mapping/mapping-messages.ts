import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from '../typeorm-internals';
import { ATTRIBUTE_CATALOG, type AttributeKind, type ResourceName } from './attribute-catalog';
import { closestPath, type PathSet } from './column-path';
import { attributesMeant } from './attribute-vocabulary';
import type { CustomAttribute } from './custom-attributes';

/*
 * The lines a mapping error is made of (build-mappings.ts): what a column maps to that PingOne can't hold, what it
 * probably means, and how to say so instead.
 */

/** Why PingOne can't hold a special TypeORM column, and what to use instead; undefined for an ordinary column. */
export function specialColumnProblem(entity: EntityMetadata, column: ColumnMetadata): string | undefined {
  const where = `${entity.name}.${column.propertyPath}`;
  if (column.isVersion) {
    return (
      `${where} is a @VersionColumn, but PingOne keeps no version number, so optimistic locking can't work. ` +
      "Remove it; an @UpdateDateColumn() (PingOne's read-only updatedAt) tells when a resource last changed."
    );
  }
  if (column.isDeleteDate) {
    return (
      `${where} is a @DeleteDateColumn, but PingOne has no soft deletion: a deleted resource is gone. ` +
      "Remove it; to keep a user but stop its sign-ins, set enabled = false (the user's `enabled` column)."
    );
  }
  if (column.isTreeLevel || column.isNestedSetLeft || column.isNestedSetRight || column.isMaterializedPath) {
    return `${where} is a tree column; PingOne resources are not TypeORM trees. Remove @Tree from ${entity.name}.`;
  }
  return undefined;
}

const quoted = (paths: readonly string[]) => paths.map((p) => `'${p}'`).join(' or ');

/** What a relation's join column can be on PingOne: `population.id` for a reference to populations, else nothing. */
export function relationMeaning(
  resource: ResourceName,
  column: ColumnMetadata,
  known: PathSet,
): { paths: readonly string[]; instead?: string } {
  const relation = column.relationMetadata!;
  const target = relation.inverseEntityMetadata.tableName;
  if (target === 'populations' && known.has('population.id')) return { paths: ['population.id'] };
  if (resource === 'users' && target === 'groups') {
    return {
      paths: [],
      instead: `a user's groups are PingOne memberships: declare @ManyToMany(() => ${relation.inverseEntityMetadata.name}) @JoinTable() ${relation.propertyName} instead`,
    };
  }
  return {
    paths: [],
    instead: `PingOne ${resource} hold no reference to ${target}: remove the relation and keep the id in your own database`,
  };
}

/** One line: which property maps to what PingOne lacks, what it probably means, and both ways to say so. */
export function unknownAttribute(
  entity: EntityMetadata,
  resource: ResourceName,
  column: ColumnMetadata,
  spelled: string,
  known: PathSet,
): string {
  const relation = column.relationMetadata;
  const property = relation ? relation.propertyName : column.propertyPath;
  const byRelation = relation ? relationMeaning(resource, column, known) : undefined;
  const meant = byRelation ? byRelation.paths : attributesMeant(resource, relation ? property : spelled, (p) => known.has(p));
  const suggestions = meant.length > 0 ? meant : [closestPath(spelled, known.paths)].filter((p): p is string => p !== undefined);
  const lead = `${entity.name}.${property} maps to '${spelled}', which PingOne ${resource} don't have${suggestions.length ? ` (did you mean ${quoted(suggestions)}?)` : ''}: `;
  if (byRelation?.instead) return `${lead}${byRelation.instead}.`;
  const target = suggestions[0] ?? '<attribute path>';
  const pingOneName = relation && target.endsWith('.id') ? target.slice(0, -3) : target;
  return (
    `${lead}name the column after the attribute (${relation ? `@JoinColumn({ name: '${target}' })` : `@Column({ name: '${target}' })`}) ` +
    `or add @PingOneAttribute('${pingOneName}') to the ${relation ? 'relation' : 'property'}.`
  );
}

/** The context an unknown-attribute line needs, given once per error however many lines need it. */
export function knownAttributesNotes(resource: ResourceName, custom: ReadonlyMap<string, CustomAttribute>, fromSchema: boolean): string[] {
  const notes = [`Known attributes of ${resource}: ${Object.keys(ATTRIBUTE_CATALOG[resource]).join(', ')}.`];
  if (resource !== 'users') return notes;
  notes.push(
    fromSchema
      ? `The environment's user schema has these custom attributes: ${[...custom.keys()].join(', ') || 'none'}; a custom attribute must exist there (add it in PingOne under Directory → User Attributes).`
      : 'For a custom attribute of your user schema, let initialize() read the schema (the worker app needs a role that can read it) or list it in the DataSource option customUserAttributes.',
  );
  return notes;
}

export function typeProblem(
  entity: EntityMetadata,
  column: ColumnMetadata,
  attribute: string,
  expected: AttributeKind | undefined,
  customAttribute: CustomAttribute | undefined,
): string {
  return (
    `${entity.name}.${column.propertyPath} has column type ${String(typeof column.type === 'function' ? column.type.name : column.type)}, ` +
    `but PingOne's '${attribute}' is ${expected ?? 'a string, number, boolean, date, simple-json or simple-array value'}` +
    `${customAttribute?.source === 'schema' ? ` (user schema: ${customAttribute.multiValued ? 'multi-valued ' : ''}${customAttribute.kind})` : ''}. ` +
    `Use ${expected === 'datetime' ? "type 'datetime' (a Date property)" : expected === 'json' ? "type 'simple-json'" : expected === 'array' ? "type 'simple-array' or 'simple-json'" : `a ${expected ?? 'supported'} column`}.`
  );
}
