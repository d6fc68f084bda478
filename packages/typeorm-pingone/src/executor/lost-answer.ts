import { scim, type PingOneClient } from '@typeorm-pingone/client';
import type { ResourceName } from '../mapping/attribute-catalog';
import type { Resource } from './remote-directory';

type Json = Record<string, unknown>;

/** A create whose POST answer was lost, named by what can find it again: its natural key (and population). */
export interface LostCreate {
  readonly resource: ResourceName;
  readonly key: 'username' | 'name';
  readonly value: string;
  readonly population: string | undefined;
}

export function lostCreate(resource: ResourceName, body: Json): LostCreate | undefined {
  const key = resource === 'users' ? 'username' : 'name';
  const value = body[key];
  if (typeof value !== 'string') return undefined;
  const population = (body.population as Json | undefined)?.id;
  return { resource, key, value, population: typeof population === 'string' ? population : undefined };
}

export function describeLookup(lost: LostCreate): string {
  return `GET /${lost.resource}?filter=${lost.key} eq "${lost.value}"`;
}

/** Reads back what PingOne may have created (usernames and names compare case-insensitively in PingOne). */
export async function findLostCreate(client: PingOneClient, lost: LostCreate): Promise<Resource | undefined> {
  const found = (await client[lost.resource].list({ filter: scim.eq(lost.key, lost.value) }).toArray()) as Resource[];
  return found.find((r) => String(r[lost.key]).toLowerCase() === lost.value.toLowerCase()
    && (lost.population === undefined || (r.population as Json | undefined)?.id === lost.population));
}

/** Whether a user is a direct member of a group, read back after a membership POST whose answer was lost. */
export async function isDirectMember(client: PingOneClient, userId: string, groupId: string): Promise<boolean> {
  const memberships = await client.users.listGroupMemberships(userId).toArray();
  return memberships.some((m) => m.id === groupId && (m.type === undefined || m.type === 'DIRECT'));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
