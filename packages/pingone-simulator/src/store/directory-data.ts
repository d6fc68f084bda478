import { ResourceTable } from './resource-table';
import type { Json } from './attributes';

/**
 * The directory's other resources in one environment, one table each (insertion order, so cursors hold). Child
 * resources keep their parent where PingOne shows it (`user.id` of a session) or, where PingOne doesn't show it (a
 * role assignment's subject), under the internal key `_subject`, which renders never show.
 */
export type DirectoryKind =
  | 'customRoles'
  | 'roleAssignments'
  | 'applications'
  | 'applicationGrants'
  | 'applicationAttributes'
  | 'identityProviders'
  | 'linkedAccounts'
  | 'sessions'
  | 'passwordPolicies'
  | 'activities';

export const DIRECTORY_KINDS: readonly DirectoryKind[] = [
  'customRoles',
  'roleAssignments',
  'applications',
  'applicationGrants',
  'applicationAttributes',
  'identityProviders',
  'linkedAccounts',
  'sessions',
  'passwordPolicies',
  'activities',
];

/** Whose role assignment it is: PingOne lists them per user, group or application. */
export interface Subject {
  readonly type: 'users' | 'groups' | 'applications';
  readonly id: string;
}

export class DirectoryData {
  readonly #tables = new Map<DirectoryKind, ResourceTable>(DIRECTORY_KINDS.map((kind) => [kind, new ResourceTable()]));

  table(kind: DirectoryKind): ResourceTable {
    return this.#tables.get(kind)!;
  }

  /** Items of a table, in order, optionally only those under one parent (`path` of the parent's id). */
  items(kind: DirectoryKind, under?: { readonly path: readonly string[]; readonly id: string }): Json[] {
    const out: Json[] = [];
    for (const record of this.table(kind).scanAfter(0)) {
      if (!under || valueAt(record.data, under.path) === under.id) out.push(record.data);
    }
    return out;
  }

  /** What a deleted user, group or application takes with it. */
  removeOwner(id: string): void {
    for (const kind of ['roleAssignments', 'sessions', 'linkedAccounts', 'applicationGrants', 'applicationAttributes'] as const) {
      const table = this.table(kind);
      for (const record of [...table.values()]) {
        const data = record.data;
        if (valueAt(data, ['_subject', 'id']) === id || valueAt(data, ['user', 'id']) === id || valueAt(data, ['application', 'id']) === id)
          table.delete(String(data.id));
      }
    }
  }
}

export function valueAt(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const key of path) current = typeof current === 'object' && current !== null ? (current as Json)[key] : undefined;
  return current;
}

/** A resource as PingOne shows it: `_links.self` first, then its attributes, internal keys (`_subject`) left out. */
export function renderDirectoryItem(self: string, data: Json): Json {
  const view: Json = { _links: { self: { href: self } } };
  for (const [key, value] of Object.entries(data)) if (!key.startsWith('_')) view[key] = value;
  return view;
}
