import {
  PingOneApiError,
  PingOneAuthError,
  PingOneError,
  PingOneNetworkError,
  PingOneTimeoutError,
  type PingOneClient,
} from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';

const LAZY = 'To start without PingOne (an app that must boot offline), set the DataSource option lazyConnect: true.';

/** Why the check failed, in the words of what happened: only an answer from PingOne can refuse the credentials. */
function whyNotConnected(client: PingOneClient, error: PingOneError): string {
  const { environmentId, apiUrl } = client.config;
  if (error instanceof PingOneNetworkError) {
    return `PingOne could not be reached, so nothing was refused or checked: ${error.message} Check the region / apiUrl and this machine's network (DNS, proxy, firewall).`;
  }
  if (error instanceof PingOneTimeoutError) {
    return `PingOne did not answer in time, so nothing was refused or checked: ${error.message}`;
  }
  if (error instanceof PingOneAuthError && error.status === 404) {
    return `environment '${client.config.workerEnvironmentId}' does not exist in this region (its token endpoint answered 404). Check environmentId (PingOne console → Environment → Properties) and the region.`;
  }
  if (error instanceof PingOneAuthError && error.status !== undefined && error.status >= 500) {
    return `PingOne's auth service failed (its token endpoint answered ${error.status}); the credentials were not checked. ${error.message}`;
  }
  if (error instanceof PingOneAuthError && error.status !== undefined) {
    return `PingOne refused the worker app's credentials. ${error.message}`;
  }
  if (error instanceof PingOneApiError && (error.status === 404 || error.status === 403)) {
    return (
      `environment '${environmentId}' ${error.status === 404 ? 'does not exist' : 'is not readable by this worker app'} (GET /environments/${environmentId} answered ${error.status}). ` +
      "Check environmentId (PingOne console → Environment → Properties) and the app's roles."
    );
  }
  if (error instanceof PingOneApiError) return `PingOne at ${apiUrl} answered ${error.status}: ${error.message}`;
  return `${error.message}`;
}

/**
 * initialize() proves the connection: a token, then `GET /environments/{id}`. A wrong secret, an unknown
 * environment id or an unreachable host fail here, with what to check, instead of at the first query.
 */
export async function checkConnection(client: PingOneClient): Promise<void> {
  try {
    await client.getEnvironment();
  } catch (error) {
    if (!(error instanceof PingOneError)) throw error;
    throw new PingOneDriverError('REMOTE_ERROR', `initialize() could not connect: ${whyNotConnected(client, error)} ${LAZY}`, {
      cause: error,
    });
  }
}
