import { sqlValue, toText, type Truth } from './sqlite-values';

/**
 * SQLite's LIKE without regular expressions: `%` and `_` are the only wildcards (an ESCAPE character makes them
 * literal), ASCII letters match case-insensitively, everything else is literal (`\d`, `[ab]`, `__proto__` are plain
 * text). A compiled pattern is a list of segments between `%`s; matching places each segment at its leftmost
 * position after the previous one, which is correct for `%` and never backtracks, so time is O(value × pattern)
 * at worst and memory is the pattern's size. Nothing is cached across statements (alasql's LIKE kept a regex per
 * distinct pattern forever).
 */
const ANY_ONE = -1;

interface Segment {
  /** code points, or ANY_ONE for `_` */
  readonly units: readonly number[];
}

export interface CompiledLike {
  /** the text between `%`s: the first is anchored at the start, the last at the end (one segment: no `%`) */
  readonly segments: readonly Segment[];
}

export type LikeFold = 'ascii' | 'full';

function foldCode(code: number, fold: LikeFold): number {
  if (code >= 65 && code <= 90) return code + 32;
  if (fold === 'full' && code > 127) return String.fromCodePoint(code).toLowerCase().codePointAt(0) ?? code;
  return code;
}

function codePoints(text: string, fold: LikeFold): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(foldCode(ch.codePointAt(0)!, fold));
  return out;
}

export class LikeEscapeError extends Error {}

export function compileLike(pattern: string, escape: string | undefined, fold: LikeFold): CompiledLike {
  const escapeCode = escape === undefined ? undefined : [...escape];
  if (escapeCode !== undefined && escapeCode.length !== 1) throw new LikeEscapeError('ESCAPE expression must be a single character');
  const esc = escapeCode?.[0]?.codePointAt(0);
  const segments: Segment[] = [];
  let current: number[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const code = chars[i].codePointAt(0)!;
    if (esc !== undefined && code === esc) {
      const next = chars[++i];
      // SQLite: an escape character at the end of the pattern makes the pattern match nothing
      if (next === undefined) return { segments: [{ units: [Number.NaN] }] };
      current.push(foldCode(next.codePointAt(0)!, fold));
    } else if (code === 37 /* % */) {
      segments.push({ units: current });
      current = [];
    } else {
      current.push(code === 95 /* _ */ ? ANY_ONE : foldCode(code, fold));
    }
  }
  segments.push({ units: current });
  // Segments between consecutive `%`s are empty: drop them (`%%%%a` is `%a`), keeping the anchored ends.
  const first = segments[0];
  const last = segments.length > 1 ? segments[segments.length - 1] : undefined;
  const middle = segments.slice(1, segments.length - 1).filter((s) => s.units.length > 0);
  return { segments: last ? [first, ...middle, last] : [first] };
}

function matchesAt(value: readonly number[], at: number, units: readonly number[]): boolean {
  if (at + units.length > value.length) return false;
  for (let j = 0; j < units.length; j++) {
    const u = units[j];
    if (u !== ANY_ONE && u !== value[at + j]) return false;
  }
  return true;
}

function find(value: readonly number[], from: number, units: readonly number[]): number {
  for (let i = from; i + units.length <= value.length; i++) if (matchesAt(value, i, units)) return i;
  return -1;
}

export function matchCompiled(compiled: CompiledLike, value: readonly number[]): boolean {
  const { segments } = compiled;
  if (segments.length === 1) {
    const only = segments[0].units;
    return only.length === value.length && matchesAt(value, 0, only);
  }
  const head = segments[0].units;
  const tail = segments[segments.length - 1].units;
  if (head.length + tail.length > value.length) return false;
  if (!matchesAt(value, 0, head) || !matchesAt(value, value.length - tail.length, tail)) return false;
  let position = head.length;
  const end = value.length - tail.length;
  for (const segment of segments.slice(1, -1)) {
    const at = find(value, position, segment.units);
    if (at < 0 || at + segment.units.length > end) return false;
    position = at + segment.units.length;
  }
  return true;
}

/** `value LIKE pattern [ESCAPE escape]` with SQLite's NULL rule. `fold: 'full'` for attributes PingOne compares case-insensitively. */
export function like(valueRaw: unknown, patternRaw: unknown, escapeRaw: unknown, fold: LikeFold): Truth {
  const value = sqlValue(valueRaw);
  const pattern = sqlValue(patternRaw);
  const escape = escapeRaw === undefined ? undefined : sqlValue(escapeRaw);
  if (value === null || pattern === null || escape === null) return null;
  const compiled = compileLike(toText(pattern)!, escape === undefined ? undefined : toText(escape)!, fold);
  return matchCompiled(compiled, codePoints(toText(value)!, fold)) ? 1 : 0;
}

/** LIKE with a pattern compiled once (a literal or a statement's parameter): the value side per row. */
export function likeCompiled(value: unknown, compiled: CompiledLike, fold: LikeFold): Truth {
  const text = toText(sqlValue(value));
  return text === null ? null : matchCompiled(compiled, codePoints(text, fold)) ? 1 : 0;
}
