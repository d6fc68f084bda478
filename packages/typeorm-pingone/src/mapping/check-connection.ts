import { PingOneApiError, PingOneAuthError, PingOneError, type PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';

const LAZY = 'To start without PingOne (an app that must boot offline), set the DataSource option lazyConnect: true.';

/**
 * initialize() proves the connection: a token, then `GET /environments/{id}`. A wrong secret, an unknown
 * environment id or an unreachable host fail here, with what to check, instead of at the first query.
 */
export async function checkConnection(client: PingOneClient): Promise<void> {
  const { environmentId, apiUrl } = client.config;
  try {
    await client.getEnvironment();
  } catch (error) {
    if (!(error instanceof PingOneError)) throw error;
    let why: string;
    if (error instanceof PingOneAuthError && error.status === 404) {
      why = `environment '${client.config.workerEnvironmentId}' does not exist in this region (its token endpoint answered 404). Check environmentId (PingOne console → Environment → Properties) and the region.`;
    } else if (error instanceof PingOneAuthError) {
      why = `PingOne refused the worker app's credentials. ${error.message}`;
    } else if (error instanceof PingOneApiError && (error.status === 404 || error.status === 403)) {
      why = `environment '${environmentId}' ${error.status === 404 ? 'does not exist' : 'is not readable by this worker app'} (GET /environments/${environmentId} answered ${error.status}). ` +
        "Check environmentId (PingOne console → Environment → Properties) and the app's roles.";
    } else {
      why = `PingOne at ${apiUrl} could not be reached (${error.message}). Check the region / apiUrl and the network.`;
    }
    throw new PingOneDriverError('REMOTE_ERROR', `initialize() could not connect: ${why} ${LAZY}`, { cause: error });
  }
}
