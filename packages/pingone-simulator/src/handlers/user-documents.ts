import { randomUUID } from 'node:crypto';
import { httpErrors } from '../errors';
import type { Environment } from '../store/environment';
import {
  compact,
  isPlainObject,
  mergeAttributes,
  nowIso,
  pickAttributes,
  USER_CREATE_ONLY,
  USER_IMPORT_ONLY,
  USER_WRITABLE,
  type Json,
} from '../store/attributes';
import { checkEmail, optionalString, requiredString } from './request-body';

/** Attributes PUT and PATCH never change: they are server-managed or have their own endpoints (pingone-api.md §3.2). */
const MANAGED = [
  'id',
  'environment',
  'population',
  'enabled',
  'mfaEnabled',
  'lifecycle',
  'emailVerified',
  'lastSignOn',
  'verifyStatus',
  'account',
  'createdAt',
  'updatedAt',
];

function validateUser(environment: Environment, user: Json, selfId?: string): void {
  const username = requiredString(user, 'username', 128);
  requiredString(user, 'email', 1024);
  checkEmail(user);
  for (const name of ['nickname', 'title', 'type', 'locale', 'preferredLanguage', 'timezone', 'externalId', 'accountId']) {
    optionalString(user, name, name === 'externalId' ? 1024 : 256);
  }
  optionalString(user, 'primaryPhone', 32);
  optionalString(user, 'mobilePhone', 32);
  const existing = environment.userIdByUsername(username);
  if (existing !== undefined && existing !== selfId) {
    throw httpErrors.invalidData({
      code: 'UNIQUENESS_VIOLATION',
      target: 'username',
      message: 'A user with the specified username already exists.',
      innerError: { existingId: existing },
    });
  }
}

function writable(environment: Environment, body: Json, extra: ReadonlySet<string> = new Set()): Json {
  return pickAttributes(body, USER_WRITABLE, new Set([...environment.customAttributes, ...extra]));
}

const freeForm = (environment: Environment) => new Set(['customData', ...environment.customAttributes]);

/** A new user from a POST body, with PingOne's defaults (compare real-recordings/fetch-users.har). */
export function newUser(
  environment: Environment,
  body: Json,
  isImport: boolean,
): { user: Json & { id: string }; password?: { value: string; forceChange: boolean } } {
  const extra = new Set([...USER_CREATE_ONLY, ...(isImport ? USER_IMPORT_ONLY : [])]);
  const input = writable(environment, body, extra);
  const populationId =
    isPlainObject(input.population) && typeof input.population.id === 'string' ? input.population.id : environment.defaultPopulationId();
  if (populationId === undefined) {
    throw httpErrors.invalidData({
      code: 'REQUIRED_VALUE',
      target: 'population.id',
      message: 'population.id is required: the environment has no default population.',
    });
  }
  if (!environment.populations.has(populationId)) {
    throw httpErrors.invalidData({
      code: 'INVALID_VALUE',
      target: 'population.id',
      message: `Population '${populationId}' does not exist.`,
    });
  }
  let password: { value: string; forceChange: boolean } | undefined;
  if (isImport && input.password !== undefined) {
    const p = input.password;
    if (!isPlainObject(p) || typeof p.value !== 'string' || p.value === '') {
      throw httpErrors.invalidData({
        code: 'INVALID_VALUE',
        target: 'password.value',
        message: 'password.value must be a non-empty string.',
      });
    }
    password = { value: p.value, forceChange: p.forceChange === true };
  }
  delete input.password;
  const now = nowIso();
  const lifecycle = isPlainObject(input.lifecycle) ? input.lifecycle : {};
  const user = compact(
    {
      id: randomUUID(),
      environment: { id: environment.id },
      ...input,
      account: { canAuthenticate: true, status: 'OK' },
      enabled: true,
      identityProvider: { type: 'PING_ONE', ...(isPlainObject(input.identityProvider) ? input.identityProvider : {}) },
      lifecycle: { status: lifecycle.status === 'VERIFICATION_REQUIRED' ? 'VERIFICATION_REQUIRED' : 'ACCOUNT_OK' },
      mfaEnabled: input.mfaEnabled === true,
      population: { id: populationId },
      verifyStatus: 'NOT_INITIATED',
      createdAt: now,
      updatedAt: now,
    },
    freeForm(environment),
  ) as Json & { id: string };
  validateUser(environment, user);
  return password ? { user, password } : { user };
}

/** PUT: every writable attribute the body omits is cleared; managed attributes stay. */
export function replacedUser(environment: Environment, current: Json, body: Json): Json & { id: string } {
  const managed = Object.fromEntries(MANAGED.filter((k) => current[k] !== undefined).map((k) => [k, current[k]]));
  const input = writable(environment, body);
  const user = compact(
    {
      ...managed,
      ...input,
      identityProvider: { type: 'PING_ONE', ...(isPlainObject(input.identityProvider) ? input.identityProvider : {}) },
      updatedAt: nowIso(),
    },
    freeForm(environment),
  ) as Json & { id: string };
  validateUser(environment, user, String(current.id));
  return user;
}

/** PATCH: only the attributes the body names change; `null` clears one. */
export function patchedUser(environment: Environment, current: Json, body: Json): Json & { id: string } {
  const user: Json = structuredClone(current);
  mergeAttributes(user, writable(environment, body), freeForm(environment));
  user.updatedAt = nowIso();
  const result = compact(user, freeForm(environment)) as Json & { id: string };
  validateUser(environment, result, String(current.id));
  return result;
}
