import Table from 'cli-table3';

function cellText(value: unknown, maxCell: number): string {
  const text = value === null || value === undefined ? 'NULL' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > maxCell ? `${text.slice(0, maxCell - 1)}…` : text;
}

function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r)))];
}

/** Rows as a terminal table (the only module that imports cli-table3). Long cells are cut so tables stay readable. */
export function formatTable(rows: readonly Record<string, unknown>[], maxCell = 60): string {
  if (rows.length === 0) return '(no rows)';
  const columns = columnsOf(rows);
  const table = new Table({ head: columns, style: { head: [], border: [] } });
  for (const row of rows) table.push(columns.map((c) => cellText(row[c], maxCell)));
  return table.toString();
}

/** `\x` expanded display: one block per row, a `column | value` line per column (long values are not cut). */
export function formatExpanded(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const columns = columnsOf(rows);
  const width = Math.max(...columns.map((c) => c.length));
  return rows.map((row, i) => {
    const header = `-[ RECORD ${i + 1} ]`;
    const lines = columns.map((c) => `${c.padEnd(width)} | ${cellText(row[c], Infinity)}`);
    return [header.padEnd(Math.max(header.length, width + 3), '-'), ...lines].join('\n');
  }).join('\n');
}
