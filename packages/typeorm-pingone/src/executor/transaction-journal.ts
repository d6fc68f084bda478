import { PingOneApiError, type PingOneClient } from '@typeorm-pingone/client';
import type { ResourceName } from '../mapping/attribute-catalog';
import { PingOneDriverError } from '../errors';
import { describeLookup, findLostCreate, messageOf, type LostCreate } from './lost-answer';

type Json = Record<string, unknown>;

/** `client`: the environment the change was made in (entities with a schema), when not the configured one. */
export type JournalEntry =
  | { readonly kind: 'created'; readonly resource: ResourceName; readonly id: string; readonly client?: PingOneClient }
  | { readonly kind: 'updated'; readonly resource: ResourceName; readonly id: string; readonly before: Json; readonly client?: PingOneClient }
  | { readonly kind: 'membership-added'; readonly userId: string; readonly groupId: string; readonly client?: PingOneClient }
  /** a POST whose answer was lost and whose read-back failed: it may have been applied, so ROLLBACK looks again */
  | { readonly kind: 'maybe-created'; readonly lost: LostCreate; readonly client?: PingOneClient }
  | { readonly kind: 'maybe-membership'; readonly userId: string; readonly groupId: string; readonly client?: PingOneClient }
  | { readonly kind: 'deferred'; readonly describe: string; readonly apply: () => Promise<void> };

const READ_ONLY_USER = ['_links', 'id', 'environment', 'createdAt', 'updatedAt', 'enabled', 'population', 'lastSignOn', 'verifyStatus', 'emailVerified', 'mfaEnabled', 'lifecycle', 'identityProvider', 'memberOfGroupIDs', 'memberOfGroupNames'];
const READ_ONLY_OTHER = ['_links', 'id', 'environment', 'createdAt', 'updatedAt', 'directMemberCounts', 'totalMemberCounts', 'userCount', 'displayName', 'sourceId', 'sourceType', 'checkSum', 'population'];

function describe(entry: JournalEntry): string {
  switch (entry.kind) {
    case 'created': return `${entry.resource} ${entry.id} (created)`;
    case 'updated': return `${entry.resource} ${entry.id} (updated)`;
    case 'membership-added': return `membership of user ${entry.userId} in group ${entry.groupId} (added)`;
    case 'maybe-created': return `${entry.lost.resource} with ${entry.lost.key} "${entry.lost.value}" (POST answer lost, may have been created)`;
    case 'maybe-membership': return `membership of user ${entry.userId} in group ${entry.groupId} (POST answer lost, may have been added)`;
    case 'deferred': return entry.describe;
  }
}

/**
 * PingOne has no transactions, so a TypeORM transaction gets compensating semantics (docs/transactions.md): creates
 * and updates are applied at once and journaled with their before-images, deletes wait for COMMIT; ROLLBACK (or
 * ROLLBACK TO SAVEPOINT) deletes what was created and restores what was updated, newest first. If compensation
 * itself fails, the error lists every resource and its state, so nothing is lost silently.
 */
export class TransactionJournal {
  #entries: JournalEntry[] = [];
  readonly #savepoints: number[] = [];
  #depth = 0;

  constructor(private readonly client: PingOneClient, private readonly note: (request: string) => void) {}

  get active(): boolean {
    return this.#depth > 0;
  }

  record(entry: JournalEntry): void {
    if (this.active) this.#entries.push(entry);
  }

  begin(): void {
    this.#depth = 1;
    this.#entries = [];
    this.#savepoints.length = 0;
  }

  savepoint(): void {
    this.#savepoints.push(this.#entries.length);
  }

  releaseSavepoint(): void {
    this.#savepoints.pop();
  }

  /** Undoes the changes since the last savepoint; returns what was done to each (newest first). */
  async rollbackToSavepoint(): Promise<string[]> {
    const mark = this.#savepoints.pop() ?? 0;
    const undone = this.#entries.splice(mark);
    return this.#compensate(undone, 'ROLLBACK TO SAVEPOINT');
  }

  async commit(): Promise<void> {
    const deferred = this.#entries.filter((e): e is Extract<JournalEntry, { kind: 'deferred' }> => e.kind === 'deferred');
    this.#depth = 0;
    this.#entries = [];
    const failures: string[] = [];
    for (const entry of deferred) {
      try {
        await entry.apply();
      } catch (error) {
        failures.push(`${entry.describe}: FAILED (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    if (failures.length > 0) {
      throw new PingOneDriverError('REMOTE_ERROR', `COMMIT: the transaction's creates and updates are applied, but ${failures.length} deferred delete(s) failed:\n${failures.join('\n')}`);
    }
  }

  /** Undoes the whole transaction; returns what was done to each change (newest first), or throws listing them. */
  async rollback(): Promise<string[]> {
    const entries = this.#entries;
    this.#depth = 0;
    this.#entries = [];
    return this.#compensate(entries, 'ROLLBACK');
  }

  async #compensate(entries: readonly JournalEntry[], command: string): Promise<string[]> {
    const report: string[] = [];
    let failed = 0;
    for (const entry of [...entries].reverse()) {
      try {
        report.push(`${describe(entry)}: ${await this.#undo(entry)}`);
      } catch (error) {
        failed++;
        const lookup = entry.kind === 'maybe-created' ? ` Look it up with ${describeLookup(entry.lost)} and delete it if it exists.` : '';
        report.push(`${describe(entry)}: COULD NOT BE UNDONE (${messageOf(error)})${lookup}`);
      }
    }
    if (failed > 0) {
      throw new PingOneDriverError('REMOTE_ERROR', `${command}: ${failed} change(s) could not be undone in PingOne; fix them by hand. State of every change:\n${report.join('\n')}`);
    }
    return report;
  }

  /** Undoes one change; says what was done. */
  async #undo(entry: JournalEntry): Promise<string> {
    const client = entry.kind === 'deferred' ? this.client : entry.client ?? this.client;
    switch (entry.kind) {
      case 'deferred':
        return 'not applied';
      case 'maybe-created': {
        this.note(`${describeLookup(entry.lost)} (rollback: reconcile a lost POST answer)`);
        const found = await findLostCreate(client, entry.lost);
        if (!found) return 'nothing to undo (it is not in PingOne)';
        this.note(`DELETE /${entry.lost.resource}/${found.id} (rollback)`);
        await this.#deleteIfPresent(() => client[entry.lost.resource].delete(found.id));
        return `undone (found as ${found.id}, deleted)`;
      }
      case 'maybe-membership':
        // DELETE is idempotent: it removes the membership if the lost POST added it, and 404s if not.
        this.note(`DELETE /users/${entry.userId}/memberOfGroups/${entry.groupId} (rollback)`);
        return (await this.#deleteIfPresent(() => client.users.removeFromGroup(entry.userId, entry.groupId))) ? 'undone (it had been added; removed)' : 'nothing to undo (it had not been added)';
      case 'created':
        this.note(`DELETE /${entry.resource}/${entry.id} (rollback)`);
        return (await this.#deleteIfPresent(() => client[entry.resource].delete(entry.id))) ? 'undone (deleted)' : 'undone (already gone)';
      case 'membership-added':
        this.note(`DELETE /users/${entry.userId}/memberOfGroups/${entry.groupId} (rollback)`);
        return (await this.#deleteIfPresent(() => client.users.removeFromGroup(entry.userId, entry.groupId))) ? 'undone (removed)' : 'undone (already gone)';
      case 'updated': {
        const before = entry.before;
        const drop = entry.resource === 'users' ? READ_ONLY_USER : READ_ONLY_OTHER;
        const body = Object.fromEntries(Object.entries(before).filter(([k]) => !drop.includes(k)));
        this.note(`PUT /${entry.resource}/${entry.id} (rollback)`);
        if (entry.resource === 'users') {
          await client.users.replace(entry.id, body as never);
          const population = (before.population as Json | undefined)?.id;
          if (typeof population === 'string') await client.users.setPopulation(entry.id, population);
          if (typeof before.enabled === 'boolean') await client.users.setEnabled(entry.id, before.enabled);
        } else {
          await client[entry.resource].replace(entry.id, body as never);
        }
        return 'undone (restored)';
      }
    }
  }

  /** Runs a DELETE; false when PingOne says the thing is already gone (404). */
  async #deleteIfPresent(remove: () => Promise<void>): Promise<boolean> {
    try {
      await remove();
      return true;
    } catch (error) {
      if (error instanceof PingOneApiError && error.status === 404) return false;
      throw error;
    }
  }
}
