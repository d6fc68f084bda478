import type { FaultControls } from '../fault-controls';
import type { MemoryRequestLog } from '../request-log';

export interface ControlResult {
  readonly status: number;
  readonly body?: unknown;
}

export interface ControlDeps {
  readonly faults: FaultControls;
  readonly log: MemoryRequestLog;
  readonly info: () => Record<string, unknown>;
}

function num(value: unknown, fallback?: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : value === 'Infinity' ? Infinity : fallback;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * `/__simulator/*`: the fault controls and request log over HTTP, for tests and tools in another process.
 *   GET  /__simulator/info        environment id and URLs
 *   GET  /__simulator/requests    the request log;  DELETE clears it
 *   POST /__simulator/faults      {"action":"failNext","count":2,"status":503,"retryAfterSeconds":1,"path":"/users","body":{…}}
 *                                 actions: failNext, cutNext, setLatency {ms}, setRateLimit {requestsPerSecond, retryAfterSeconds},
 *                                 clearRateLimit, failTokenEndpoint {count, status, body}, expireAllTokens,
 *                                 refuseFilterCell {resource, cell}, allowFilterCell {resource, cell}, reset
 */
export function handleControl(method: string, path: string, body: unknown, deps: ControlDeps): ControlResult {
  if (path === '/__simulator/info' && method === 'GET') return { status: 200, body: deps.info() };
  if (path === '/__simulator/requests' && method === 'GET') return { status: 200, body: deps.log.all() };
  if (path === '/__simulator/requests' && method === 'DELETE') {
    deps.log.clear();
    return { status: 204 };
  }
  if (path === '/__simulator/faults' && method === 'POST') return applyFault(body, deps.faults);
  return { status: 404, body: { error: 'not_found', message: `No control endpoint ${method} ${path}.` } };
}

function applyFault(body: unknown, faults: FaultControls): ControlResult {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const path = str(b.path);
  const method = str(b.method);
  const matcher = { ...(path ? { path } : {}), ...(method ? { method } : {}) };
  switch (b.action) {
    case 'failNext': {
      const status = num(b.status);
      if (status === undefined) return { status: 400, body: { error: 'failNext needs a numeric "status".' } };
      const retryAfterSeconds = num(b.retryAfterSeconds);
      faults.failNext(num(b.count, 1)!, {
        status,
        ...matcher,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        ...(obj(b.body) ? { body: obj(b.body)! } : {}),
      });
      break;
    }
    case 'cutNext':
      faults.cutNext(num(b.count, 1)!, matcher);
      break;
    case 'setLatency':
      faults.setLatency(num(b.ms, 0)!);
      break;
    case 'setRateLimit': {
      const retryAfterSeconds = num(b.retryAfterSeconds);
      faults.setRateLimit({
        requestsPerSecond: num(b.requestsPerSecond, 10)!,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      });
      break;
    }
    case 'clearRateLimit':
      faults.setRateLimit(undefined);
      break;
    case 'failTokenEndpoint':
      faults.failTokenEndpoint(num(b.count, 1)!, num(b.status, 500), obj(b.body));
      break;
    case 'expireAllTokens':
      faults.expireAllTokens();
      break;
    case 'refuseFilterCell':
    case 'allowFilterCell': {
      const resource = str(b.resource);
      const cell = str(b.cell);
      if (!resource || !['users', 'groups', 'populations', 'memberships'].includes(resource) || !cell) {
        return {
          status: 400,
          body: {
            error: `${String(b.action)} needs "resource" (users, groups, populations or memberships) and "cell" (e.g. "name.given co").`,
          },
        };
      }
      faults[b.action](resource as 'users', cell);
      break;
    }
    case 'reset':
      faults.reset();
      break;
    default:
      return {
        status: 400,
        body: {
          error: `Unknown action ${JSON.stringify(b.action)}. Use failNext, cutNext, setLatency, setRateLimit, clearRateLimit, failTokenEndpoint, expireAllTokens, refuseFilterCell, allowFilterCell or reset.`,
        },
      };
  }
  return { status: 204 };
}
