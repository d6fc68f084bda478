import { scim, type PingOneClient } from '@typeorm-pingone/client';
import type { CoreResource } from '../mapping/attribute-catalog';
import type { Resource } from './remote-directory';
import type { MembershipEndpoints } from './membership-endpoints';

type Json = Record<string, unknown>;

/**
 * A create whose POST answer was lost, named by what can find it again (its natural key) and by what can prove a
 * found resource is this request's: every value it sent, and the earliest PingOne time it can have been sent at
 * (`notBefore`, from the client's ServerClock; undefined while no PingOne answer has told the time yet).
 */
export interface LostCreate {
  readonly resource: CoreResource;
  readonly key: 'username' | 'name';
  readonly value: string;
  readonly population: string | undefined;
  /** the attributes the POST sent (never a password: PingOne never returns one, and it is not journaled) */
  readonly sent: Json;
  /** the earliest PingOne time (epoch ms) the POST can have left this process at */
  readonly notBefore: number | undefined;
}

/** Attributes a found resource is not compared on: PingOne never returns them, or sets them itself. */
const NOT_COMPARED = new Set(['password', 'enabled', 'lifecycle', 'emailVerified', 'mfaEnabled']);

export function lostCreate(resource: CoreResource, body: Json, notBefore: number | undefined): LostCreate | undefined {
  const key = resource === 'users' ? 'username' : 'name';
  const value = body[key];
  if (typeof value !== 'string') return undefined;
  const population = (body.population as Json | undefined)?.id;
  const sent = Object.fromEntries(Object.entries(body).filter(([k]) => !NOT_COMPARED.has(k)));
  return { resource, key, value, population: typeof population === 'string' ? population : undefined, sent, notBefore };
}

export function describeLookup(lost: Pick<LostCreate, 'resource' | 'key' | 'value'>): string {
  return `GET /${lost.resource}?filter=${lost.key} eq "${lost.value}"`;
}

/** What the read-back found, and whether it is provably this request's. */
export type Reconciled =
  | { readonly kind: 'absent' }
  | { readonly kind: 'proven'; readonly resource: Resource }
  | { readonly kind: 'not-proven'; readonly resource: Resource; readonly why: string };

/** Reads back what PingOne may have created (usernames and names compare case-insensitively in PingOne), and judges it. */
export async function reconcileLostCreate(client: PingOneClient, lost: LostCreate): Promise<Reconciled> {
  const found = (await client[lost.resource].list({ filter: scim.eq(lost.key, lost.value) }).toArray()) as Resource[];
  const match = found.find(
    (r) =>
      String(r[lost.key]).toLowerCase() === lost.value.toLowerCase() &&
      (lost.population === undefined || (r.population as Json | undefined)?.id === lost.population),
  );
  if (!match) return { kind: 'absent' };
  const why = disproof(lost, match);
  return why === undefined ? { kind: 'proven', resource: match } : { kind: 'not-proven', resource: match, why };
}

/**
 * Why a found resource is not provably the lost request's, or undefined when it is: PingOne created it no earlier
 * than the request can have been sent (both on PingOne's clock: `createdAt` against the Date headers' bound, never
 * this machine's clock), and it carries every value the request sent. A resource made before the request left was
 * not made by it; one whose values differ was not made by it either (or was changed since, which is no proof).
 */
export function disproof(lost: LostCreate, found: Resource): string | undefined {
  const createdAt = typeof found.createdAt === 'string' ? Date.parse(found.createdAt) : Number.NaN;
  if (lost.notBefore === undefined)
    return "no PingOne answer had told PingOne's time yet, so when the request was sent is unknown on PingOne's clock";
  if (Number.isNaN(createdAt)) return 'PingOne sent no createdAt for it';
  if (createdAt < lost.notBefore) {
    return `it was created at ${new Date(createdAt).toISOString()}, before this request was sent (not before ${new Date(lost.notBefore).toISOString()} on PingOne's clock)`;
  }
  const differs = differingValue(lost.sent, found, '');
  return differs === undefined ? undefined : `its ${differs}`;
}

/** The first sent value the found resource does not carry, described; usernames and emails compare case-insensitively. */
function differingValue(sent: Json, found: Json, prefix: string): string | undefined {
  for (const [key, value] of Object.entries(sent)) {
    const path = `${prefix}${key}`;
    const actual = found[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && path !== 'customData') {
      const inner = differingValue(value as Json, (actual ?? {}) as Json, `${path}.`);
      if (inner !== undefined) return inner;
      continue;
    }
    const same =
      (path === 'username' || path === 'email') && typeof value === 'string' && typeof actual === 'string'
        ? value.toLowerCase() === actual.toLowerCase()
        : JSON.stringify(value ?? null) === JSON.stringify(actual ?? null);
    if (!same) return `${path} is ${JSON.stringify(actual ?? null)} where this request sent ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** Whether a user is a direct member of a group (one GET of the membership; 404: not a member). */
export async function isDirectMember(endpoints: MembershipEndpoints, memberId: string, groupId: string): Promise<boolean> {
  const memberships = await endpoints.list(memberId);
  return memberships.some((m) => m.id === groupId && (m.type === undefined || m.type === 'DIRECT'));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
