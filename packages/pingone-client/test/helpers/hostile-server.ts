import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/*
 * A server that answers like PingOne's management API where a test asks it to, and like a broken proxy or an attacker
 * elsewhere: cursors that never end, bodies over any limit (declared, or streamed slowly without end), garbage items.
 * It listens on 127.0.0.1:0 and records what it sent, so tests can tell that the client stopped reading.
 */
export type Behaviour =
  /** a HAL collection of `items`, with `next` pointing at a fresh cursor while `more(page)` says so */
  | { kind: 'pages'; plural: string; items: (page: number) => unknown[]; more: (page: number) => boolean; count?: number }
  /** a JSON body of `bytes` bytes sent in `chunk`-byte pieces every `everyMs`, with or without content-length */
  | { kind: 'stream'; bytes: number; chunk: number; everyMs: number; declare: boolean }
  /** only the head, declaring `length` bytes; the body never comes */
  | { kind: 'declare'; length: number }
  | { kind: 'json'; status: number; body: unknown };

export interface HostileServer {
  readonly apiUrl: string;
  /** what each path (below /v1/environments/{env}, without query) answers */
  readonly routes: Map<string, Behaviour>;
  /** requests seen, as `METHOD path?query` */
  readonly requests: string[];
  /** bytes of body written by 'stream' answers, and whether the client closed the connection before the end */
  readonly streamed: { bytes: number; closedEarly: boolean };
  close(): Promise<void>;
}

export const ENVIRONMENT = '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f';
const HAL = { 'content-type': 'application/hal+json;charset=UTF-8' };

export async function startHostileServer(): Promise<HostileServer> {
  const routes = new Map<string, Behaviour>();
  const requests: string[] = [];
  const streamed = { bytes: 0, closedEarly: false };
  const timers = new Set<NodeJS.Timeout>();
  let base = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const path = url.pathname.replace(`/v1/environments/${ENVIRONMENT}`, '');
    const behaviour = routes.get(path);
    if (!behaviour) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: randomUUID(), code: 'NOT_FOUND', message: 'No such resource.' }));
      return;
    }
    if (behaviour.kind === 'json') {
      res.writeHead(behaviour.status, HAL);
      res.end(JSON.stringify(behaviour.body));
    } else if (behaviour.kind === 'pages') {
      const page = Number(url.searchParams.get('page') ?? '0');
      const next = behaviour.more(page)
        ? { next: { href: `${base}/environments/${ENVIRONMENT}${path}?page=${page + 1}&cursor=${randomUUID()}` } }
        : {};
      res.writeHead(200, HAL);
      res.end(
        JSON.stringify({
          _links: { self: { href: `${base}${url.pathname}` }, ...next },
          _embedded: { [behaviour.plural]: behaviour.items(page) },
          ...(behaviour.count !== undefined ? { count: behaviour.count } : {}),
        }),
      );
    } else if (behaviour.kind === 'declare') {
      res.writeHead(200, { ...HAL, 'content-length': String(behaviour.length) });
      res.flushHeaders();
    } else {
      res.writeHead(200, { ...HAL, ...(behaviour.declare ? { 'content-length': String(behaviour.bytes) } : {}) });
      let sent = 0;
      const piece = Buffer.alloc(behaviour.chunk, 0x20);
      res.write('{"_embedded":{"users":[]},"padding":"');
      const send = () => {
        if (res.destroyed) return;
        while (sent < behaviour.bytes) {
          sent += piece.length;
          streamed.bytes += piece.length;
          if (!res.write(piece)) return void res.once('drain', () => schedule());
          if (behaviour.everyMs > 0) return schedule();
        }
        res.end('"}');
      };
      const schedule = () => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, behaviour.everyMs);
        timers.add(timer);
      };
      res.once('close', () => {
        if (sent < behaviour.bytes) streamed.closedEarly = true;
      });
      send();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    apiUrl: base,
    routes,
    requests,
    streamed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `count` well-formed users with fresh ids. */
export const freshUsers = (count: number): Record<string, unknown>[] =>
  Array.from({ length: count }, () => {
    const id = randomUUID();
    return { id, username: `u-${id.slice(0, 8)}` };
  });
