import { PingOneApiError, PingOneOutcomeUnknownError, type PingOneClient } from '@typeorm-pingone/client';
import { isCoreResource, type CoreResource } from '../mapping/attribute-catalog';
import type { ResourceTableMapping } from '../mapping/table-mapping';
import type { AttributeChanges } from '../mapping/row-to-attributes';
import { PingOneDriverError, PingOneWriteOutcomeUnknownError } from '../errors';
import type { Resource } from './remote-directory';
import { describeLookup, lostCreate, messageOf, reconcileLostCreate, type LostCreate } from './lost-answer';
import { putUpdate } from './put-update';
import { addMembership } from './membership-writer';
import { membershipEndpoints } from './membership-endpoints';
import type { MemberKind } from '../mapping/table-mapping';
import { deleteIfPresent } from './compensation';
import type { TransactionJournal } from './transaction-journal';
import { checkAccountChanges, updateUser, without } from './user-update';

type Json = Record<string, unknown>;

/** Attributes a user's create body never carries: they are set by their own requests after the POST. */
const AFTER_CREATE = ['enabled', 'password', 'account.status', 'account.unlockAt'];

/**
 * Creates, updates and deletes one resource through the client, the way PingOne wants each: users by POST and
 * PATCH with their own-endpoint attributes routed (user-update.ts), groups and populations by a full PUT guarded
 * against concurrent writers (put-update.ts). A POST whose answer was lost is reconciled by reading back before
 * anything is repeated, and what is found is taken as this request's only when provably so (lost-answer.ts).
 * Inside a transaction every change is journaled before its first request (transaction-journal.ts).
 */
export class ResourceWriter {
  constructor(
    private readonly client: PingOneClient,
    private readonly note: (request: string) => void,
    private readonly journal?: TransactionJournal,
  ) {}

  async create(mapping: ResourceTableMapping, changes: AttributeChanges): Promise<Resource> {
    const resource = coreOf(mapping);
    if (resource === 'users') checkAccountChanges(changes, mapping.table);
    const body = resource === 'users' ? without(changes.body, AFTER_CREATE) : changes.body;
    const password = changes.flat.get('password');
    // A password can only be set at creation through the import content type (pingone-api.md §3.1); population goes
    // in the same POST body, so neither is a separate step that could fail after the create.
    const post = (): Promise<Resource> =>
      typeof password === 'string' && resource === 'users'
        ? this.client.users.import({ ...(body as { username: string }), password: { value: password } })
        : this.client[resource].create(body as never);
    const request = `POST /${resource}${typeof password === 'string' ? ' (import, with password)' : ''}`;
    const clock = this.client.serverClock;
    const sentAt = clock.now();
    const lost = lostCreate(resource, body, clock.notBefore(sentAt));
    const n = lost ? await this.#intend({ kind: 'create', environmentId: this.client.environmentId, lost, answered: false }) : -1;
    let created: Resource;
    try {
      this.note(request);
      created = await post();
    } catch (error) {
      if (!(error instanceof PingOneOutcomeUnknownError) || !lost) {
        await this.journal?.void(n);
        throw error;
      }
      const refined = { ...lost, notBefore: clock.notBefore(sentAt) };
      await this.journal?.refine(n, refined);
      created = await this.#afterLostCreate(refined, n, error, request, post);
    }
    await this.journal?.answered(n, created.id);
    if (resource === 'users') created = await this.#userFollowUps(created, changes);
    return created;
  }

  async #intend(entry: Parameters<TransactionJournal['intend']>[0]): Promise<number> {
    return this.journal?.active ? this.journal.intend(entry) : -1;
  }

  /** What a create asked for that PingOne sets by other requests: enabled: false, a locked account. */
  async #userFollowUps(created: Resource, changes: AttributeChanges): Promise<Resource> {
    const id = created.id;
    if (changes.flat.get('enabled') === false) {
      await this.#followUp(created, `PUT /users/${id}/enabled (enabled: false)`, 'left ENABLED although enabled: false was asked', () =>
        this.client.users.setEnabled(id, false),
      );
      created = { ...created, enabled: false };
    }
    if (changes.flat.get('account.status') === 'LOCKED') {
      const unlockAt = changes.flat.get('account.unlockAt');
      let answer: Resource | undefined;
      await this.#followUp(
        created,
        `POST /users/${id} (account.lock)`,
        'left UNLOCKED although account.status LOCKED was asked',
        async () => {
          answer = await this.client.users.lock(id, typeof unlockAt === 'string' ? { unlockAt } : {});
          if ((answer.account as Json | undefined)?.status !== 'LOCKED') {
            throw new Error(
              `PingOne answered the lock with account.status ${String((answer.account as Json | undefined)?.status)}: it locks only until a future account.unlockAt${typeof unlockAt === 'string' ? '' : ', and none was given'}`,
            );
          }
        },
      );
      if (answer) created = answer;
    }
    return created;
  }

  /**
   * A step that completes a create. If it fails, the create is undone at once, so a security attribute is never left
   * fail-open; if even that fails, the error says the resource exists half-made, with its id.
   */
  async #followUp(created: Resource, step: string, state: string, run: () => Promise<unknown>): Promise<void> {
    try {
      this.note(step);
      await run();
    } catch (stepError) {
      const what = `INSERT into users: users ${created.id} was created, but ${step} failed (${messageOf(stepError)})`;
      try {
        this.note(`DELETE /users/${created.id} (undo the create: its follow-up failed)`);
        await this.client.users.delete(created.id);
      } catch (undoError) {
        const rollback = this.journal?.active ? ` This transaction's ROLLBACK will try to delete it again.` : '';
        throw new PingOneDriverError(
          'PARTIALLY_APPLIED',
          `${what}, and deleting it again failed too (${messageOf(undoError)}). It exists in PingOne ${state}: fix or delete users ${created.id} by hand (DELETE /users/${created.id}).${rollback}`,
          { cause: stepError },
        );
      }
      throw new PingOneDriverError(
        'REMOTE_ERROR',
        `${what}. It was deleted again, so nothing is left ${state.replace(/^left /, '')}; nothing was saved. Save it again once PingOne answers.`,
        { cause: stepError },
      );
    }
  }

  /**
   * After a lost POST answer: read back by natural key before anything is repeated, and take what is found as this
   * request's only when it provably is. If the read-back fails, the outcome stays unknown (the journal keeps the
   * create without an id: ROLLBACK looks again, with the same proof). A resource found but not provably this
   * request's is named in an OUTCOME_UNKNOWN error and never journaled: no ROLLBACK deletes it.
   */
  async #afterLostCreate(
    lost: LostCreate,
    n: number,
    lostError: PingOneOutcomeUnknownError,
    request: string,
    post: () => Promise<Resource>,
  ): Promise<Resource> {
    const { resource } = lost;
    const lookup = describeLookup(lost);
    const inTransaction = this.journal?.active === true;
    const unknown = (what: string, error: unknown) =>
      new PingOneWriteOutcomeUnknownError(
        `INSERT into ${resource}: the outcome is unknown: ${request} for ${lost.key} "${lost.value}" was sent but its answer was lost (${lostError.message}) ${what} (${messageOf(error)}), so PingOne may or may not have created it. ` +
          (inTransaction
            ? "This transaction's ROLLBACK will look it up again and delete it if it exists and is provably this one."
            : `Look it up (${lookup}) before saving again: saving blindly could create it twice.`),
        { cause: lostError, tried: lookup, error },
      );
    let found;
    try {
      this.note(`${lookup} (reconcile a lost POST answer)`);
      found = await reconcileLostCreate(this.client, lost);
    } catch (readError) {
      throw unknown(`and reading it back to reconcile (${lookup}) failed too`, readError);
    }
    if (found.kind === 'proven') return found.resource;
    if (found.kind === 'not-proven') {
      await this.journal?.void(n);
      const id = found.resource.id;
      throw new PingOneWriteOutcomeUnknownError(
        `INSERT into ${resource}: the outcome is unknown: ${request} for ${lost.key} "${lost.value}" was sent but its answer was lost (${lostError.message}). ` +
          `${resource} ${id} has that ${lost.key}, but it is not provably this request's: ${found.why}. It was not taken as this request's` +
          `${inTransaction ? ", and this transaction's ROLLBACK will not delete it" : ''}. Most likely PingOne refused this request (the ${lost.key} was taken) and created nothing: ` +
          `look at ${resource} ${id} (GET /${resource}/${id}) before saving again.`,
        { cause: lostError, tried: lookup, found: { resource, id, why: found.why } },
      );
    }
    try {
      this.note(`${request} (again: the read-back found nothing)`);
      return await post();
    } catch (again) {
      if (again instanceof PingOneOutcomeUnknownError)
        throw unknown(`; ${lookup} found nothing, it was sent once more and that answer was lost too`, again);
      await this.journal?.void(n);
      throw again;
    }
  }

  /** Returns false when the resource doesn't exist (so it isn't counted as affected). */
  async update(mapping: ResourceTableMapping, id: string, changes: AttributeChanges): Promise<boolean> {
    try {
      if (mapping.resource === 'users')
        return await updateUser({ client: this.client, note: this.note, journal: this.journal, mapping }, id, changes);
      if (mapping.resource === 'groups' && changes.flat.has('population.id')) {
        throw new PingOneDriverError(
          'READ_ONLY_ATTRIBUTE',
          "A group's population can't change after it is created (PingOne refuses it). Create a new group in the other population instead; nothing was sent.",
        );
      }
      this.journal?.recent.forget(mapping, id);
      const touched = [...changes.flat.keys()];
      const resource = coreOf(mapping) as Exclude<CoreResource, 'users'>;
      const { after } = await putUpdate(this.client, resource, id, changes.flat, this.note, async (before) => {
        await this.#intend({ kind: 'update', environmentId: this.client.environmentId, resource, id, before, touched });
      });
      this.journal?.recent.noteAnswer(mapping, after);
      return true;
    } catch (error) {
      if (error instanceof PingOneApiError && error.status === 404) return false;
      throw error;
    }
  }

  async delete(mapping: ResourceTableMapping, id: string): Promise<boolean> {
    const resource = coreOf(mapping);
    if (!this.journal?.active) {
      this.note(`DELETE /${resource}/${id}`);
      return deleteIfPresent(() => this.client[resource].delete(id));
    }
    // In a transaction, deletes wait for COMMIT (a deleted user can't be restored with its id); say now whether it exists.
    let exists = this.journal.recent.takeRead(mapping, id) !== undefined;
    if (!exists) {
      this.note(`GET /${resource}/${id} (exists?)`);
      exists = await this.client[resource].get(id).then(
        () => true,
        (error: unknown) => {
          if (error instanceof PingOneApiError && error.status === 404) return false;
          throw error;
        },
      );
    }
    if (exists) await this.journal.intend({ kind: 'delete', environmentId: this.client.environmentId, resource, id });
    return exists;
  }

  /** A user into a group, or (`member: 'groups'`) a group nested into a parent group. */
  addMembership(member: MemberKind, memberId: string, groupId: string): Promise<boolean> {
    return addMembership({ client: this.client, note: this.note, journal: this.journal }, member, memberId, groupId);
  }

  async removeMembership(member: MemberKind, memberId: string, groupId: string): Promise<boolean> {
    if (!this.journal?.active) {
      const endpoints = membershipEndpoints(this.client, member);
      this.note(`DELETE ${endpoints.path(memberId)}/${groupId}`);
      return deleteIfPresent(() => endpoints.remove(memberId, groupId));
    }
    await this.journal.intend({
      kind: 'membership-remove',
      environmentId: this.client.environmentId,
      ...(member === 'groups' ? { member } : {}),
      userId: memberId,
      groupId,
    });
    return true;
  }
}

/** The core resource a mapping writes; directory tables are written by directory-writer.ts, never here. */
function coreOf(mapping: ResourceTableMapping): CoreResource {
  if (!isCoreResource(mapping.resource))
    throw new PingOneDriverError('UNSUPPORTED_STATEMENT', `${mapping.table} is not written through the users/groups/populations writer.`);
  return mapping.resource;
}
