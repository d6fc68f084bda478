import { Column, Entity, PrimaryColumn, type ColumnType } from 'typeorm';
import type { AttributeKind } from 'typeorm-pingone';
import type { SchemaAttribute } from '@typeorm-pingone/client';

/** A custom attribute of the environment's user schema, shown as a column of `users`. */
export interface CustomAttributeColumn {
  readonly name: string;
  readonly kind: AttributeKind;
}

const COLUMN_TYPES: Readonly<Record<AttributeKind, ColumnType>> = {
  string: 'varchar',
  number: 'double',
  boolean: 'boolean',
  datetime: 'datetime',
  json: 'simple-json',
  array: 'simple-array',
};

/**
 * `--custom-attributes costCenter,badge:number,locales:json`: names with an optional kind (default string; a
 * string column also shows multi-valued or object attributes, as JSON text).
 */
export function parseCustomAttributes(text: string): CustomAttributeColumn[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) => {
      const [name = '', kind = 'string'] = spec.split(':').map((s) => s.trim());
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new Error(
          `--custom-attributes: '${name}' is not a PingOne attribute name (letters, digits, _). Example: --custom-attributes costCenter,badge:number`,
        );
      }
      if (!(kind in COLUMN_TYPES)) {
        throw new Error(
          `--custom-attributes: '${spec}' has kind '${kind}'; use one of ${Object.keys(COLUMN_TYPES).join(', ')} (default string).`,
        );
      }
      return { name, kind: kind as AttributeKind };
    });
}

/** The user schema's enabled custom attributes as columns: STRING → string (multi-valued: array), BOOLEAN, JSON. */
export function columnsFromSchema(attributes: readonly SchemaAttribute[]): CustomAttributeColumn[] {
  return attributes
    .filter((a) => a.schemaType === 'CUSTOM' && a.enabled !== false)
    .map((a) => ({
      name: a.name,
      kind: a.multiValued
        ? a.type === 'STRING'
          ? 'array'
          : 'json'
        : a.type === 'BOOLEAN'
          ? 'boolean'
          : a.type === 'STRING'
            ? 'string'
            : 'json',
    }));
}

/**
 * An entity on table `users` holding only the custom attributes (plus `id`). The driver merges the columns of every
 * entity of a table, so next to the built-in User it adds these columns to `users`: `\d users` lists them and SQL
 * can read, filter and write them.
 *
 * Seam for schema discovery: when the driver can list the environment's user schema, its attributes arrive here as
 * CustomAttributeColumn[] (see `SqlShellOptions.customAttributes`), or the driver's own entities replace this one.
 */
export function customAttributesEntity(columns: readonly CustomAttributeColumn[]): (new () => object) | undefined {
  if (columns.length === 0) return undefined;
  class UserCustomAttributes {}
  const proto: object = UserCustomAttributes.prototype;
  PrimaryColumn({ type: 'varchar' })(proto, 'id');
  for (const c of columns) Column({ type: COLUMN_TYPES[c.kind], nullable: true })(proto, c.name);
  Entity('users')(UserCustomAttributes);
  return UserCustomAttributes;
}
