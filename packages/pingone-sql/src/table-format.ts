import Table from 'cli-table3';

/** Rows as a terminal table (the only module that imports cli-table3). Long cells are cut so tables stay readable. */
export function formatTable(rows: readonly Record<string, unknown>[], maxCell = 60): string {
  if (rows.length === 0) return '(no rows)';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const table = new Table({ head: columns, style: { head: [], border: [] } });
  for (const row of rows) {
    table.push(columns.map((c) => {
      const value = row[c];
      const text = value === null || value === undefined ? 'NULL' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
      return text.length > maxCell ? `${text.slice(0, maxCell - 1)}…` : text;
    }));
  }
  return table.toString();
}
