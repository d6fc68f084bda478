/**
 * Wire shapes of PingOne resources, written from the OpenAPI components (User, Group, Population,
 * GroupMembership) and the real recordings. Every shape keeps unknown keys (custom attributes, fields PingOne adds
 * later) through its index signature, so nothing read is lost.
 */
export interface Link {
  readonly href: string;
}
export type Links = Readonly<Record<string, Link>>;
export interface IdRef {
  readonly id: string;
}

export interface UserName {
  readonly formatted?: string;
  readonly given?: string;
  readonly middle?: string;
  readonly family?: string;
  readonly honorificPrefix?: string;
  readonly honorificSuffix?: string;
}

export interface UserAddress {
  readonly streetAddress?: string;
  readonly locality?: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly countryCode?: string;
}

export interface User {
  readonly _links?: Links;
  readonly id: string;
  readonly environment?: IdRef;
  readonly username: string;
  readonly email?: string;
  readonly name?: UserName;
  readonly nickname?: string;
  readonly title?: string;
  /** the "employee type" (e.g. `Contractor`) */
  readonly type?: string;
  readonly locale?: string;
  readonly preferredLanguage?: string;
  readonly timezone?: string;
  readonly primaryPhone?: string;
  readonly mobilePhone?: string;
  readonly photo?: { readonly href?: string };
  readonly address?: UserAddress;
  readonly externalId?: string;
  readonly accountId?: string;
  readonly enabled?: boolean;
  readonly account?: {
    readonly canAuthenticate?: boolean;
    readonly status?: 'OK' | 'LOCKED';
    readonly lockedAt?: string;
    readonly unlockAt?: string;
    readonly secondsUntilUnlock?: number;
  };
  readonly lifecycle?: { readonly status?: 'ACCOUNT_OK' | 'VERIFICATION_REQUIRED'; readonly suppressVerificationCode?: boolean };
  readonly population?: IdRef;
  readonly identityProvider?: { readonly id?: string; readonly type?: string };
  readonly mfaEnabled?: boolean;
  readonly emailVerified?: boolean;
  readonly verifyStatus?: 'NOT_INITIATED' | 'ENABLED' | 'DISABLED';
  readonly lastSignOn?: { readonly at?: string; readonly remoteIp?: string };
  readonly memberOfGroupIDs?: readonly string[];
  readonly memberOfGroupNames?: readonly string[];
  /** with `expand: ['population']`: the user's population document */
  readonly _embedded?: { readonly population?: Population };
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** custom attributes of the environment's user schema, and anything else PingOne sends */
  readonly [attribute: string]: unknown;
}

type Writable<T> = { -readonly [K in keyof T]?: T[K] };
/** Attributes a create or replace may send; read-only ones (id, timestamps, enabled…) are omitted by PingOne anyway. */
export type UserInput = Omit<
  Writable<User>,
  '_links' | '_embedded' | 'id' | 'environment' | 'createdAt' | 'updatedAt' | 'memberOfGroupIDs' | 'memberOfGroupNames' | 'lastSignOn'
> & {
  username: string;
  [attribute: string]: unknown;
};

export interface Group {
  readonly _links?: Links;
  readonly id: string;
  readonly environment?: IdRef;
  readonly name: string;
  readonly description?: string;
  readonly population?: IdRef;
  readonly externalId?: string;
  readonly userFilter?: string;
  readonly customData?: Readonly<Record<string, unknown>>;
  readonly displayName?: string;
  readonly sourceId?: string;
  readonly sourceType?: string;
  readonly directMemberCounts?: { readonly users?: number; readonly groups?: number };
  readonly totalMemberCounts?: { readonly users?: number };
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly [attribute: string]: unknown;
}

export interface GroupInput {
  name: string;
  description?: string | null;
  population?: IdRef;
  externalId?: string | null;
  userFilter?: string | null;
  customData?: Record<string, unknown> | null;
  [attribute: string]: unknown;
}

export interface Population {
  readonly _links?: Links;
  readonly id: string;
  readonly environment?: IdRef;
  readonly name: string;
  readonly description?: string;
  readonly default?: boolean;
  readonly userCount?: number;
  readonly passwordPolicy?: IdRef;
  readonly theme?: IdRef;
  readonly preferredLanguage?: string;
  readonly alternativeIdentifiers?: readonly string[];
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly [attribute: string]: unknown;
}

export interface PopulationInput {
  name: string;
  description?: string | null;
  default?: boolean;
  [attribute: string]: unknown;
}

export interface GroupMembership {
  readonly _links?: Links;
  /** the group's id */
  readonly id: string;
  readonly environment?: IdRef;
  readonly name?: string;
  readonly type?: 'DIRECT' | 'INDIRECT';
  /** with `expand: ['group']`: the group document */
  readonly _embedded?: { readonly group?: Group };
  readonly [attribute: string]: unknown;
}
