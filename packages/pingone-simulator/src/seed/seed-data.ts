import { randomBytes, randomUUID } from 'node:crypto';
import { Environment, populationOf, type WorkerClient } from '../store/environment';
import type { SimulatorStore } from '../store/simulator-store';
import type { Json } from '../store/attributes';
import { acceptsContains, containsAttributeNames, type CustomAttributeSeed } from '../store/user-schema';
import { DIRECTORY_KINDS, type DirectoryKind } from '../store/directory-data';

/**
 * Data to start the simulator with. Objects are PingOne wire shapes and may carry their ids, timestamps and any
 * extra keys exactly as a real response had them (so a recording can be loaded as it is); `_links` is dropped
 * because the simulator renders links itself.
 */
export interface SeedEnvironment {
  readonly id?: string;
  readonly name?: string;
  readonly populations?: readonly Json[];
  readonly users?: readonly Json[];
  readonly groups?: readonly Json[];
  readonly memberships?: readonly { readonly userId: string; readonly groupId: string }[];
  readonly groupNesting?: readonly { readonly groupId: string; readonly parentGroupId: string }[];
  /** custom user attributes of the environment's user schema: names (single-valued STRING) or definitions */
  readonly customAttributes?: readonly (string | CustomAttributeSeed)[];
  /**
   * single-valued STRING custom attributes meant to be filterable with `co`: listing any turns allowsContainsOperator
   * on, and then `co` works on every single-valued STRING custom attribute (at most 5), since PingOne's schema says
   * only whether contains can be used, not where
   */
  readonly containsCustomAttributes?: readonly string[];
  /** the user schema's allowsContainsOperator (default: true when containsCustomAttributes lists any); see acceptsContains */
  readonly allowsContainsOperator?: boolean;
  /** id of the user schema (default: random), so that a recording's `/schemas/{id}` requests replay */
  readonly userSchemaId?: string;
  readonly clients?: readonly WorkerClient[];
  readonly description?: string;
  readonly type?: 'PRODUCTION' | 'SANDBOX';
  readonly region?: string;
  readonly organization?: { readonly id: string };
  readonly license?: { readonly id: string };
  readonly createdAt?: string;
  /**
   * The directory's other resources, as PingOne shows them: customRoles, applications, applicationGrants and
   * applicationAttributes (with `application.id`), identityProviders, passwordPolicies, sessions and linkedAccounts
   * (with `user.id`), activities, and roleAssignments, each with `subject: { type: 'users' | 'groups' |
   * 'applications', id }` (whose assignment it is: PingOne's body doesn't say, its path does).
   */
  readonly directory?: { readonly [K in DirectoryKind]?: readonly Json[] };
}

export interface SeedData {
  readonly environments: readonly SeedEnvironment[];
}

export const DEFAULT_ENVIRONMENT_ID = '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f';
export const DEFAULT_CLIENT_ID = 'c1a7e5b0-7d3f-4f0a-9b6e-000000000001';
/** A native app (public client, PKCE) for the authorization code flow. */
export const INTERACTIVE_CLIENT_ID = 'c1a7e5b0-7d3f-4f0a-9b6e-000000000002';
/** A confidential web app (CLIENT_SECRET_BASIC) for the authorization code flow. */
export const WEB_CLIENT_ID = 'c1a7e5b0-7d3f-4f0a-9b6e-000000000003';

function withDefaults(env: Environment, data: Json, now: string): Json & { id: string } {
  const { _links: _ignored, _embedded: _alsoIgnored, ...rest } = data;
  return {
    ...rest,
    id: typeof rest.id === 'string' ? rest.id : randomUUID(),
    environment: { id: env.id },
    createdAt: typeof rest.createdAt === 'string' ? rest.createdAt : now,
    updatedAt: typeof rest.updatedAt === 'string' ? rest.updatedAt : typeof rest.createdAt === 'string' ? rest.createdAt : now,
  };
}

/** Loads one environment into the store; returns it. */
export function loadSeedEnvironment(store: SimulatorStore, seed: SeedEnvironment): Environment {
  const env = store.addEnvironment(new Environment(seed.id ?? randomUUID(), seed.name ?? 'Simulated environment', seed.createdAt));
  env.profile = {
    ...(seed.description !== undefined ? { description: seed.description } : {}),
    ...(seed.type !== undefined ? { type: seed.type } : {}),
    ...(seed.region !== undefined ? { region: seed.region } : {}),
    ...(seed.organization ? { organizationId: seed.organization.id } : {}),
    ...(seed.license ? { licenseId: seed.license.id } : {}),
  };
  const now = new Date().toISOString();
  if (seed.userSchemaId !== undefined) env.userSchemaId = seed.userSchemaId;
  for (const attribute of seed.customAttributes ?? []) env.defineCustomAttribute(attribute);
  // containsCustomAttributes only turns the schema flag on and checks each name qualifies: the flag alone decides
  // (acceptsContains in store/user-schema.ts), as it does for a client reading PingOne's schema.
  const contains = seed.containsCustomAttributes ?? [];
  for (const name of contains) {
    const definition = env.customAttributeDefinitions.get(name);
    if (!definition)
      throw new RangeError(
        `containsCustomAttributes: '${name}' is not one of customAttributes (${[...env.customAttributes].join(', ') || 'none'}).`,
      );
    if (!acceptsContains(definition, true)) {
      throw new RangeError(
        `containsCustomAttributes: '${name}' is ${definition.multiValued ? 'multi-valued' : definition.type}; PingOne's contains operator applies to single-valued STRING custom attributes only. Remove it from containsCustomAttributes.`,
      );
    }
  }
  env.allowsContainsOperator = seed.allowsContainsOperator ?? contains.length > 0;
  for (const name of containsAttributeNames(env.customAttributeDefinitions.values(), env.allowsContainsOperator))
    env.containsCustomAttributes.add(name);
  const populations = seed.populations ?? [{ name: 'Default', description: 'The default population', default: true }];
  for (const population of populations) env.populations.insert(withDefaults(env, population, now));
  if (env.defaultPopulationId() === undefined) {
    // PingOne environments always have a default population; recordings don't always show it.
    const first = env.populations.values().next();
    if (!first.done) first.value.data = { ...first.value.data, default: true };
  }
  const fallbackPopulation = env.defaultPopulationId();
  for (const user of seed.users ?? []) {
    const data = withDefaults(env, user, now);
    const populationId = populationOf(data) ?? fallbackPopulation;
    if (populationId !== undefined && !env.populations.has(populationId)) {
      env.populations.insert(withDefaults(env, { id: populationId, name: `Population ${populationId.slice(0, 8)}` }, now));
    }
    env.putUser({ ...data, ...(populationId ? { population: { id: populationId } } : {}) });
  }
  for (const group of seed.groups ?? []) env.groups.insert(withDefaults(env, group, now));
  for (const { userId, groupId } of seed.memberships ?? []) env.memberships.add(userId, groupId);
  for (const { groupId, parentGroupId } of seed.groupNesting ?? []) env.memberships.add(groupId, parentGroupId);
  for (const client of seed.clients ?? []) env.clients.push(client);
  for (const kind of DIRECTORY_KINDS) {
    for (const item of seed.directory?.[kind] ?? []) {
      const { _links: _ignored, subject, ...rest } = item;
      env.directory.table(kind).insert({
        ...rest,
        id: typeof rest.id === 'string' ? rest.id : randomUUID(),
        environment: { id: env.id },
        ...(subject ? { _subject: subject } : {}),
      });
    }
  }
  return env;
}

/** A worker client with a fresh random secret, for environments seeded without one. */
export function newWorkerClient(
  clientId: string = DEFAULT_CLIENT_ID,
  tokenEndpointAuthMethod: NonNullable<WorkerClient['tokenEndpointAuthMethod']> = 'CLIENT_SECRET_BASIC',
  jwks?: WorkerClient['jwks'],
): WorkerClient {
  const secret =
    tokenEndpointAuthMethod === 'PRIVATE_KEY_JWT' || tokenEndpointAuthMethod === 'NONE' ? '' : randomBytes(24).toString('base64url');
  return { clientId, clientSecret: secret, tokenEndpointAuthMethod, ...(jwks ? { jwks } : {}) };
}

export function loadSeedData(store: SimulatorStore, seed: SeedData): Environment[] {
  // seed data is parsed JSON: checked as whatever it may be, not as its declared type
  const environments: unknown = seed.environments;
  if (!Array.isArray(environments) || environments.length === 0) {
    throw new TypeError('Seed data needs an "environments" array with at least one environment: {"environments":[{"users":[…]}]}');
  }
  return seed.environments.map((env) => loadSeedEnvironment(store, env));
}
