/** A name as a SQLite quoted identifier, and a text as a SQLite string literal (quotes doubled), for tests that write SQL. */
export const quoteName = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteText = (text: string): string => `'${text.replace(/'/g, "''")}'`;
