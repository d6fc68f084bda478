import type { HandlerContext } from '../api-request';
import { httpErrors } from '../errors';

/**
 * The `expand` values of a request (repeated or comma-separated), each one of `allowed`. An unknown value is refused
 * (400 INVALID_VALUE): PingOne's behaviour there is undocumented, and refusing is the stricter reading (a guess,
 * docs/simulator.md).
 */
export function expansions(ctx: HandlerContext, allowed: readonly string[]): ReadonlySet<string> {
  const values = ctx.request.query
    .getAll('expand')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const value of values) {
    if (!allowed.includes(value)) {
      throw httpErrors.invalidData({
        code: 'INVALID_VALUE',
        target: 'expand',
        message: `expand=${value} is not supported here. Supported: ${allowed.length > 0 ? allowed.join(', ') : 'none'}.`,
        innerError: { allowedValues: allowed },
      });
    }
  }
  return new Set(values);
}
