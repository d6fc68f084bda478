import { writeFileSync } from 'node:fs';

export interface HarEntry {
  readonly startedDateTime: string;
  readonly request: { readonly method: string; readonly url: string; readonly queryString: readonly { name: string; value: string }[]; readonly headers: readonly { name: string; value: string }[] };
  readonly response: { readonly status: number; readonly headers: readonly { name: string; value: string }[]; readonly content: { readonly mimeType: string; readonly text: string } };
  readonly comment: string;
}

// Directory data is personal data: every string in a recorded resource is replaced, except what identifies
// structure (ids, types, hrefs, enums); secrets never reach the recorder (no request headers are recorded).
const KEPT = new Set(['id', 'type', 'href', 'code', 'target', 'status', 'environment', 'population', 'size', 'count']);

export function redactBody(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redactBody(v, key));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, KEPT.has(k) && typeof v !== 'object' ? v : redactBody(v, k)]));
  if (typeof value === 'string' && !KEPT.has(key) && !/^[0-9a-f-]{36}$/i.test(value) && !/^https?:\/\//.test(value)) return 'REDACTED';
  return value;
}

/** A HAR 1.2 log in the shape of the real recordings the simulator's replay tests read (log.entries[].request/response). */
export class HarRecorder {
  readonly entries: HarEntry[] = [];

  record(method: string, url: string, status: number, body: unknown, comment: string, headers: Record<string, string> = {}): void {
    const parsed = new URL(url);
    this.entries.push({
      startedDateTime: new Date().toISOString(),
      request: { method, url: parsed.toString(), queryString: [...parsed.searchParams].map(([name, value]) => ({ name, value })), headers: [] },
      response: {
        status,
        headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
        content: { mimeType: 'application/json', text: JSON.stringify(redactBody(body)) },
      },
      comment,
    });
  }

  toJSON(): unknown {
    return { log: { version: '1.2', creator: { name: 'pingone-conformance', version: '0.1.0' }, entries: this.entries } };
  }

  write(path: string): void {
    writeFileSync(path, `${JSON.stringify(this.toJSON(), null, 2)}\n`, { mode: 0o600 });
  }
}
