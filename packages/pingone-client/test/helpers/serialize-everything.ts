import { inspect } from 'node:util';

/** JSON.stringify that survives cycles (a repeated object prints as "[cycle]"), BigInt and throwing getters. */
export function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[cycle]';
          seen.add(v);
        }
        return v;
      }) ?? 'undefined'
    );
  } catch (error) {
    return `[JSON failed: ${String(error)}]`;
  }
}

/**
 * Every way a value reaches a log: JSON, util.inspect at depth 10 (with and without hidden properties), String(),
 * and for errors their message, stack and cause chain as inspected.
 */
export function serializeEverything(value: unknown): string[] {
  const out = [safeJson(value), inspect(value, { depth: 10 }), inspect(value, { depth: 10, getters: true }), String(value)];
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? '');
    let cause: unknown = value;
    for (let i = 0; i < 5 && cause instanceof Error; i++) {
      out.push(cause.message, cause.stack ?? '', inspect(cause, { depth: 10 }));
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  return out;
}

/** The forms in which a client id/secret pair travels: raw, URL-encoded, base64 of `id:secret` (encoded or not). */
export function credentialForms(clientId: string, clientSecret: string): string[] {
  const pairs = [`${clientId}:${clientSecret}`, `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`];
  return [
    clientSecret,
    encodeURIComponent(clientSecret),
    ...pairs.flatMap((p) => [Buffer.from(p).toString('base64'), Buffer.from(p).toString('base64').replace(/=+$/, '')]),
  ];
}

/** Fails naming the first leaked needle with 120 characters of context (not the whole, huge haystack). */
export function expectNoLeak(texts: readonly string[], needles: readonly string[]): void {
  const leaks: string[] = [];
  for (const needle of needles) {
    for (const text of texts) {
      const at = text.indexOf(needle);
      if (at >= 0) {
        leaks.push(`${needle.slice(0, 6)}… in: ${text.slice(Math.max(0, at - 120), at + needle.length + 20)}`);
        break;
      }
    }
  }
  expect(leaks).toEqual([]);
}
