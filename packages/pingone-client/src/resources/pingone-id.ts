/**
 * PingOne ids are UUIDs (36 characters; pingone-api.md §3.4). The client doesn't insist on the UUID form (a proxy or
 * a future resource may use another), but a value that can't be one id in one path segment is not a PingOne id:
 * refusing it before any request keeps `GET /users/..` from addressing the environment itself.
 */
export const MAX_ID_LENGTH = 128;

// `.` and `..` survive encodeURIComponent and are then resolved away by URL parsing (`/users/..` is `/`), and a
// slash or backslash (WHATWG URL parsing treats a backslash as a slash in http URLs) would add a segment: `DELETE /users/..` would hit
// the environment itself. Control characters are never part of a PingOne id.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` is not a PingOne id, or undefined when it may be one. */
export function notAnIdBecause(value: unknown): string | undefined {
  if (typeof value !== 'string')
    return `it is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}, not a string`;
  if (value === '') return 'it is empty, so the path would address the collection instead';
  if (value === '.' || value === '..') return 'a dot segment is resolved away by URL parsing and would address another resource';
  if (FORBIDDEN.test(value)) return 'it contains a slash, backslash or control character, which would change the path';
  if (LONE_SURROGATE.test(value)) return 'it is not well-formed Unicode (a lone surrogate), so it cannot be encoded in a URL';
  if (value.length > MAX_ID_LENGTH)
    return `it is ${value.length} characters long, and PingOne ids are UUIDs (36 characters; at most ${MAX_ID_LENGTH} are accepted)`;
  return undefined;
}

/** Whether `value` can be a PingOne id: what a driver checks before asking for a row by id (anything else is "no such row"). */
export function isPingOneId(value: unknown): value is string {
  return notAnIdBecause(value) === undefined;
}
