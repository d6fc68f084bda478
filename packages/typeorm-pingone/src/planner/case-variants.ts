import { scim, type ScimFilter } from '@typeorm-pingone/client';

/**
 * Case variants of a pushed LIKE piece, so the filter selects a superset of the SQL predicate under both of PingOne's
 * plausible case rules. SQLite's LIKE folds ASCII letters only (`'ada%'` matches `Ada` and `ADA`, `'é%'` doesn't match
 * `É`), so the variants are those of the ASCII letters: `sw "ad"` becomes `sw "ad" or sw "aD" or sw "Ad" or sw "AD"`.
 * A case-insensitive PingOne answers each variant alike; a case-sensitive one answers their union, which holds every
 * row the LIKE matches. The number of variants doubles with each letter, so the piece is cut to at most
 * MAX_CASE_LETTERS letters (a shorter prefix, suffix or substring still selects a superset).
 */
export const MAX_CASE_VARIANTS = 8;
const MAX_CASE_LETTERS = Math.log2(MAX_CASE_VARIANTS);

const isLetter = (ch: string) => /^[A-Za-z]$/.test(ch);

/** The longest prefix (or suffix) of `text` with at most MAX_CASE_LETTERS ASCII letters. */
export function boundedPiece(text: string, from: 'start' | 'end'): string {
  const chars = [...text];
  const ordered = from === 'start' ? chars : [...chars].reverse();
  let letters = 0;
  let length = 0;
  for (const ch of ordered) {
    if (isLetter(ch) && ++letters > MAX_CASE_LETTERS) break;
    length++;
  }
  const piece = ordered.slice(0, length);
  return (from === 'start' ? piece : piece.reverse()).join('');
}

/** Every upper/lower-case spelling of the ASCII letters of `piece` (the piece itself when it has none). */
export function caseVariants(piece: string): string[] {
  let out = [''];
  for (const ch of piece) {
    out = isLetter(ch) ? out.flatMap((p) => [p + ch.toLowerCase(), p + ch.toUpperCase()]) : out.map((p) => p + ch);
  }
  return [...new Set(out)];
}

/** `attribute op piece` for every case variant of the bounded piece of `text`, in one OR. */
export function caseRobust(operator: 'sw' | 'ew' | 'co', attribute: string, text: string): ScimFilter {
  const piece = boundedPiece(text, operator === 'ew' ? 'end' : 'start');
  return scim.or(...caseVariants(piece).map((v) => scim[operator](attribute, v)));
}
