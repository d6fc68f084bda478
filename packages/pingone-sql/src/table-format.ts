import Table from 'cli-table3';
import type { ResultColumn } from 'typeorm-pingone';
import { DEFAULT_NULL_TEXT, displayValue, visible, type ColumnKind } from './value-format';

export interface FormatOptions {
  /** the statement's result columns (names in order, and what each holds): typed display, and a header for 0 rows */
  readonly columns?: readonly ResultColumn[];
  /** how NULL is shown (default ∅) */
  readonly nullText?: string;
  /** longer cells are cut (tables only; default 60) */
  readonly maxCell?: number;
}

function cut(text: string, maxCell: number): string {
  return text.length > maxCell ? `${text.slice(0, maxCell - 1)}…` : text;
}

/** The columns to show, in order, each with its kind: the statement's, else every key of the rows. */
function columnsOf(
  rows: readonly Record<string, unknown>[],
  columns: readonly ResultColumn[] | undefined,
): { name: string; kind: ColumnKind }[] {
  if (columns && columns.length > 0) return columns.map((c) => ({ name: c.name, kind: c.source?.kind }));
  return [...new Set(rows.flatMap((r) => Object.keys(r)))].map((name) => ({ name, kind: undefined }));
}

/** Rows as a terminal table (the only module that imports cli-table3). Long cells are cut so tables stay readable. */
export function formatTable(rows: readonly Record<string, unknown>[], options: FormatOptions = {}): string {
  const columns = columnsOf(rows, options.columns);
  if (columns.length === 0) return '(no rows)';
  const maxCell = options.maxCell ?? 60;
  const nullText = options.nullText ?? DEFAULT_NULL_TEXT;
  const table = new Table({ head: columns.map((c) => visible(c.name)), style: { head: [], border: [] } });
  for (const row of rows) table.push(columns.map((c) => cut(displayValue(row[c.name], c.kind, nullText), maxCell)));
  return table.toString();
}

/** `\x` expanded display: one block per row, a `column | value` line per column (long values are not cut). */
export function formatExpanded(rows: readonly Record<string, unknown>[], options: FormatOptions = {}): string {
  if (rows.length === 0) return '(no rows)';
  const columns = columnsOf(rows, options.columns);
  const nullText = options.nullText ?? DEFAULT_NULL_TEXT;
  const names = columns.map((c) => visible(c.name));
  const width = Math.max(...names.map((n) => n.length));
  return rows
    .map((row, i) => {
      const header = `-[ RECORD ${i + 1} ]`;
      const lines = columns.map((c, j) => `${names[j].padEnd(width)} | ${displayValue(row[c.name], c.kind, nullText)}`);
      return [header.padEnd(Math.max(header.length, width + 3), '-'), ...lines].join('\n');
    })
    .join('\n');
}
