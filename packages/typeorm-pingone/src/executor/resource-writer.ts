import { PingOneApiError, PingOneOutcomeUnknownError, type PingOneClient } from '@typeorm-pingone/client';
import { ATTRIBUTE_CATALOG, type ResourceName } from '../mapping/attribute-catalog';
import type { ResourceTableMapping } from '../mapping/table-mapping';
import { setPath, type AttributeChanges } from '../mapping/row-to-attributes';
import { PingOneDriverError, PingOneWriteOutcomeUnknownError } from '../errors';
import type { Resource } from './remote-directory';
import { describeLookup, findLostCreate, isDirectMember, lostCreate, messageOf } from './lost-answer';
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
    // A password can only be set at creation through the import content type (pingone-api.md §3.1); population goes
    // in the same POST body, so neither is a separate step that could fail after the create.
    const post = (): Promise<Resource> => (typeof password === 'string' && resource === 'users'
      ? this.client.users.import({ ...(body as { username: string }), password: { value: password } })
      : this.client[resource].create(body as never)) as Promise<Resource>;
    const request = `POST /${resource}${typeof password === 'string' ? ' (import, with password)' : ''}`;
    let created: Resource;
    try {
      this.note(request);
      created = await post();
    } catch (error) {
      if (!(error instanceof PingOneOutcomeUnknownError)) throw error;
      created = await this.#afterLostCreate(resource, body, error, request, post);
    }
    if (resource === 'users' && changes.flat.get('enabled') === false) {
      const id = created.id;
      await this.#followUp(resource, created, `PUT /users/${id}/enabled (enabled: false)`, 'left ENABLED although enabled: false was asked', () => this.client.users.setEnabled(id, false));
      created = { ...created, enabled: false };
    }
    this.journal?.record({ kind: 'created', resource, id: created.id, client: this.client });
    return created;
  }

  /**
   * A step that completes a create (today: disabling a user created with enabled: false). If it fails, the create is
   * undone at once, so a security attribute is never left fail-open; if even that fails, the error says the resource
   * exists half-made, with its id.
   */
  async #followUp(resource: ResourceName, created: Resource, step: string, state: string, run: () => Promise<unknown>): Promise<void> {
    try {
      this.note(step);
      await run();
    } catch (stepError) {
      const what = `INSERT into ${resource}: ${resource} ${created.id} was created, but ${step} failed (${messageOf(stepError)})`;
      try {
        this.note(`DELETE /${resource}/${created.id} (undo the create: its follow-up failed)`);
        await this.client[resource].delete(created.id);
      } catch (undoError) {
        this.journal?.record({ kind: 'created', resource, id: created.id, client: this.client });
        const rollback = this.journal?.active ? ` This transaction's ROLLBACK will try to delete it again.` : '';
        throw new PingOneDriverError('PARTIALLY_APPLIED', `${what}, and deleting it again failed too (${messageOf(undoError)}). It exists in PingOne ${state}: fix or delete ${resource} ${created.id} by hand (DELETE /${resource}/${created.id}).${rollback}`, { cause: stepError });
      }
      throw new PingOneDriverError('REMOTE_ERROR', `${what}. It was deleted again, so nothing is left ${state.replace(/^left /, '')}; nothing was saved. Save it again once PingOne answers.`, { cause: stepError });
    }
  }

  /**
   * After a lost POST answer: read back by natural key before anything is repeated. If even the read-back fails, the
   * outcome stays unknown: the error says so (with the original error as cause and what was tried), and inside a
   * transaction the journal keeps the create as "maybe", so ROLLBACK looks again and deletes it if it is there.
   */
  async #afterLostCreate(resource: ResourceName, body: Json, lostError: PingOneOutcomeUnknownError, request: string, post: () => Promise<Resource>): Promise<Resource> {
    const lost = lostCreate(resource, body);
    if (!lost) throw lostError;
    const lookup = describeLookup(lost);
    const next = this.journal?.active
      ? `This transaction's ROLLBACK will look it up again and delete it if it exists.`
      : `Look it up (${lookup}) before saving again: saving blindly could create it twice.`;
    const unknown = (what: string, error: unknown) => {
      this.journal?.record({ kind: 'maybe-created', lost, client: this.client });
      return new PingOneWriteOutcomeUnknownError(
        `INSERT into ${resource}: the outcome is unknown: ${request} for ${lost.key} "${lost.value}" was sent but its answer was lost (${lostError.message}) ${what} (${messageOf(error)}), so PingOne may or may not have created it. ${next}`,
        { cause: lostError, tried: lookup, error },
      );
    };
    let found: Resource | undefined;
    try {
      this.note(`${lookup} (reconcile a lost POST answer)`);
      found = await findLostCreate(this.client, lost);
    } catch (readError) {
      throw unknown(`and reading it back to reconcile (${lookup}) failed too`, readError);
    }
    if (found) return found;
    try {
      this.note(`${request} (again: the read-back found nothing)`);
      return await post();
    } catch (again) {
      if (again instanceof PingOneOutcomeUnknownError) throw unknown(`; ${lookup} found nothing, it was sent once more and that answer was lost too`, again);
      throw again;
    }
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
    } catch (error) {
      // Already a member: the junction row exists, which is what the INSERT asked for.
      if (error instanceof PingOneApiError && error.detailCodes.includes('UNIQUENESS_VIOLATION')) return false;
      if (!(error instanceof PingOneOutcomeUnknownError)) throw error;
      await this.#afterLostMembership(userId, groupId, error);
    }
    this.journal?.record({ kind: 'membership-added', userId, groupId, client: this.client });
    return true;
  }

  /** After a lost membership POST answer: read the user's groups back; add it (once more) only if it isn't there. */
  async #afterLostMembership(userId: string, groupId: string, lostError: PingOneOutcomeUnknownError): Promise<void> {
    const lookup = `GET /users/${userId}/memberOfGroups`;
    const unknown = (what: string, error: unknown) => {
      this.journal?.record({ kind: 'maybe-membership', userId, groupId, client: this.client });
      const next = this.journal?.active ? `This transaction's ROLLBACK will remove it if it was added.` : 'Read the memberships back before adding it again.';
      return new PingOneWriteOutcomeUnknownError(`membership of user ${userId} in group ${groupId}: the outcome is unknown: its POST was sent but the answer was lost (${lostError.message}) ${what} (${messageOf(error)}). ${next}`, { cause: lostError, tried: lookup, error });
    };
    let present: boolean;
    try {
      this.note(`${lookup} (reconcile a lost POST answer)`);
      present = await isDirectMember(this.client, userId, groupId);
    } catch (readError) {
      throw unknown(`and reading it back (${lookup}) failed too`, readError);
    }
    if (present) return;
    try {
      this.note(`POST /users/${userId}/memberOfGroups (again: the read-back found nothing)`);
      await this.client.users.addToGroup(userId, groupId);
    } catch (again) {
      if (again instanceof PingOneApiError && again.detailCodes.includes('UNIQUENESS_VIOLATION')) return; // it landed after all
      if (again instanceof PingOneOutcomeUnknownError) throw unknown(`; the read-back found nothing, it was sent once more and that answer was lost too`, again);
      throw again;
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
