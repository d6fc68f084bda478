/**
 * Which attributes a request body may set, per resource. PingOne silently ignores read-only and unknown
 * attributes in request bodies (pingone-api.md §3.4: "unknown attributes in a request body are silently
 * IGNORED"), so the simulator keeps only these and drops the rest.
 */
export type Json = Record<string, unknown>;

/** Top-level user attributes a create/replace/patch may set (nested objects are kept as sent, minus read-only members). */
export const USER_WRITABLE = new Set([
  'username',
  'email',
  'name',
  'nickname',
  'title',
  'type',
  'locale',
  'preferredLanguage',
  'timezone',
  'primaryPhone',
  'mobilePhone',
  'photo',
  'address',
  'externalId',
  'accountId',
  'identityProvider',
]);
/*
 * Not here: `account` (lock state: PingOne computes canAuthenticate, lockedAt and secondsUntilUnlock, and changes
 * status only through the account.lock/unlock operations), `mfaEnabled` (its own PUT), `lifecycle` (import only),
 * `enabled` and `population` (their own endpoints). PingOne ignores them in a body, and so does the simulator.
 */
/** Only on create (PUT/PATCH cannot change them: they have their own endpoints). */
export const USER_CREATE_ONLY = new Set(['population', 'mfaEnabled']);
/** Only with the import content type (pingone-api.md §3.1). */
export const USER_IMPORT_ONLY = new Set(['lifecycle', 'emailVerified', 'password']);
/** Read-only members of nested user objects. */
const USER_NESTED_READ_ONLY: Readonly<Record<string, readonly string[]>> = {
  identityProvider: ['type'],
};

export const GROUP_WRITABLE = new Set(['name', 'description', 'externalId', 'customData', 'userFilter']);
export const GROUP_CREATE_ONLY = new Set(['population']);
export const POPULATION_WRITABLE = new Set([
  'name',
  'description',
  'default',
  'passwordPolicy',
  'theme',
  'preferredLanguage',
  'alternativeIdentifiers',
]);

export function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Picks the allowed attributes from a body; `null` means "clear" and is kept so callers can remove the key. */
export function pickAttributes(body: Json, allowed: ReadonlySet<string>, extra: ReadonlySet<string> = new Set()): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (!allowed.has(key) && !extra.has(key)) continue;
    const readOnly = USER_NESTED_READ_ONLY[key];
    if (readOnly && isPlainObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).filter(([k]) => !readOnly.includes(k)));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Applies a partial update (PingOne PATCH: "only the attributes specified in the request are modified"): `null`
 * removes an attribute, nested objects merge member by member (so `{name:{given}}` keeps `name.family`), anything
 * else, and free-form JSON attributes, replace the old value.
 */
export function mergeAttributes(target: Json, changes: Json, freeForm: ReadonlySet<string> = new Set()): void {
  for (const [key, value] of Object.entries(changes)) {
    const current = target[key];
    if (value === null) delete target[key];
    else if (isPlainObject(value) && isPlainObject(current) && !freeForm.has(key)) mergeAttributes(current, value);
    else target[key] = value;
  }
}

/**
 * Removes nulls and empty nested objects, because PingOne omits unset attributes instead of sending null.
 * Free-form JSON attributes (`customData`, custom JSON attributes) are kept exactly as sent.
 */
export function compact(data: Json, freeForm: ReadonlySet<string> = new Set(['customData'])): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    if (isPlainObject(value) && !freeForm.has(key)) {
      const inner = compact(value, new Set());
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function nowIso(): string {
  return new Date().toISOString();
}
