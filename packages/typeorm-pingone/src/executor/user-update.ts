import type { PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import type { AttributeChanges } from '../mapping/row-to-attributes';
import type { ResourceTableMapping } from '../mapping/table-mapping';
import type { Resource } from './remote-directory';
import type { TransactionJournal } from './transaction-journal';

type Json = Record<string, unknown>;

/**
 * User attributes PingOne changes only at their own endpoints, never through a POST/PUT/PATCH body of the user (it
 * ignores them there): each goes to the request that changes it, in this order.
 */
export const USER_OWN_ENDPOINTS = ['population.id', 'password', 'enabled', 'mfaEnabled', 'account.status', 'account.unlockAt'] as const;

export function without(body: Json, paths: Iterable<string>): Json {
  const copy = structuredClone(body);
  for (const path of paths) {
    const keys = path.split('.');
    let cur: Json | undefined = copy;
    for (const k of keys.slice(0, -1)) cur = cur?.[k] as Json | undefined;
    if (cur) delete cur[keys[keys.length - 1]];
    if (keys.length > 1 && copy[keys[0]] && Object.keys(copy[keys[0]] as Json).length === 0) delete copy[keys[0]];
  }
  return copy;
}

/**
 * `account.status` can be written as 'LOCKED' (with `account.unlockAt`, when PingOne unlocks it by itself) or 'OK';
 * anything else is refused before any request, with what to write instead.
 */
export function checkAccountChanges(changes: AttributeChanges, table: string): void {
  const status = changes.flat.get('account.status');
  const unlockAt = changes.flat.get('account.unlockAt');
  if (status !== undefined && status !== 'LOCKED' && status !== 'OK') {
    throw new PingOneDriverError(
      'VALIDATION_ERROR',
      `${table}: account.status can be set to 'LOCKED' (PingOne's account lock) or 'OK' (its unlock), not ${JSON.stringify(status)}; nothing was sent.`,
    );
  }
  if (unlockAt !== undefined && unlockAt !== null && status !== 'LOCKED') {
    throw new PingOneDriverError(
      'VALIDATION_ERROR',
      `${table}: account.unlockAt is sent with a lock: set account.status to 'LOCKED' in the same statement (PingOne unlocks the account at that time); nothing was sent.`,
    );
  }
}

export interface UserUpdateContext {
  readonly client: PingOneClient;
  readonly note: (request: string) => void;
  readonly journal: TransactionJournal | undefined;
  readonly mapping: ResourceTableMapping;
}

/**
 * One user's UPDATE: a PATCH of the plain attributes, then each own-endpoint attribute at its endpoint. Returns
 * whether PingOne changed the user (a missing user is a 404, counted 0; a lock PingOne did not apply, the only change
 * asked, counts 0 too). In a transaction the before-image is the resource the runner's previous statement just read
 * (TypeORM's save loads it), else one GET; it is journaled before the first request. The last whole-user answer (the
 * PATCH's, or the lock's) is handed to the next statement: TypeORM reads `@UpdateDateColumn` back right after.
 */
export async function updateUser(ctx: UserUpdateContext, id: string, changes: AttributeChanges): Promise<boolean> {
  checkAccountChanges(changes, ctx.mapping.table);
  const { client, note, journal, mapping } = ctx;
  if (journal?.active) {
    let before = journal.recent.takeRead(mapping, id);
    if (!before) {
      note(`GET /users/${id} (before-image)`);
      before = await client.users.get(id);
    }
    await journal.intend({
      kind: 'update',
      environmentId: client.environmentId,
      resource: 'users',
      id,
      before,
      touched: [...changes.flat.keys()],
    });
  } else journal?.recent.forget(mapping, id);
  let answer: Resource | undefined;
  let changed = false;
  const body = without(changes.body, USER_OWN_ENDPOINTS);
  if (Object.keys(body).length > 0) {
    note(`PATCH /users/${id}`);
    answer = await client.users.patch(id, body);
    changed = true;
  }
  const step = async (attribute: string, request: string, run: (value: unknown) => Promise<unknown>) => {
    const value = changes.flat.get(attribute);
    if (value === undefined || value === null) return;
    note(request);
    await run(value);
    answer = undefined; // the user changed again since the last whole answer
    changed = true;
  };
  await step('population.id', `PUT /users/${id}/population`, (v) => client.users.setPopulation(id, String(v)));
  await step('password', `PUT /users/${id}/password`, (v) => client.users.setPassword(id, { value: String(v) }));
  await step('enabled', `PUT /users/${id}/enabled`, (v) => client.users.setEnabled(id, v === true));
  await step('mfaEnabled', `PUT /users/${id}/mfaEnabled`, (v) => client.users.setMfaEnabled(id, v === true));
  const status = changes.flat.get('account.status');
  if (status === 'OK') {
    note(`POST /users/${id} (account.unlock)`);
    answer = await client.users.unlock(id);
    changed = true;
  } else if (status === 'LOCKED') {
    const unlockAt = changes.flat.get('account.unlockAt');
    note(`POST /users/${id} (account.lock)`);
    answer = await client.users.lock(id, typeof unlockAt === 'string' ? { unlockAt } : {});
    // PingOne documents that a lock without a future unlockAt leaves the account unlocked: its answer says.
    changed ||= (answer.account as Json | undefined)?.status === 'LOCKED';
  }
  if (answer) journal?.recent.noteAnswer(mapping, answer);
  return changed;
}
