import { DIRECTORY_ENDPOINTS, PingOneApiError, type DirectoryResource, type PingOneClient } from '@typeorm-pingone/client';
import { setPath } from '../mapping/row-to-attributes';
import type { DeferredEntry, TxEntry } from './journal-entries';
import { describeLookup, reconcileLostCreate } from './lost-answer';
import { getPath, putUpdate } from './put-update';
import { membershipEndpoints } from './membership-endpoints';

type Json = Record<string, unknown>;

/** User attributes PingOne changes only at their own endpoints: restored there, never in the PATCH. */
const USER_OWN = new Set(['enabled', 'population.id', 'password', 'mfaEnabled', 'account.status', 'account.unlockAt']);

/** Runs a DELETE; false when PingOne says the thing is already gone (404). */
export async function deleteIfPresent(remove: () => Promise<void>): Promise<boolean> {
  try {
    await remove();
    return true;
  } catch (error) {
    if (error instanceof PingOneApiError && error.status === 404) return false;
    throw error;
  }
}

/**
 * Undoes one change of a transaction, in the process that made it (ROLLBACK) or in another after a crash
 * (recoverTransactions); says what was done. Everything here is safe to repeat: a delete of what is gone is a 404,
 * a restore writes the before-image's values again, a create is deleted only when it is provably this one.
 */
export async function undoEntry(entry: TxEntry, client: PingOneClient, note: (request: string) => void): Promise<string> {
  switch (entry.kind) {
    case 'delete':
    case 'membership-remove':
    case 'child-delete':
      return 'not applied';
    case 'child-create': {
      const removable = removableChild(entry.resource);
      if (!removable) return `left alone: ${String(entry.resource)} is not a table the driver deletes rows of`;
      note(`DELETE ${childPath(entry)} (rollback)`);
      return (await deleteIfPresent(() => client.directory.delete(removable, entry.id, entry.parentId)))
        ? 'undone (deleted)'
        : 'undone (already gone)';
    }
    case 'create': {
      const resource = entry.lost.resource;
      if (entry.id !== undefined) {
        const id = entry.id;
        note(`DELETE /${resource}/${id} (rollback)`);
        return (await deleteIfPresent(() => client[resource].delete(id))) ? 'undone (deleted)' : 'undone (already gone)';
      }
      note(`${describeLookup(entry.lost)} (rollback: reconcile a lost POST answer)`);
      const found = await reconcileLostCreate(client, entry.lost);
      if (found.kind === 'absent') return 'nothing to undo (it is not in PingOne)';
      if (found.kind === 'not-proven') {
        return `left alone: ${resource} ${found.resource.id} has that ${entry.lost.key} but is not provably this transaction's (${found.why}), so it was not deleted`;
      }
      note(`DELETE /${resource}/${found.resource.id} (rollback)`);
      await deleteIfPresent(() => client[resource].delete(found.resource.id));
      return `undone (found as ${found.resource.id}, deleted)`;
    }
    case 'membership-add': {
      const endpoints = membershipEndpoints(client, entry.member);
      note(`DELETE ${endpoints.path(entry.userId)}/${entry.groupId} (rollback)`);
      const removed = await deleteIfPresent(() => endpoints.remove(entry.userId, entry.groupId));
      if (entry.answered) return removed ? 'undone (removed)' : 'undone (already gone)';
      return removed ? 'undone (it had been added; removed)' : 'nothing to undo (it had not been added)';
    }
    case 'update':
      try {
        return await (entry.resource === 'users' ? restoreUser(entry, client, note) : restorePut(entry, client, note));
      } catch (error) {
        if (error instanceof PingOneApiError && error.status === 404) return 'nothing to restore (it no longer exists)';
        throw error;
      }
  }
}

async function restoreUser(
  entry: Extract<TxEntry, { kind: 'update' }>,
  client: PingOneClient,
  note: (request: string) => void,
): Promise<string> {
  const { id, before, touched } = entry;
  const body: Json = {};
  for (const path of touched.filter((p) => !USER_OWN.has(p))) setPath(body, path.split('.'), getPath(before, path) ?? null);
  if (Object.keys(body).length > 0) {
    note(`PATCH /users/${id} (rollback)`);
    await client.users.patch(id, body);
  }
  const population = getPath(before, 'population.id');
  if (touched.includes('population.id') && typeof population === 'string') {
    note(`PUT /users/${id}/population (rollback)`);
    await client.users.setPopulation(id, population);
  }
  if (touched.includes('enabled') && typeof before.enabled === 'boolean') {
    note(`PUT /users/${id}/enabled (rollback)`);
    await client.users.setEnabled(id, before.enabled);
  }
  if (touched.includes('mfaEnabled')) {
    note(`PUT /users/${id}/mfaEnabled (rollback)`);
    await client.users.setMfaEnabled(id, before.mfaEnabled === true);
  }
  if (touched.includes('account.status')) {
    const unlockAt = getPath(before, 'account.unlockAt');
    if (getPath(before, 'account.status') === 'LOCKED' && typeof unlockAt === 'string') {
      note(`POST /users/${id} (account.lock, rollback)`);
      await client.users.lock(id, { unlockAt });
    } else {
      note(`POST /users/${id} (account.unlock, rollback)`);
      await client.users.unlock(id);
    }
  }
  return touched.includes('password')
    ? "undone (restored), except its password: PingOne never returns a password, so the old one can't be put back"
    : 'undone (restored)';
}

async function restorePut(
  entry: Extract<TxEntry, { kind: 'update' }>,
  client: PingOneClient,
  note: (request: string) => void,
): Promise<string> {
  const resource = entry.resource as 'groups' | 'populations';
  const changes = new Map(entry.touched.map((path) => [path, getPath(entry.before, path) ?? null] as const));
  await putUpdate(client, resource, entry.id, changes, (request) => note(`${request} (rollback)`));
  return 'undone (restored)';
}

/** Runs a change COMMIT applies (a deferred delete); a 404 means it is done already. */
/** A directory resource a journal names, checked (a journal is data read back from disk): one the driver deletes rows of. */
function removableChild(resource: unknown): DirectoryResource | undefined {
  return typeof resource === 'string' &&
    Object.hasOwn(DIRECTORY_ENDPOINTS, resource) &&
    DIRECTORY_ENDPOINTS[resource as DirectoryResource].remove
    ? (resource as DirectoryResource)
    : undefined;
}

const childPath = (entry: { resource: DirectoryResource; parentId: string; id: string }) =>
  (DIRECTORY_ENDPOINTS[entry.resource]?.one?.path ?? `/${entry.resource}/{id}`)
    .replace('{parent}', entry.parentId)
    .replace('{id}', entry.id);

export async function applyDeferred(entry: DeferredEntry, client: PingOneClient, note: (request: string) => void): Promise<boolean> {
  if (entry.kind === 'child-delete') {
    const removable = removableChild(entry.resource);
    if (!removable) return false;
    note(`DELETE ${childPath(entry)}`);
    return deleteIfPresent(() => client.directory.delete(removable, entry.id, entry.parentId));
  }
  if (entry.kind === 'delete') {
    note(`DELETE /${entry.resource}/${entry.id}`);
    return deleteIfPresent(() => client[entry.resource].delete(entry.id));
  }
  const endpoints = membershipEndpoints(client, entry.member);
  note(`DELETE ${endpoints.path(entry.userId)}/${entry.groupId}`);
  return deleteIfPresent(() => endpoints.remove(entry.userId, entry.groupId));
}
