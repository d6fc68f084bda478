import { PingOneApiError, PingOneOutcomeUnknownError, type PingOneClient } from '@typeorm-pingone/client';
import { PingOneWriteOutcomeUnknownError } from '../errors';
import type { MemberKind } from '../mapping/table-mapping';
import { isDirectMember, messageOf } from './lost-answer';
import { describeMembership, membershipEndpoints } from './membership-endpoints';
import type { TransactionJournal } from './transaction-journal';

export interface MembershipContext {
  readonly client: PingOneClient;
  readonly note: (request: string) => void;
  readonly journal: TransactionJournal | undefined;
}

const isUniqueness = (error: unknown) => error instanceof PingOneApiError && error.detailCodes.includes('UNIQUENESS_VIOLATION');

/**
 * Adds a user to a group, or nests a group in a parent group (the junction row's INSERT). Inside a transaction it is
 * journaled as added only when the POST answered success, or when a read before it showed the membership absent: a
 * ROLLBACK never removes a membership that existed before the transaction. That read is one GET of the membership,
 * skipped for a member this transaction created (it has no memberships yet); a direct membership found there is the
 * row already existing (nothing sent, 0 affected), as PingOne's uniqueness answer to the POST would say.
 */
export async function addMembership(ctx: MembershipContext, member: MemberKind, memberId: string, groupId: string): Promise<boolean> {
  const { client, note, journal } = ctx;
  const endpoints = membershipEndpoints(client, member);
  let n = -1;
  if (journal?.active) {
    if (!journal.created(member, memberId)) {
      note(`GET ${endpoints.path(memberId)}/${groupId} (a member already?)`);
      const type = await endpoints.get(memberId, groupId).then(
        (m) => m.type ?? 'DIRECT',
        (error: unknown) => {
          if (error instanceof PingOneApiError && error.status === 404) return undefined;
          throw error;
        },
      );
      if (type === 'DIRECT') return false;
    }
    n = await journal.intend({
      kind: 'membership-add',
      environmentId: client.environmentId,
      ...(member === 'groups' ? { member } : {}),
      userId: memberId,
      groupId,
      answered: false,
    });
  }
  note(`POST ${endpoints.path(memberId)}`);
  try {
    await endpoints.add(memberId, groupId);
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
    await afterLostMembership(ctx, member, memberId, groupId, error, n);
  }
  await journal?.answered(n);
  return true;
}

/**
 * After a lost membership POST answer: read the member's groups back; add it (once more) only if it isn't there. In a
 * transaction the read before the POST showed it absent, so finding it now proves this POST added it.
 */
async function afterLostMembership(
  ctx: MembershipContext,
  member: MemberKind,
  memberId: string,
  groupId: string,
  lostError: PingOneOutcomeUnknownError,
  n: number,
): Promise<void> {
  const { client, note, journal } = ctx;
  const endpoints = membershipEndpoints(client, member);
  const lookup = `GET ${endpoints.path(memberId)}`;
  const unknown = (what: string, error: unknown) => {
    const next = journal?.active
      ? "This transaction's ROLLBACK will remove it if it was added (it was not a member before)."
      : 'Read the memberships back before adding it again.';
    return new PingOneWriteOutcomeUnknownError(
      `${describeMembership(member, memberId, groupId)}: the outcome is unknown: its POST was sent but the answer was lost (${lostError.message}) ${what} (${messageOf(error)}). ${next}`,
      { cause: lostError, tried: lookup, error },
    );
  };
  let present: boolean;
  try {
    note(`${lookup} (reconcile a lost POST answer)`);
    present = await isDirectMember(endpoints, memberId, groupId);
  } catch (readError) {
    throw unknown(`and reading it back (${lookup}) failed too`, readError);
  }
  if (present) return;
  try {
    note(`POST ${endpoints.path(memberId)} (again: the read-back found nothing)`);
    await endpoints.add(memberId, groupId);
  } catch (again) {
    if (isUniqueness(again)) return; // it landed after all
    if (again instanceof PingOneOutcomeUnknownError)
      throw unknown(`; the read-back found nothing, it was sent once more and that answer was lost too`, again);
    await journal?.void(n);
    throw again;
  }
}
