import { valueText } from '@typeorm-pingone/client';
import type { ResultColumn } from 'typeorm-pingone';

/** What the driver knows a result column holds (undefined: an expression, shown as SQLite returns it). */
export type ColumnKind = NonNullable<ResultColumn['source']>['kind'] | undefined;

/** How NULL is shown in tables until `\pset null` changes it: not a text any row is likely to hold. */
export const DEFAULT_NULL_TEXT = '∅';

/** A datetime column's value as SQLite's rows carry it: UTC text, `YYYY-MM-DD HH:MM:SS.SSS`. */
const UTC_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/;

function utcParts(value: unknown): { date: string; time: string; fraction: string } | undefined {
  const text =
    value instanceof Date
      ? Number.isNaN(value.getTime())
        ? undefined
        : value.toISOString()
      : typeof value === 'string'
        ? value
        : undefined;
  const m = text === undefined ? null : UTC_TEXT.exec(text);
  return m ? { date: m[1], time: m[2], fraction: m[3] ?? '' } : undefined;
}

/**
 * C0 and C1 control characters (but the line break) and the bidirectional overrides, which a terminal would obey
 * instead of show: a directory value (a nickname a user set themselves) could move the cursor, recolor, retitle,
 * write the clipboard (OSC 52) or reorder what is shown. `\p{Cc}` is exactly the C0 and C1 controls (U+0000–U+001F,
 * U+007F–U+009F).
 */
const UNSAFE = /(?!\n)[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Text safe to print on a terminal: unsafe characters as visible `\u001b`-style escapes. */
export function visible(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A value as psql shows it: NULL as the null text, a boolean column's 1/0 as `t`/`f`, a datetime column with its
 * zone (`2024-01-31 12:00:00.123+00`: UTC, the fraction without trailing zeros, as PostgreSQL prints timestamptz).
 * Other values as text; a value that doesn't have its column's shape (an expression's) is shown as it is. Control
 * characters are shown as escapes (`visible`).
 */
export function displayValue(value: unknown, kind: ColumnKind, nullText: string): string {
  return visible(cellText(value, kind, nullText));
}

function cellText(value: unknown, kind: ColumnKind, nullText: string): string {
  if (value === null || value === undefined) return nullText;
  if (kind === 'boolean' && (value === 1 || value === 0 || typeof value === 'boolean')) return value === 1 || value === true ? 't' : 'f';
  if (kind === 'datetime' || value instanceof Date) {
    const parts = utcParts(value);
    if (parts) {
      const fraction = parts.fraction.replace(/0+$/, '');
      return `${parts.date} ${parts.time}${fraction ? `.${fraction}` : ''}+00`;
    }
  }
  return valueText(value);
}

/**
 * A value for `--json`: a boolean column's 1/0 as true/false, a datetime column as ISO 8601 in UTC
 * (`2024-01-31T12:00:00.123Z`), an integer beyond JavaScript's safe integers as its exact digits in a string.
 */
export function jsonValue(value: unknown, kind: ColumnKind): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || value === undefined) return null;
  if (kind === 'boolean' && (value === 1 || value === 0)) return value === 1;
  if (kind === 'datetime' || value instanceof Date) {
    const parts = utcParts(value);
    if (parts) return `${parts.date}T${parts.time}.${parts.fraction.padEnd(3, '0')}Z`;
  }
  return value;
}
