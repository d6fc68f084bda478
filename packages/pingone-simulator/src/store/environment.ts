import { randomUUID } from 'node:crypto';
import { ResourceTable } from './resource-table';
import { MembershipGraph } from './membership-graph';
import { DirectoryData } from './directory-data';
import { nowIso, type Json } from './attributes';
import { customAttributeDefinition, type CustomAttributeSeed, type SchemaAttributeDefinition } from './user-schema';

export interface WorkerClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * How the application must authenticate at the token and revocation endpoints (PingOne's
   * `tokenEndpointAuthMethod`). Default CLIENT_SECRET_BASIC, PingOne's default for worker and web apps; NONE: a
   * public (native) app, which sends only `client_id` and proves itself with PKCE. CLIENT_SECRET_JWT and
   * PRIVATE_KEY_JWT: an RFC 7523 client assertion, signed with the secret or with a key whose public half is in `jwks`.
   */
  readonly tokenEndpointAuthMethod?: 'CLIENT_SECRET_BASIC' | 'CLIENT_SECRET_POST' | 'CLIENT_SECRET_JWT' | 'PRIVATE_KEY_JWT' | 'NONE';
  /** PRIVATE_KEY_JWT: the application's public keys (PingOne's application `jwks`), as JWKs. */
  readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
  /** Default: client_credentials only (a worker app). */
  readonly grantTypes?: readonly ('client_credentials' | 'authorization_code' | 'refresh_token')[];
}

/**
 * All data of one PingOne environment. Handlers apply PingOne's rules (see ../handlers); this class only
 * keeps the data consistent: indexes, the default population and the membership graph.
 */
/** Environment attributes besides its data (as GET /environments/{id} shows them). */
/** A user's password as the simulator keeps it (PingOne never returns it; `value` is absent until one is set). */
export interface StoredPassword {
  readonly value?: string;
  readonly forceChange: boolean;
  readonly lastChangedAt?: string;
  /** what PingOne would email the user after password.sendRecoveryCode */
  readonly recoveryCode?: string;
}

export interface EnvironmentProfile {
  readonly description?: string;
  readonly type?: 'PRODUCTION' | 'SANDBOX';
  readonly region?: string;
  readonly organizationId?: string;
  readonly licenseId?: string;
}

export class Environment {
  readonly id: string;
  name: string;
  readonly createdAt: string;
  profile: EnvironmentProfile = {};
  readonly users = new ResourceTable();
  readonly groups = new ResourceTable();
  readonly populations = new ResourceTable();
  readonly memberships = new MembershipGraph();
  /** Roles, role assignments, applications, identity providers, sessions, password policies, audit activities. */
  readonly directory = new DirectoryData();
  /** Attribute names the environment's user schema declares as custom (kept on users, filterable with `sw`). */
  readonly customAttributes = new Set<string>();
  /** Custom attributes filterable with `co` too: with allowsContainsOperator, the single-valued STRING ones (acceptsContains). */
  readonly containsCustomAttributes = new Set<string>();
  /** The custom attributes' definitions (GET …/schemas/{id}/attributes); names are also in customAttributes. */
  readonly customAttributeDefinitions = new Map<string, SchemaAttributeDefinition>();
  /** Id of the environment's one schema, "User" (a seed may set it, e.g. one taken from a recording). */
  userSchemaId: string = randomUUID();
  /** Schema.allowsContainsOperator: whether filters may use `co` on custom attributes. */
  allowsContainsOperator = false;
  readonly clients: WorkerClient[] = [];
  /** Write-only: PingOne never returns passwords (the recovery code is what PingOne would email the user). */
  readonly passwords = new Map<string, StoredPassword>();
  readonly #usernames = new Map<string, string>(); // lower-cased username → user id
  readonly #userCounts = new Map<string, number>(); // population id → users

  constructor(id: string = randomUUID(), name = 'Simulated environment', createdAt = nowIso()) {
    this.id = id;
    this.name = name;
    this.createdAt = createdAt;
  }

  /** Adds a custom attribute to the user schema. */
  defineCustomAttribute(seed: string | CustomAttributeSeed): void {
    const definition = customAttributeDefinition(seed);
    this.customAttributes.add(definition.name);
    this.customAttributeDefinitions.set(definition.name, definition);
  }

  defaultPopulationId(): string | undefined {
    for (const record of this.populations.values()) if (record.data.default === true) return record.data.id as string;
    return undefined;
  }

  userIdByUsername(username: string): string | undefined {
    return this.#usernames.get(username.toLowerCase());
  }

  populationUserCount(populationId: string): number {
    return this.#userCounts.get(populationId) ?? 0;
  }

  /** Stores a user as given (ids, timestamps and all), keeping the indexes right. */
  putUser(data: Json & { id: string }): void {
    const previous = this.users.get(data.id);
    if (previous) this.#unindexUser(previous.data);
    if (previous) previous.data = data;
    else this.users.insert(data);
    this.#indexUser(data);
  }

  removeUser(id: string): void {
    const record = this.users.get(id);
    if (!record) return;
    this.#unindexUser(record.data);
    this.users.delete(id);
    this.passwords.delete(id);
    this.memberships.removeMember(id);
    this.directory.removeOwner(id);
  }

  removeGroup(id: string): void {
    this.groups.delete(id);
    this.memberships.removeGroup(id);
    this.directory.removeOwner(id);
  }

  #indexUser(data: Json): void {
    if (typeof data.username === 'string') this.#usernames.set(data.username.toLowerCase(), data.id as string);
    const populationId = populationOf(data);
    if (populationId) this.#userCounts.set(populationId, (this.#userCounts.get(populationId) ?? 0) + 1);
  }

  #unindexUser(data: Json): void {
    if (typeof data.username === 'string') this.#usernames.delete(data.username.toLowerCase());
    const populationId = populationOf(data);
    if (populationId) this.#userCounts.set(populationId, (this.#userCounts.get(populationId) ?? 1) - 1);
  }
}

export function populationOf(data: Json): string | undefined {
  const population = data.population as { id?: unknown } | undefined;
  return typeof population?.id === 'string' ? population.id : undefined;
}
