import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { replaceLiterals } from 'typeorm-pingone';

/** Entries kept (in memory and read back from the file). */
export const HISTORY_SIZE = 1000;

/** A statement that names one of these (anywhere: a column, a value, a comment) has its string literals redacted. */
const SENSITIVE = /pass(?:word|wd)|secret/i;

/**
 * A statement's text with every quoted string ('…', "…") replaced by `?`, for a statement that touches a password,
 * found by the driver's own lexer (comments and doubled quotes understood). A `?` rather than a mask: recalled and
 * run as is, the statement fails ("uses parameter 1 but only 0 value(s) were given") instead of setting a password.
 */
export function redactLiterals(sql: string): string {
  return replaceLiterals(sql, '?');
}

/** How an entry is kept in the history file: as typed, except the literals of a statement that touches a password. */
export function storedEntry(entry: string): string {
  return SENSITIVE.test(entry) ? redactLiterals(entry) : entry;
}

/**
 * The history file, newest first. One JSON string per line, so a multi-line statement comes back with its line
 * breaks (joined into one line, a `--` comment would swallow the rest of the statement, its WHERE included); a
 * line that is not JSON is read as it stands (files written before entries were JSON).
 */
export function loadHistory(file: string | undefined): string[] {
  if (!file || !existsSync(file)) return [];
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      if (!line.startsWith('"')) return line;
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'string' ? parsed : line;
      } catch {
        return line;
      }
    });
  return entries.reverse().slice(0, HISTORY_SIZE);
}

/** Appends one entry (the file is created readable by its owner only). */
export function appendHistory(file: string, entry: string): void {
  appendFileSync(file, `${JSON.stringify(storedEntry(entry))}\n`, { mode: 0o600 });
}

/** Puts `entry` first in readline's history (newest first), once, keeping at most HISTORY_SIZE entries. */
export function remember(history: string[], entry: string): void {
  const at = history.indexOf(entry);
  if (at >= 0) history.splice(at, 1);
  history.unshift(entry);
  if (history.length > HISTORY_SIZE) history.length = HISTORY_SIZE;
}
