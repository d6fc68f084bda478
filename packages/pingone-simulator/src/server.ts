import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ApiHandler, SimulatorSettings } from './api-request';
import { errorForStatus, httpErrors, SimulatorHttpError } from './errors';
import { renderFaultBody, type FaultState } from './fault-controls';
import { createApiRouter } from './handlers/api-routes';
import { handleControl, type ControlDeps } from './handlers/control';
import { issueToken, revokeToken } from './handlers/token';
import { handleAuthorize } from './handlers/authorize';
import { BodyTooLargeError, HAL_JSON, mediaType, PLAIN_JSON, readBody, sendJson, sleep, type Reply } from './http-io';
import { redactBody, redactHeaders, type LoggedRequest, type MemoryRequestLog } from './request-log';
import { checkRequestLimits, NODE_MAX_HEADER_SIZE, oversizedHeadResponse, PINGONE_REQUEST_LIMITS } from './request-limits';
import type { SimulatorStore } from './store/simulator-store';
import type { Router } from './router';

export interface ServerDeps {
  readonly store: SimulatorStore;
  readonly faults: FaultState;
  readonly log: MemoryRequestLog;
  readonly settings: SimulatorSettings;
  readonly control: Omit<ControlDeps, 'log'>;
  /** `http://127.0.0.1:<port>`, known once listening */
  readonly baseUrl: () => string;
}

// The auth server's paths: /{envId}/as/… or, on a custom domain, /as/….
const AS_PATH = /^\/(?:([^/]+)\/)?as\/(token|authorize|revoke)$/;

function parseBody(text: string, type: string): unknown {
  if (text === '') return undefined;
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw httpErrors.invalidRequest('The request body is not valid JSON.');
  }
}

/** Creates the HTTP server. Every failure becomes a PingOne-shaped response: bad input never crashes the process. */
export function createSimulatorServer(deps: ServerDeps): Server {
  const router = createApiRouter();
  const server = createServer({ maxHeaderSize: NODE_MAX_HEADER_SIZE }, (req, res) => {
    handle(req, res, deps, router).catch((error: unknown) => {
      // Last resort: a bug in a handler still answers 500 instead of taking the server down.
      if (!res.headersSent) sendJson(res, { status: 500, body: errorForStatus(500).body() }, HAL_JSON);
      else res.destroy(error instanceof Error ? error : undefined);
    });
  });
  // Requests Node can't parse never reach the handler; answer them as Node would, but with an error body for a
  // request head beyond even NODE_MAX_HEADER_SIZE.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return;
    if (error.code === 'HPE_HEADER_OVERFLOW') socket.end(oversizedHeadResponse(deps.settings.requestLimits || PINGONE_REQUEST_LIMITS));
    else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end('HTTP/1.1 408 Request Timeout\r\nconnection: close\r\n\r\n');
    else socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps, router: Router<ApiHandler>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const type = mediaType(req);
  const kind: LoggedRequest['kind'] = url.pathname.startsWith('/__simulator/') ? 'control' : AS_PATH.test(url.pathname) ? 'token' : 'api';
  let body: unknown;
  let reply: Reply;
  let cut = false;
  try {
    const text = await readBody(req);
    if (kind !== 'control') checkRequestLimits(req, deps.settings.requestLimits);
    body = parseBody(text, type);
    if (kind === 'control') {
      reply = handleControl(method, url.pathname, body, { ...deps.control, log: deps.log });
    } else {
      await sleep(deps.faults.latencyMs);
      reply = kind === 'token' ? tokenReply(req, url, method, body, deps) : apiReply(req, url, method, type, body, deps, router);
      cut = deps.faults.takeCut(method, url.pathname);
    }
  } catch (error) {
    reply = errorReply(error);
  }
  deps.log.record({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: redactBody(body, '', url.pathname),
    headers: redactHeaders(req.headers),
    status: reply.status,
    kind,
  });
  sendJson(res, reply, kind === 'api' ? HAL_JSON : PLAIN_JSON, cut);
}

function errorReply(error: unknown): Reply {
  if (error instanceof SimulatorHttpError) return { status: error.status, body: error.body(), headers: error.headers };
  if (error instanceof BodyTooLargeError) {
    return { status: 400, body: httpErrors.invalidRequest('The request body is larger than 1 MiB.').body() };
  }
  return { status: 500, body: errorForStatus(500).body() };
}

function tokenReply(req: IncomingMessage, url: URL, method: string, body: unknown, deps: ServerDeps): Reply {
  const [, environmentId, endpoint] = AS_PATH.exec(url.pathname) ?? [];
  const form = new URLSearchParams(typeof body === 'object' && body !== null ? (body as Record<string, string>) : {});
  if (environmentId !== undefined && !deps.store.environment(environmentId)) {
    return { status: 404, body: { error: 'not_found', error_description: `Unknown environment '${environmentId}'.` } };
  }
  if (endpoint === 'authorize') return handleAuthorize(deps.store, environmentId, method, url, form);
  if (method !== 'POST')
    return { status: 405, body: { error: 'invalid_request', error_description: 'Use POST.' }, headers: { allow: 'POST' } };
  const issuer = `${deps.baseUrl()}${environmentId !== undefined ? `/${environmentId}` : ''}/as`;
  const assertions = { audiences: [`${issuer}/token`, issuer, `${issuer}/${endpoint}`], strict: deps.settings.filters.strict };
  if (endpoint === 'revoke') return revokeToken(deps.store, environmentId, req.headers, form, assertions);
  const failure = deps.faults.takeTokenFailure();
  if (failure !== undefined) {
    const standard = {
      error: failure.status >= 500 ? 'server_error' : 'invalid_request',
      error_description: 'Injected token endpoint failure.',
    };
    return { status: failure.status, body: failure.body ? renderFaultBody(failure.body, req.headers, body) : standard };
  }
  return issueToken(deps.store, environmentId, req.headers, form, {
    lifetimeSeconds: deps.settings.tokenLifetimeSeconds,
    refreshTokenRotation: deps.settings.refreshTokenRotation,
    assertions,
  });
}

function apiReply(
  req: IncomingMessage,
  url: URL,
  method: string,
  type: string,
  body: unknown,
  deps: ServerDeps,
  router: Router<ApiHandler>,
): Reply {
  const retryAfter = deps.faults.rateLimited();
  if (retryAfter !== undefined) throw httpErrors.requestLimited(retryAfter);
  const failure = deps.faults.takeFailure(method, url.pathname);
  if (failure?.body) {
    const headers: Record<string, string> =
      failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
    return { status: failure.status, body: { id: randomUUID(), ...renderFaultBody(failure.body, req.headers, body) }, headers };
  }
  if (failure) throw errorForStatus(failure.status, failure.retryAfterSeconds);
  const authorization = req.headers.authorization ?? '';
  const token = /^bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
  if (!token || deps.store.tokens.check(token) === undefined) throw httpErrors.accessFailed();
  const match = router.match(method, url.pathname);
  const environmentId = match.params.envId;
  const environments = [...deps.store.environments.values()];
  const environment = environmentId === undefined ? environments[0] : deps.store.environment(environmentId);
  if (!environment) throw httpErrors.notFound();
  const apiUrl = `${deps.baseUrl()}/v1`;
  const rawQuery = (req.url ?? '').split('?')[1] ?? '';
  return match.handler({
    request: {
      method,
      path: url.pathname,
      params: match.params,
      query: url.searchParams,
      rawQuery,
      headers: req.headers,
      contentType: type,
      body,
    },
    environment,
    view: { apiUrl, environment },
    store: deps.store,
    settings: deps.settings,
    refusedCells: deps.faults.refusedCells,
  });
}
