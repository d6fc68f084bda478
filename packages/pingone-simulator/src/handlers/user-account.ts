import { randomInt } from 'node:crypto';
import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { isPlainObject, nowIso, type Json } from '../store/attributes';
import { environmentPath, renderUser } from '../views';
import { JSON_TYPE, objectBody, requiredBoolean } from './request-body';
import { userOr404 } from './users';

/*
 * The user operations PingOne offers instead of attributes a PUT or PATCH could set (developer.pingidentity.com,
 * "User Accounts", "User Passwords", "UPDATE User MFA Enabled"): account lock and unlock are POSTs to the user told
 * apart by content type, the password's operations POSTs to /password, mfaEnabled a PUT of its own. Content types
 * are compared lower-cased (mediaType lower-cases them); the bodiless ones are documented without "+json".
 */
const ACCOUNT_LOCK = 'application/vnd.pingidentity.account.lock+json';
const ACCOUNT_UNLOCK = 'application/vnd.pingidentity.account.unlock+json';
const PASSWORD_TYPES = {
  check: 'application/vnd.pingidentity.password.check+json',
  recover: 'application/vnd.pingidentity.password.recover+json',
  reset: 'application/vnd.pingidentity.password.reset+json',
  forceChange: 'application/vnd.pingidentity.password.forcechange',
  sendRecoveryCode: 'application/vnd.pingidentity.password.sendrecoverycode',
  // documented as both (the page's text without "+json", its example header with it)
  unlock: 'application/vnd.pingidentity.password.unlock',
  unlockJson: 'application/vnd.pingidentity.password.unlock+json',
} as const;

/** A body that may be absent (the bodiless operations), else a JSON object. */
function optionalObject(ctx: HandlerContext): Json {
  const body = ctx.request.body;
  if (body === undefined) return {};
  if (!isPlainObject(body)) throw httpErrors.invalidRequest('The request body must be a JSON object.');
  return body;
}

function save(ctx: HandlerContext, user: Json & { id: string }, changes: Json): Json & { id: string } {
  const next = { ...user, ...changes, updatedAt: nowIso() };
  ctx.environment.putUser(next);
  return next;
}

/**
 * `POST /users/{id}` with the account.lock or account.unlock content type; answers the user. PingOne documents that
 * a lock "takes an optional unlockAt … If unlockAt is not set or is in the past, the user account is not locked":
 * the simulator does exactly that (it is never kinder than the documentation), so a lock without a future unlockAt
 * answers 200 with the account still OK.
 */
export function accountAction(ctx: HandlerContext): ApiResponse {
  const type = ctx.request.contentType;
  if (type !== ACCOUNT_LOCK && type !== ACCOUNT_UNLOCK)
    throw httpErrors.unsupportedMediaType(type || '(none)', [ACCOUNT_LOCK, ACCOUNT_UNLOCK]);
  const user = userOr404(ctx);
  const body = optionalObject(ctx);
  if (type === ACCOUNT_UNLOCK) {
    return {
      status: 200,
      body: renderUser(ctx.view, save(ctx, user, { account: { canAuthenticate: user.enabled !== false, status: 'OK' } })),
    };
  }
  const unlockAt = body.unlockAt;
  if (unlockAt !== undefined && (typeof unlockAt !== 'string' || Number.isNaN(Date.parse(unlockAt)))) {
    throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'unlockAt', message: 'unlockAt must be a date-time (RFC 3339).' });
  }
  const until = typeof unlockAt === 'string' ? Date.parse(unlockAt) : undefined;
  if (until === undefined || until <= Date.now()) return { status: 200, body: renderUser(ctx.view, user) };
  const account = {
    canAuthenticate: false,
    status: 'LOCKED',
    lockedAt: nowIso(),
    unlockAt: new Date(until).toISOString(),
    secondsUntilUnlock: Math.ceil((until - Date.now()) / 1000),
  };
  return { status: 200, body: renderUser(ctx.view, save(ctx, user, { account })) };
}

/** `PUT /users/{id}/mfaEnabled` `{ mfaEnabled }`: the only way PingOne changes it after the create. */
export function updateMfaEnabled(ctx: HandlerContext): ApiResponse {
  const user = userOr404(ctx);
  const mfaEnabled = requiredBoolean(objectBody(ctx.request.body, ctx.request.contentType, [JSON_TYPE]), 'mfaEnabled');
  save(ctx, user, { mfaEnabled });
  return { status: 200, body: { _links: { self: { href: `${environmentPath(ctx.view)}/users/${user.id}/mfaEnabled` } }, mfaEnabled } };
}

function passwordState(ctx: HandlerContext, userId: string): Json {
  const stored = ctx.environment.passwords.get(userId);
  return {
    _links: { self: { href: `${environmentPath(ctx.view)}/users/${userId}/password` } },
    environment: { id: ctx.environment.id },
    user: { id: userId },
    status: stored?.value === undefined ? 'NO_PASSWORD' : stored.forceChange ? 'MUST_CHANGE_PASSWORD' : 'OK',
    ...(stored?.lastChangedAt ? { lastChangedAt: stored.lastChangedAt } : {}),
  };
}

/** `GET /users/{id}/password`: the password's state, never the password. */
export function readPasswordState(ctx: HandlerContext): ApiResponse {
  return { status: 200, body: passwordState(ctx, userOr404(ctx).id) };
}

const mismatch = (target: string, message: string) => httpErrors.invalidData({ code: 'INVALID_VALUE', target, message });

function requiredText(body: Json, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '')
    throw httpErrors.invalidData({ code: 'REQUIRED_VALUE', target: name, message: `${name} is required.` });
  return value;
}

/** `POST /users/{id}/password`: check, recover, reset, forceChange, sendRecoveryCode and unlock, by content type. */
export function passwordAction(ctx: HandlerContext): ApiResponse {
  const type = ctx.request.contentType;
  const user = userOr404(ctx);
  const stored = ctx.environment.passwords.get(user.id);
  const set = (value: string) => {
    ctx.environment.passwords.set(user.id, { value, forceChange: false, lastChangedAt: nowIso() });
    save(ctx, user, {});
  };
  switch (type) {
    case PASSWORD_TYPES.check: {
      const password = requiredText(optionalObject(ctx), 'password');
      if (stored?.value === undefined) throw mismatch('password', 'The user has no password (status NO_PASSWORD).');
      if (stored.value !== password) throw mismatch('password', 'The password did not match.');
      break;
    }
    case PASSWORD_TYPES.reset: {
      const body = optionalObject(ctx);
      const current = requiredText(body, 'currentPassword');
      const next = requiredText(body, 'newPassword');
      if (!stored || stored.value !== current) throw mismatch('currentPassword', 'The current password did not match.');
      set(next);
      break;
    }
    case PASSWORD_TYPES.recover: {
      const body = optionalObject(ctx);
      const code = requiredText(body, 'recoveryCode');
      const next = requiredText(body, 'newPassword');
      if (!stored?.recoveryCode || stored.recoveryCode !== code) throw mismatch('recoveryCode', 'The recovery code is not valid.');
      set(next);
      break;
    }
    case PASSWORD_TYPES.forceChange:
      if (stored) ctx.environment.passwords.set(user.id, { ...stored, forceChange: true });
      save(ctx, user, {});
      break;
    case PASSWORD_TYPES.sendRecoveryCode: {
      // Sent to the user's email by PingOne; the simulator keeps it in its store, where a test reads it.
      const recoveryCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
      ctx.environment.passwords.set(user.id, { ...(stored ?? { forceChange: false }), recoveryCode });
      break;
    }
    case PASSWORD_TYPES.unlock:
    case PASSWORD_TYPES.unlockJson:
      break;
    default:
      throw httpErrors.unsupportedMediaType(type || '(none)', Object.values(PASSWORD_TYPES));
  }
  return { status: 200, body: passwordState(ctx, user.id) };
}
