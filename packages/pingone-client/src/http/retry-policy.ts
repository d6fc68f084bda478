import type { ResolvedConfig } from '../config/resolve-config';

type RetryConfig = ResolvedConfig['retry'];

/** Statuses PingOne's retry guidance calls transient (pingone-api.md §7). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
/** Methods that can be repeated without changing the outcome. POST is not among them. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'DELETE']);

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before the next attempt (attempt = the number of the attempt that just failed, from 1). A server's
 * Retry-After wins, capped at maxRetryAfterMs; otherwise exponential backoff base·2^(attempt−1), capped at
 * maxDelayMs, with "full jitter" (a random point in [0.5, 1] of it) so many clients don't retry in lockstep.
 */
export function computeRetryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  config: RetryConfig,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, config.maxRetryAfterMs);
  const exponential = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

/** Whether another attempt may start: attempts left and the delay still fits the total time budget. */
export function mayRetry(attempt: number, elapsedMs: number, delayMs: number, config: RetryConfig): boolean {
  return attempt < config.maxAttempts && elapsedMs + delayMs <= config.maxElapsedMs;
}
