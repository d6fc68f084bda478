/*
 * Checks of single option values (unknown keys with "did you mean", number ranges, base URLs, ids), shared by the
 * worker's options (resolve-config.ts) and the interactive sign-in's (check-interactive.ts): a file of their own so
 * both read the same rules without importing each other.
 */
import { PingOneConfigError } from '../errors';
import { editDistance } from './edit-distance';
import { shownValue } from './option-shape';

const UUID_LIKE = /^[0-9a-fA-F-]{8,64}$/;
export const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** "Did you mean …?" for a misspelt option (edit distance ≤ 2, case-insensitive), else the list of options. */
function closest(key: string, known: readonly string[]): string {
  const scored = known.map((k) => [k, editDistance(key.toLowerCase(), k.toLowerCase())] as const).sort((x, y) => x[1] - y[1]);
  const best = scored[0];
  return best && best[1] <= 2 ? ` Did you mean '${best[0]}'?` : ` Known options: ${known.join(', ')}.`;
}

export function rejectUnknown(object: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) throw new PingOneConfigError(`unknown option '${where}${key}'.${closest(key, known)}`);
  }
}

export function integer(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new PingOneConfigError(`'${name}' must be a number between ${min} and ${max}; got ${shownValue(value)}.`);
  }
  return value;
}

/** An http(s) base URL without a trailing slash; plain http only for loopback hosts (the simulator). */
export function checkBaseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PingOneConfigError(`'${name}' is not a valid URL: ${shownValue(value)}. Example: https://api.pingone.eu/v1`);
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new PingOneConfigError(
      `'${name}' uses plain http:// for ${url.hostname}; tokens and secrets would travel unencrypted. Use https:// (plain http is allowed only for localhost/127.0.0.1, e.g. the simulator).`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PingOneConfigError(`'${name}' must be an https:// URL; got ${url.protocol}`);
  if (url.username || url.password)
    throw new PingOneConfigError(`'${name}' must not contain credentials; pass clientId/clientSecret instead.`);
  return url.toString().replace(/\/+$/, '');
}

export function requiredId(value: unknown, name: string, hint: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new PingOneConfigError(`'${name}' is required. ${hint}`);
  if (!UUID_LIKE.test(value))
    throw new PingOneConfigError(
      `'${name}' must be a PingOne id (a UUID such as 5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f); got ${shownValue(value)}.`,
    );
  return value;
}
