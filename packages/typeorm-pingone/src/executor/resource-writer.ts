import { PingOneApiError, PingOneOutcomeUnknownError, scim, type PingOneClient } from '@typeorm-pingone/client';
import { ATTRIBUTE_CATALOG } from '../mapping/attribute-catalog';
import type { ResourceTableMapping } from '../mapping/table-mapping';
import { setPath, type AttributeChanges } from '../mapping/row-to-attributes';
import { PingOneDriverError } from '../errors';
import type { Resource } from './remote-directory';
import type { TransactionJournal } from './transaction-journal';

type Json = Record<string, unknown>;

/** Attributes PingOne takes only at their own endpoints, never in a user's POST/PUT/PATCH body. */
const USER_OWN_ENDPOINTS = new Set(['enabled', 'population.id', 'password']);

function without(body: Json, paths: Iterable<string>): Json {
  const copy = structuredClone(body);
  for (const path of paths) {
    const keys = path.split('.');
    let cur: Json | undefined = copy;
    for (const k of keys.slice(0, -1)) cur = (cur?.[k] as Json | undefined);
    if (cur) delete cur[keys[keys.length - 1]!];
    if (keys.length > 1 && copy[keys[0]!] && Object.keys(copy[keys[0]!] as Json).length === 0) delete copy[keys[0]!];
  }
  return copy;
}

/**
 * Creates, updates and deletes one resource through the client, the way PingOne wants each: users by POST and
 * PATCH with enabled/population routed to their endpoints, groups and populations by a full PUT that keeps every
 * attribute the statement didn't touch. A POST whose answer was lost is reconciled by reading before anything is
 * repeated, so a retry never creates a duplicate.
 */
export class ResourceWriter {
  constructor(private readonly client: PingOneClient, private readonly note: (request: string) => void, private readonly journal?: TransactionJournal) {}

  async create(mapping: ResourceTableMapping, changes: AttributeChanges): Promise<Resource> {
    const { resource } = mapping;
    const body = resource === 'users' ? without(changes.body, ['enabled', 'password']) : changes.body;
    const password = changes.flat.get('password');
    // A password can only be set at creation through the import content type (pingone-api.md §3.1).
    const post = (): Promise<Resource> => (typeof password === 'string' && resource === 'users'
      ? this.client.users.import({ ...(body as { username: string }), password: { value: password } })
      : this.client[resource].create(body as never)) as Promise<Resource>;
    let created: Resource;
    try {
      this.note(`POST /${resource}${typeof password === 'string' ? ' (import, with password)' : ''}`);
      created = await post();
    } catch (error) {
      if (!(error instanceof PingOneOutcomeUnknownError)) throw error;
      created = (await this.#reconcile(mapping, body)) ?? (await post());
    }
    this.journal?.record({ kind: 'created', resource, id: created.id, client: this.client });
    if (resource === 'users' && changes.flat.get('enabled') === false) {
      this.note(`PUT /users/${created.id}/enabled`);
      await this.client.users.setEnabled(created.id, false);
      created = { ...created, enabled: false };
    }
    return created;
  }

  /** After a lost POST answer: find what PingOne may have created, by its natural key. */
  async #reconcile(mapping: ResourceTableMapping, body: Json): Promise<Resource | undefined> {
    const key = mapping.resource === 'users' ? 'username' : 'name';
    const value = body[key];
    if (typeof value !== 'string') return undefined;
    this.note(`GET /${mapping.resource}?filter=${key} eq (reconcile a lost POST answer)`);
    const found = (await this.client[mapping.resource].list({ filter: scim.eq(key, value) }).toArray()) as Resource[];
    const population = (body.population as Json | undefined)?.id;
    return found.find((r) => String(r[key]).toLowerCase() === value.toLowerCase() && (population === undefined || (r.population as Json | undefined)?.id === population));
  }

  /** Returns false when the resource doesn't exist (so it isn't counted as affected). */
  async update(mapping: ResourceTableMapping, id: string, changes: AttributeChanges): Promise<boolean> {
    try {
      if (mapping.resource === 'users') return await this.#updateUser(id, changes);
      if (mapping.resource === 'groups' && changes.flat.has('population.id')) {
        throw new PingOneDriverError('READ_ONLY_ATTRIBUTE', "A group's population can't change after it is created (PingOne refuses it). Create a new group in the other population instead; nothing was sent.");
      }
      this.note(`GET /${mapping.resource}/${id}`);
      const current = (await this.client[mapping.resource].get(id)) as Json;
      this.journal?.record({ kind: 'updated', resource: mapping.resource, id, before: current, client: this.client });
      const next = this.#writable(mapping, current);
      for (const [attribute, value] of changes.flat) setPath(next, attribute.split('.'), value);
      this.note(`PUT /${mapping.resource}/${id}`);
      await this.client[mapping.resource].replace(id, next as never);
      return true;
    } catch (error) {
      if (error instanceof PingOneApiError && error.status === 404) return false;
      throw error;
    }
  }

  async #updateUser(id: string, changes: AttributeChanges): Promise<boolean> {
    if (this.journal?.active) {
      // Inside a transaction the before-image is needed to undo this update on rollback.
      this.note(`GET /users/${id} (before-image)`);
      this.journal.record({ kind: 'updated', resource: 'users', id, before: (await this.client.users.get(id)) as Json, client: this.client });
    }
    const body = without(changes.body, USER_OWN_ENDPOINTS);
    if (Object.keys(body).length > 0) {
      this.note(`PATCH /users/${id}`);
      await this.client.users.patch(id, body);
    }
    const population = changes.flat.get('population.id');
    if (typeof population === 'string') {
      this.note(`PUT /users/${id}/population`);
      await this.client.users.setPopulation(id, population);
    }
    const password = changes.flat.get('password');
    if (typeof password === 'string') {
      this.note(`PUT /users/${id}/password`);
      await this.client.users.setPassword(id, { value: password });
    }
    const enabled = changes.flat.get('enabled');
    if (typeof enabled === 'boolean') {
      this.note(`PUT /users/${id}/enabled`);
      await this.client.users.setEnabled(id, enabled);
    }
    return true;
  }

  /** The current resource minus what PingOne computes (a PUT body that clears nothing the statement didn't touch). */
  #writable(mapping: ResourceTableMapping, current: Json): Json {
    const readOnlyTop = new Set(Object.entries(ATTRIBUTE_CATALOG[mapping.resource]).filter(([, i]) => i.readOnly).map(([a]) => a.split('.')[0]!));
    for (const extra of ['_links', '_embedded', 'totalMemberCounts', 'checkSum']) readOnlyTop.add(extra);
    return structuredClone(Object.fromEntries(Object.entries(current).filter(([k]) => !readOnlyTop.has(k))));
  }

  async delete(mapping: ResourceTableMapping, id: string): Promise<boolean> {
    const remove = async (): Promise<boolean> => {
      this.note(`DELETE /${mapping.resource}/${id}`);
      try {
        await this.client[mapping.resource].delete(id);
        return true;
      } catch (error) {
        if (error instanceof PingOneApiError && error.status === 404) return false;
        throw error;
      }
    };
    if (!this.journal?.active) return remove();
    // In a transaction, deletes wait for COMMIT (a deleted user can't be restored with its id); say now whether it exists.
    this.note(`GET /${mapping.resource}/${id} (exists?)`);
    const exists = await this.client[mapping.resource].get(id).then(() => true, (error: unknown) => {
      if (error instanceof PingOneApiError && error.status === 404) return false;
      throw error;
    });
    if (exists) this.journal.record({ kind: 'deferred', describe: `${mapping.resource} ${id} (delete at COMMIT)`, apply: async () => { await remove(); } });
    return exists;
  }

  async addMembership(userId: string, groupId: string): Promise<boolean> {
    this.note(`POST /users/${userId}/memberOfGroups`);
    try {
      await this.client.users.addToGroup(userId, groupId);
      this.journal?.record({ kind: 'membership-added', userId, groupId, client: this.client });
      return true;
    } catch (error) {
      // Already a member: the junction row exists, which is what the INSERT asked for.
      if (error instanceof PingOneApiError && error.detailCodes.includes('UNIQUENESS_VIOLATION')) return false;
      throw error;
    }
  }

  async removeMembership(userId: string, groupId: string): Promise<boolean> {
    const remove = async (): Promise<boolean> => {
      this.note(`DELETE /users/${userId}/memberOfGroups/${groupId}`);
      try {
        await this.client.users.removeFromGroup(userId, groupId);
        return true;
      } catch (error) {
        if (error instanceof PingOneApiError && error.status === 404) return false;
        throw error;
      }
    };
    if (!this.journal?.active) return remove();
    this.journal.record({ kind: 'deferred', describe: `membership of user ${userId} in group ${groupId} (removed at COMMIT)`, apply: async () => { await remove(); } });
    return true;
  }
}
