import { cutText, PingOneError } from '../errors';

export { cutText };

/**
 * PingOne documents a 6 KB limit on request headers (the request line included), and its CDN answers 414/431 above
 * it. The access token (a JWT of 1–2 KB) travels in the same headers, so URLs are kept to 4 KB by default.
 */
export const DEFAULT_MAX_URL_LENGTH = 4096;

/** Throws when a request URL exceeds the budget (callers that can split a filter do so before this point). */
export function assertUrlWithinBudget(method: string, url: string, shownUrl: string, budget: number): void {
  if (url.length <= budget) return;
  throw new PingOneError(
    'REQUEST_TOO_LARGE',
    `PingOne ${method} ${cutText(shownUrl)} was not sent: its URL is ${url.length} characters long, over the request-size budget of ${budget} ` +
      "(PingOne rejects request headers over 6 KB with 414/431). Use shorter values, or raise the client option maxUrlLength if your tenant's limit allows it.",
  );
}
