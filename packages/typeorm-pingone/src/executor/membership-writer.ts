import { PingOneApiError, PingOneOutcomeUnknownError, type PingOneClient } from '@typeorm-pingone/client';
import { PingOneWriteOutcomeUnknownError } from '../errors';
import { isDirectMember, messageOf } from './lost-answer';
import type { TransactionJournal } from './transaction-journal';

export interface MembershipContext {
  readonly client: PingOneClient;
  readonly note: (request: string) => void;
  readonly journal: TransactionJournal | undefined;
}

const isUniqueness = (error: unknown) => error instanceof PingOneApiError && error.detailCodes.includes('UNIQUENESS_VIOLATION');

/**
 * Adds a user to a group (the junction row's INSERT). Inside a transaction it is journaled as added only when the
 * POST answered success, or when a read before it showed the membership absent: a ROLLBACK never removes a
 * membership that existed before the transaction. That read is one GET of the membership, skipped for a user this
 * transaction created (it has no memberships yet); a direct membership found there is the row already existing
 * (nothing sent, 0 affected), as PingOne's uniqueness answer to the POST would say.
 */
export async function addMembership(ctx: MembershipContext, userId: string, groupId: string): Promise<boolean> {
  const { client, note, journal } = ctx;
  let n = -1;
  if (journal?.active) {
    if (!journal.created('users', userId)) {
      note(`GET /users/${userId}/memberOfGroups/${groupId} (a member already?)`);
      const type = await client.users.getGroupMembership(userId, groupId).then((m) => m.type ?? 'DIRECT', (error: unknown) => {
        if (error instanceof PingOneApiError && error.status === 404) return undefined;
        throw error;
      });
      if (type === 'DIRECT') return false;
    }
    n = await journal.intend({ kind: 'membership-add', environmentId: client.environmentId, userId, groupId, answered: false });
  }
  note(`POST /users/${userId}/memberOfGroups`);
  try {
    await client.users.addToGroup(userId, groupId);
  } catch (error) {
    // Already a member: the junction row exists, which is what the INSERT asked for; it is not this transaction's.
    if (isUniqueness(error)) {
      await journal?.void(n);
      return false;
    }
    if (!(error instanceof PingOneOutcomeUnknownError)) {
      await journal?.void(n);
      throw error;
    }
    await afterLostMembership(ctx, userId, groupId, error, n);
  }
  await journal?.answered(n);
  return true;
}

/**
 * After a lost membership POST answer: read the user's groups back; add it (once more) only if it isn't there. In a
 * transaction the read before the POST showed it absent, so finding it now proves this POST added it.
 */
async function afterLostMembership(ctx: MembershipContext, userId: string, groupId: string, lostError: PingOneOutcomeUnknownError, n: number): Promise<void> {
  const { client, note, journal } = ctx;
  const lookup = `GET /users/${userId}/memberOfGroups`;
  const unknown = (what: string, error: unknown) => {
    const next = journal?.active ? "This transaction's ROLLBACK will remove it if it was added (it was not a member before)." : 'Read the memberships back before adding it again.';
    return new PingOneWriteOutcomeUnknownError(`membership of user ${userId} in group ${groupId}: the outcome is unknown: its POST was sent but the answer was lost (${lostError.message}) ${what} (${messageOf(error)}). ${next}`, { cause: lostError, tried: lookup, error });
  };
  let present: boolean;
  try {
    note(`${lookup} (reconcile a lost POST answer)`);
    present = await isDirectMember(client, userId, groupId);
  } catch (readError) {
    throw unknown(`and reading it back (${lookup}) failed too`, readError);
  }
  if (present) return;
  try {
    note(`POST /users/${userId}/memberOfGroups (again: the read-back found nothing)`);
    await client.users.addToGroup(userId, groupId);
  } catch (again) {
    if (isUniqueness(again)) return; // it landed after all
    if (again instanceof PingOneOutcomeUnknownError) throw unknown(`; the read-back found nothing, it was sent once more and that answer was lost too`, again);
    await journal?.void(n);
    throw again;
  }
}
