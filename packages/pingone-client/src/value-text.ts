/**
 * Any value as text, where a message or a text column needs one and the value's type is not known (a field of an API
 * answer, a value TypeORM bound, a rejection reason). `String()` is right only for primitives: on an object it writes
 * '[object Object]', which says nothing, and on a function its source. So: a string as it is, the other primitives
 * as `String()` writes them, an Error as `Name: message`, a Date as its ISO time, a function as 'a function', any
 * other object as JSON (a BigInt inside as its digits), and an object JSON cannot write (a cycle) by its kind.
 * Never throws.
 */
export function valueText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'symbol':
    case 'undefined':
      return String(value);
    case 'function':
      return 'a function';
    case 'object':
      return objectText(value);
  }
}

function objectText(value: object | null): string {
  if (value === null) return 'null';
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    // undefined only when toJSON() answers undefined
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'an object';
  } catch {
    return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
  }
}
