import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSimulator } from '@typeorm-pingone/simulator';

/** One exchange as the proxy sees it. */
export interface Exchange {
  readonly method: string;
  /** the path below the environment, e.g. `/users` or `/users/<id>/memberOfGroups` */
  readonly path: string;
  readonly body: string;
}

export interface ProxyRule {
  readonly method?: string;
  readonly path?: RegExp;
}

/**
 * A proxy between a DataSource and the simulator, for what a network does to answers: it forwards each request
 * (PingOne applies it) and can then lose the answer (the connection is cut before it arrives), hold a request
 * before forwarding it, or run a hook at either point (a crash test kills its child there). Links in answers are
 * rewritten to the proxy's origin, as a client behind a real proxy would see them.
 */
export class LossyProxy {
  readonly #sim: RunningSimulator;
  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch(() => res.destroy());
  });
  readonly #losses: { rule: ProxyRule; remaining: number }[] = [];
  #origin = '';
  /** before forwarding: return 'drop' to cut the connection without forwarding */
  beforeForward: ((exchange: Exchange) => Promise<'forward' | 'drop'> | 'forward' | 'drop') | undefined;
  /** after PingOne answered, before the answer is passed on: return 'drop' to lose it */
  beforeAnswer: ((exchange: Exchange, status: number) => Promise<'send' | 'drop'> | 'send' | 'drop') | undefined;
  readonly log: Exchange[] = [];
  /** delay before each request is forwarded (this client's network distance to PingOne) */
  latencyMs = 0;
  /** PingOne's clock as the client sees it, shifted by this much: Date headers and createdAt/updatedAt in answers */
  clockOffsetMs = 0;

  private constructor(sim: RunningSimulator) {
    this.#sim = sim;
  }

  static async start(sim: RunningSimulator): Promise<LossyProxy> {
    const proxy = new LossyProxy(sim);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.#origin = `http://127.0.0.1:${(proxy.#server.address() as AddressInfo).port}`;
    return proxy;
  }

  /** The management API URL to give the DataSource instead of the simulator's. */
  get apiUrl(): string {
    return `${this.#origin}/v1`;
  }

  /** The next `count` answers to requests matching `rule` are lost after PingOne applied them. */
  loseAnswers(rule: ProxyRule, count = 1): void {
    this.#losses.push({ rule, remaining: count });
  }

  #takeLoss(exchange: Exchange): boolean {
    const loss = this.#losses.find((l) => l.remaining > 0 && matches(l.rule, exchange));
    if (!loss) return false;
    loss.remaining--;
    return true;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const exchange: Exchange = { method, path: url.replace(/^\/v1\/environments\/[^/?]+/, '').split('?')[0], body };
    this.log.push(exchange);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if ((await this.beforeForward?.(exchange)) === 'drop') {
      res.destroy();
      return;
    }
    const target = new URL(url, this.#sim.apiUrl.replace(/\/v1$/, ''));
    const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
      const forward = httpRequest(target, { method, headers: { ...req.headers, host: target.host } }, (upstream) => {
        const parts: Buffer[] = [];
        upstream.on('data', (c: Buffer) => parts.push(c));
        upstream.on('end', () =>
          resolve({ status: upstream.statusCode ?? 502, headers: upstream.headers, body: Buffer.concat(parts).toString('utf8') }),
        );
        upstream.on('error', reject);
      });
      forward.on('error', reject);
      forward.end(body === '' ? undefined : body);
    });
    if (this.#takeLoss(exchange) || (await this.beforeAnswer?.(exchange, answer.status)) === 'drop') {
      res.destroy();
      return;
    }
    const shift = (iso: string) => new Date(Date.parse(iso) + this.clockOffsetMs).toISOString();
    const text = answer.body
      .split(this.#sim.apiUrl.replace(/\/v1$/, ''))
      .join(this.#origin)
      .replace(
        /"(createdAt|updatedAt)":"([^"]+)"/g,
        (_m, name: string, iso: string) => `"${name}":"${this.clockOffsetMs ? shift(iso) : iso}"`,
      );
    const headers = { ...answer.headers };
    if (this.clockOffsetMs && typeof headers.date === 'string')
      headers.date = new Date(Date.parse(headers.date) + this.clockOffsetMs).toUTCString();
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, { ...headers, ...(text ? { 'content-length': String(Buffer.byteLength(text)) } : {}) });
    res.end(text);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function matches(rule: ProxyRule, exchange: Exchange): boolean {
  return (rule.method === undefined || rule.method === exchange.method) && (rule.path === undefined || rule.path.test(exchange.path));
}
