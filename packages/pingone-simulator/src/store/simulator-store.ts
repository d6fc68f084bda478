import { type Environment, type WorkerClient } from './environment';
import { TokenRegistry } from './token-registry';
import { AuthorizationGrants } from './authorization-grants';
import { PlatformData } from './platform-data';

/**
 * Everything the simulator holds, synchronously reachable from tests (`running.store`): environments with
 * their users, groups, populations and memberships, and the tokens issued.
 */
export class SimulatorStore {
  readonly environments = new Map<string, Environment>();
  readonly tokens = new TokenRegistry();
  readonly grants = new AuthorizationGrants();
  /** Built-in roles, the organization and its licenses (above environments). */
  readonly platform = new PlatformData();

  environment(id: string): Environment | undefined {
    return this.environments.get(id);
  }

  addEnvironment(environment: Environment): Environment {
    this.environments.set(environment.id, environment);
    return environment;
  }

  /** The environment and client a pair of credentials belongs to (any environment when none is given). */
  findClient(clientId: string, environmentId?: string): { environment: Environment; client: WorkerClient } | undefined {
    for (const environment of this.environments.values()) {
      if (environmentId !== undefined && environment.id !== environmentId) continue;
      const client = environment.clients.find((c) => c.clientId === clientId);
      if (client) return { environment, client };
    }
    return undefined;
  }
}
