import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The loopback redirect listener of a native-app sign-in (RFC 8252 §7.3): listens on 127.0.0.1, accepts one
 * redirect carrying `code` and the expected `state`, answers the browser, and closes.
 */
export class LoopbackCallback {
  readonly #server: Server;
  readonly redirectUri: string;
  readonly #result: Promise<string>;

  private constructor(server: Server, redirectUri: string, result: Promise<string>) {
    this.#server = server;
    this.redirectUri = redirectUri;
    this.#result = result;
  }

  static async listen(callbackUrl: string | undefined, expectedState: string, timeoutMs: number): Promise<LoopbackCallback> {
    const wanted = new URL(callbackUrl ?? 'http://127.0.0.1:0/callback');
    let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
    const result = new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== wanted.pathname) {
        res.writeHead(404).end();
        return;
      }
      const error = url.searchParams.get('error');
      const state = url.searchParams.get('state');
      const code = url.searchParams.get('code');
      const fail = (status: number, message: string) => {
        res.writeHead(status, { 'content-type': 'text/plain;charset=UTF-8' }).end(`${message}\nYou can close this window.`);
        settle.reject(new Error(message));
      };
      if (error) return fail(400, `Sign-in failed: ${error} ${url.searchParams.get('error_description') ?? ''}`.trim());
      // The state ties this redirect to the request this process made; anything else may be a forged redirect.
      if (state !== expectedState) return fail(400, 'Sign-in refused: the state in the redirect does not match this sign-in.');
      if (!code) return fail(400, 'Sign-in failed: the redirect carried no authorization code.');
      res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8' }).end('Signed in to PingOne. You can close this window.');
      settle.resolve(code);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(wanted.port || 0), '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const timer = setTimeout(() => settle.reject(new Error(`No sign-in within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
    result.finally(() => clearTimeout(timer)).catch(() => undefined);
    return new LoopbackCallback(server, `http://127.0.0.1:${port}${wanted.pathname}`, result);
  }

  async code(): Promise<string> {
    try {
      return await this.#result;
    } finally {
      this.#server.close();
      this.#server.closeAllConnections();
    }
  }
}
