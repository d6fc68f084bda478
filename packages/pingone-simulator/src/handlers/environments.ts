import type { ApiResponse, HandlerContext } from '../api-request';
import { renderEnvironment } from '../views';

/** A fixed organization id: the simulator has one organization. */
export const ORGANIZATION_ID = '7cb1f212-0000-4a3c-b3e1-000000000001';

export function readEnvironment(ctx: HandlerContext): ApiResponse {
  return { status: 200, body: renderEnvironment(ctx.view.apiUrl, ctx.environment, ORGANIZATION_ID) };
}

/** `GET /v1/environments`: the environments the caller's token may see (a worker token sees its own). */
export function listEnvironments(ctx: HandlerContext): ApiResponse {
  const items = [...ctx.store.environments.values()].map((env) => renderEnvironment(ctx.view.apiUrl, env, ORGANIZATION_ID));
  return {
    status: 200,
    body: {
      _links: { self: { href: `${ctx.view.apiUrl}/environments${ctx.request.rawQuery ? `?${ctx.request.rawQuery}` : ''}` } },
      _embedded: { environments: items },
      count: items.length,
      size: items.length,
    },
  };
}
