import type { DirectoryResource } from '@typeorm-pingone/client';
import { DIRECTORY_CATALOG, DIRECTORY_TABLES } from './directory-catalog';

/**
 * The PingOne attributes each resource has (pingone-api.md §3.4–3.6, the OpenAPI User/Group/Population schemas),
 * with their value kind and whether PingOne lets clients write them. Columns are checked against this at
 * initialize(); custom user attributes are declared in the DataSource options.
 */

/** The resources with their own client classes, writes and membership semantics. */
export type CoreResource = 'users' | 'groups' | 'populations';
/** Every PingOne resource a table can map: the core ones and the directory's others (mapping/directory-catalog.ts). */
export type ResourceName = CoreResource | DirectoryResource;

export const isCoreResource = (resource: ResourceName): resource is CoreResource =>
  resource === 'users' || resource === 'groups' || resource === 'populations';
export type AttributeKind = 'string' | 'boolean' | 'number' | 'datetime' | 'json' | 'array';

export interface AttributeInfo {
  readonly kind: AttributeKind;
  readonly readOnly: boolean;
  /** PingOne accepts it but never returns it (a user's password): reads give NULL, logs redact it. */
  readonly writeOnly?: boolean;
  /**
   * PingOne returns it only when one resource is read with `include=<this>` (a group's totalMemberCounts): a statement
   * that reads the column reads each of its rows that way, one request per row.
   */
  readonly include?: string;
}

const rw = (kind: AttributeKind): AttributeInfo => Object.freeze({ kind, readOnly: false });
const ro = (kind: AttributeKind): AttributeInfo => Object.freeze({ kind, readOnly: true });
const wo = (kind: AttributeKind): AttributeInfo => Object.freeze({ kind, readOnly: false, writeOnly: true });
const common = { id: ro('string'), 'environment.id': ro('string'), createdAt: ro('datetime'), updatedAt: ro('datetime') };

const CORE_CATALOG: Readonly<Record<CoreResource, Readonly<Record<string, AttributeInfo>>>> = Object.freeze({
  users: Object.freeze({
    ...common,
    username: rw('string'),
    email: rw('string'),
    'name.formatted': rw('string'),
    'name.given': rw('string'),
    'name.middle': rw('string'),
    'name.family': rw('string'),
    'name.honorificPrefix': rw('string'),
    'name.honorificSuffix': rw('string'),
    nickname: rw('string'),
    title: rw('string'),
    type: rw('string'),
    locale: rw('string'),
    preferredLanguage: rw('string'),
    timezone: rw('string'),
    primaryPhone: rw('string'),
    mobilePhone: rw('string'),
    'photo.href': rw('string'),
    'address.streetAddress': rw('string'),
    'address.locality': rw('string'),
    'address.region': rw('string'),
    'address.postalCode': rw('string'),
    'address.countryCode': rw('string'),
    externalId: rw('string'),
    accountId: rw('string'),
    // Written at their own endpoints (executor/user-update.ts): enabled, population.id, mfaEnabled (PUT …/mfaEnabled),
    // account.status ('LOCKED' / 'OK': the account.lock / account.unlock POSTs, with account.unlockAt for a lock).
    enabled: rw('boolean'),
    'population.id': rw('string'),
    mfaEnabled: rw('boolean'),
    'account.status': rw('string'),
    'account.unlockAt': rw('datetime'),
    // Computed by PingOne: refused in any write before a request is sent (PingOne would ignore them silently).
    'account.canAuthenticate': ro('boolean'),
    'account.lockedAt': ro('datetime'),
    'account.secondsUntilUnlock': ro('number'),
    'lifecycle.status': ro('string'),
    'identityProvider.id': rw('string'),
    'identityProvider.type': ro('string'),
    emailVerified: ro('boolean'),
    verifyStatus: ro('string'),
    'lastSignOn.at': ro('datetime'),
    'lastSignOn.remoteIp': ro('string'),
    // Set on create through the import content type, on update through PUT /users/{id}/password.
    password: wo('string'),
  }),
  groups: Object.freeze({
    ...common,
    name: rw('string'),
    description: rw('string'),
    'population.id': rw('string'),
    externalId: rw('string'),
    userFilter: rw('string'),
    customData: rw('json'),
    displayName: ro('string'),
    sourceId: ro('string'),
    sourceType: ro('string'),
    'directMemberCounts.users': ro('number'),
    'directMemberCounts.groups': ro('number'),
    // every user in the group (direct, nested, dynamic): only on GET /groups/{id}?include=totalMemberCounts
    'totalMemberCounts.users': Object.freeze({ kind: 'number', readOnly: true, include: 'totalMemberCounts' }),
  }),
  populations: Object.freeze({
    ...common,
    name: rw('string'),
    description: rw('string'),
    default: rw('boolean'),
    userCount: ro('number'),
    'passwordPolicy.id': rw('string'),
    'theme.id': rw('string'),
    preferredLanguage: rw('string'),
    alternativeIdentifiers: rw('array'),
  }),
});

export const ATTRIBUTE_CATALOG: Readonly<Record<ResourceName, Readonly<Record<string, AttributeInfo>>>> = Object.freeze({
  ...CORE_CATALOG,
  ...DIRECTORY_CATALOG,
});

/** The SQL table of every resource. */
export const RESOURCE_TABLES: Readonly<Record<ResourceName, string>> = Object.freeze({
  users: 'users',
  groups: 'groups',
  populations: 'populations',
  ...DIRECTORY_TABLES,
});

export const RESOURCE_NAMES: readonly ResourceName[] = Object.freeze(Object.keys(RESOURCE_TABLES) as ResourceName[]);

/** The resource a table name maps, if any. */
export function resourceOfTable(table: string): ResourceName | undefined {
  return RESOURCE_NAMES.find((r) => RESOURCE_TABLES[r] === table);
}
