import type { ApiResponse, HandlerContext } from '../api-request';
import { renderEnvironment } from '../views';
import { ORGANIZATION_ID } from '../store/platform-data';

export { ORGANIZATION_ID };

export function readEnvironment(ctx: HandlerContext): ApiResponse {
  return { status: 200, body: renderEnvironment(ctx.view.apiUrl, ctx.environment, ORGANIZATION_ID) };
}
