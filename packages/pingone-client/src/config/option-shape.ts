import { PingOneConfigError } from '../errors';

/**
 * What an option may hold. `secret`: a string whose value never appears in a message (not even when it has the
 * wrong type); `key`: 32 bytes as a Buffer/Uint8Array or a string; a list: one of its kinds.
 */
export type OptionKind =
  | 'string'
  | 'secret'
  | 'number'
  | 'boolean'
  | 'function'
  | 'strings'
  | 'key'
  | { readonly literal: string | boolean }
  | { readonly object: OptionShape }
  | readonly OptionKind[];

export type OptionShape = Readonly<Record<string, OptionKind>>;

/**
 * A value as an error message may show it. Never throws (a BigInt, a Symbol, an object without a prototype or with
 * a `toString` that is not a function all have a description), never long, and never a secret's text.
 */
export function shownValue(value: unknown, secret = false): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return secret
        ? `a string of ${value.length} characters (not shown)`
        : JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return secret ? `a ${typeof value}` : String(value);
    case 'bigint':
      return secret ? 'a BigInt' : `the BigInt ${String(value).slice(0, 30)}n`;
    case 'symbol':
      return 'a Symbol';
    case 'function':
      return 'a function';
    default:
      return Array.isArray(value) ? `an array of ${value.length}` : value instanceof Uint8Array ? `${value.length} bytes` : 'an object';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function matches(value: unknown, kind: OptionKind): boolean {
  if (Array.isArray(kind)) return kind.some((k: OptionKind) => matches(value, k));
  switch (kind) {
    case 'string':
    case 'secret':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'function':
      return typeof value === 'function';
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'key':
      return typeof value === 'string' || value instanceof Uint8Array;
    default:
      return 'literal' in (kind as object) ? value === (kind as { literal: unknown }).literal : isObject(value);
  }
}

function described(kind: OptionKind): string {
  if (Array.isArray(kind)) return kind.map((k: OptionKind) => described(k)).join(' or ');
  switch (kind) {
    case 'string':
    case 'secret':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'function':
      return 'a function';
    case 'strings':
      return 'an array of strings';
    case 'key':
      return 'a Buffer, Uint8Array or string';
    default:
      return 'literal' in (kind as object) ? JSON.stringify((kind as { literal: unknown }).literal) : 'an object';
  }
}

const isSecret = (kind: OptionKind): boolean =>
  Array.isArray(kind) ? kind.some((k: OptionKind) => isSecret(k)) : kind === 'secret' || kind === 'key';

/**
 * Checks the type of every option `shape` names that `options` holds (undefined means "not given"), nested objects
 * included, before anything reads them: a wrong type is a PingOneConfigError naming the option, never a TypeError
 * from deep inside the client. Which keys may appear is checked separately (with "did you mean").
 */
export function checkOptionTypes(options: Readonly<Record<string, unknown>>, shape: OptionShape, where = ''): void {
  for (const [name, kind] of Object.entries(shape)) {
    const value = options[name];
    if (value === undefined) continue;
    if (!matches(value, kind)) {
      throw new PingOneConfigError(`'${where}${name}' must be ${described(kind)}; got ${shownValue(value, isSecret(kind))}.`);
    }
    const nested = (Array.isArray(kind) ? kind : [kind]).find(
      (k: OptionKind): k is { readonly object: OptionShape } => typeof k === 'object' && 'object' in k,
    );
    if (nested && isObject(value)) checkOptionTypes(value, nested.object, `${where}${name}.`);
  }
}
