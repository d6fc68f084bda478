import type { CoreResource } from '../mapping/attribute-catalog';
import type { LostCreate } from './lost-answer';
import type { MemberKind } from '../mapping/table-mapping';
import type { DirectoryResource } from '@typeorm-pingone/client';
import { describeMembership } from './membership-endpoints';

type Json = Record<string, unknown>;

/**
 * One change of a transaction, as data: what the in-process ROLLBACK undoes, what COMMIT applies, and what the
 * durable journal writes so that another process can do either after a crash (journal/transaction-recovery.ts).
 * `environmentId` is the PingOne environment of the change (entities with a schema write to another one).
 *
 * - `create`: `id` once PingOne answered (or a lost answer was reconciled by proof); without it, the POST may or may
 *   not have created the resource, and undoing it means looking it up and deleting it only if provably this one.
 * - `update`: `before` is the resource before the change, `touched` the attribute paths the change set (its own
 *   endpoints included: enabled, population.id, mfaEnabled, account.status); undoing restores only those.
 * - `membership-add`: journaled only when the POST answered success, or a read before it showed it absent (or the
 *   user was created in this transaction): a ROLLBACK never removes a membership it can't prove it added.
 * - `delete` / `membership-remove`: deferred to COMMIT (a deleted user can't come back with its id).
 * - `child-create` / `child-delete`: a row of a table PingOne keeps per parent (a user's role assignment, session),
 *   created at once (undone by deleting it) or deleted at COMMIT.
 * - memberships carry `member: 'groups'` for group nesting (`userId` is then the nested group's id); absent: a user's.
 */
export type TxEntry =
  | { readonly kind: 'create'; readonly environmentId: string; lost: LostCreate; id?: string; answered: boolean }
  | {
      readonly kind: 'update';
      readonly environmentId: string;
      readonly resource: CoreResource;
      readonly id: string;
      readonly before: Json;
      readonly touched: readonly string[];
    }
  | {
      readonly kind: 'membership-add';
      readonly environmentId: string;
      readonly member?: MemberKind;
      readonly userId: string;
      readonly groupId: string;
      answered: boolean;
    }
  | { readonly kind: 'delete'; readonly environmentId: string; readonly resource: CoreResource; readonly id: string }
  | {
      readonly kind: 'membership-remove';
      readonly environmentId: string;
      readonly member?: MemberKind;
      readonly userId: string;
      readonly groupId: string;
    }
  | {
      readonly kind: 'child-create';
      readonly environmentId: string;
      readonly resource: DirectoryResource;
      readonly parentId: string;
      readonly id: string;
    }
  | {
      readonly kind: 'child-delete';
      readonly environmentId: string;
      readonly resource: DirectoryResource;
      readonly parentId: string;
      readonly id: string;
    };

export type DeferredEntry = Extract<TxEntry, { kind: 'delete' | 'membership-remove' | 'child-delete' }>;

export function isDeferred(entry: TxEntry): entry is DeferredEntry {
  return entry.kind === 'delete' || entry.kind === 'membership-remove' || entry.kind === 'child-delete';
}

/** How an error report names a change (newest first in a rollback report). */
export function describeEntry(entry: TxEntry): string {
  const membership = (e: { member?: MemberKind; userId: string; groupId: string }) => describeMembership(e.member, e.userId, e.groupId);
  switch (entry.kind) {
    case 'create':
      return entry.id !== undefined
        ? `${entry.lost.resource} ${entry.id} (created)`
        : `${entry.lost.resource} with ${entry.lost.key} "${entry.lost.value}" (POST answer lost, may have been created)`;
    case 'update':
      return `${entry.resource} ${entry.id} (updated)`;
    case 'membership-add':
      return entry.answered ? `${membership(entry)} (added)` : `${membership(entry)} (POST answer lost, may have been added)`;
    case 'delete':
      return `${entry.resource} ${entry.id} (delete at COMMIT)`;
    case 'membership-remove':
      return `${membership(entry)} (removed at COMMIT)`;
    case 'child-create':
      return `${entry.resource} ${entry.id} of ${entry.parentId} (created)`;
    case 'child-delete':
      return `${entry.resource} ${entry.id} of ${entry.parentId} (delete at COMMIT)`;
  }
}
