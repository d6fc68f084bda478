import type { PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';

/**
 * Entity schemas → clients of those PingOne environments, matched by id or by name (case-insensitively), with one
 * `GET /v1/environments` at initialize() when any entity has a schema. An unknown name lists the environments.
 */
export async function resolveEnvironments(
  client: PingOneClient,
  schemas: readonly (string | undefined)[],
): Promise<ReadonlyMap<string, PingOneClient>> {
  const wanted = [...new Set(schemas.filter((s): s is string => s !== undefined))];
  if (wanted.length === 0) return new Map();
  const environments = await client.listEnvironments();
  const clients = new Map<string, PingOneClient>();
  for (const schema of wanted) {
    const match = environments.find((e) => e.id === schema) ?? environments.find((e) => e.name.toLowerCase() === schema.toLowerCase());
    if (!match) {
      throw new PingOneDriverError(
        'MAPPING_ERROR',
        `Entity schema '${schema}' names no PingOne environment this worker app can see. Environments: ${environments.map((e) => `${e.name} (${e.id})`).join(', ')}. Use one of these names or ids as the schema.`,
      );
    }
    clients.set(schema, client.withEnvironment(match.id));
  }
  return clients;
}
