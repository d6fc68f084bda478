/**
 * Answers that are not PingOne's (issue 26): a 700 MB body, streamed as fast as the socket takes it, read with
 * maxResponseBytes at 1 MiB, the default (64 MiB) and the maximum (256 MiB); a 700 MB content-length; a server that
 * mints a fresh cursor on every page. For each: the error code, the time to it, what the server managed to send,
 * and this process's peak RSS above its RSS before (sampled every 5 ms). One run; prints figures, asserts nothing.
 *   node --expose-gc -r ts-node/register bench/hostile-responses.ts
 */
import { createPingOneClient, PingOneError, type PingOneClient } from '@typeorm-pingone/client';
import { ENVIRONMENT, freshUsers, startHostileServer, type HostileServer } from '../packages/pingone-client/test/helpers/hostile-server';

const MB = 1024 * 1024;

async function measure(label: string, server: HostileServer, client: PingOneClient): Promise<void> {
  await new Promise((r) => setTimeout(r, 200)); // the previous case's socket is gone
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  server.streamed.bytes = 0;
  server.requests.length = 0;
  const started = performance.now();
  const outcome = await client.users
    .list()
    .toArray()
    .then(
      () => 'rows (no error!)',
      (e: unknown) => (e instanceof PingOneError ? e.code : `untyped ${String(e)}`),
    );
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const sent = server.streamed.bytes > 0 ? `, server sent ${(server.streamed.bytes / MB).toFixed(0)} MB` : '';
  console.log(
    `${label.padEnd(52)} ${outcome.padEnd(20)} ${ms.toFixed(0).padStart(6)} ms, ${server.requests.length} request(s)${sent}, peak RSS +${((peak - before) / MB).toFixed(0)} MB`,
  );
}

async function main(): Promise<void> {
  const server = await startHostileServer();
  const clients: PingOneClient[] = [];
  const client = (maxResponseBytes?: number) => {
    const made = createPingOneClient({
      environmentId: ENVIRONMENT,
      apiUrl: server.apiUrl,
      accessToken: 'bench-token-0123456789abcdef',
      rateLimit: false,
      retry: { maxAttempts: 1 },
      timeoutMs: 120_000,
      ...(maxResponseBytes ? { maxResponseBytes } : {}),
    });
    clients.push(made);
    return made;
  };
  try {
    console.log(`node ${process.version}; RSS at start ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);
    server.routes.set('/users', { kind: 'stream', bytes: 700 * MB, chunk: MB, everyMs: 0, declare: false });
    await measure('700 MB body, maxResponseBytes 1 MiB', server, client(MB));
    await measure('700 MB body, maxResponseBytes default (64 MiB)', server, client());
    await measure('700 MB body, maxResponseBytes 256 MiB (the maximum)', server, client(256 * MB));
    server.routes.set('/users', { kind: 'declare', length: 700 * MB });
    await measure('content-length 700 MB, default limit', server, client());
    const same = freshUsers(200);
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => same, more: () => true });
    await measure('fresh cursor on every page, same 200 users', server, client());
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => freshUsers(200), more: () => true, count: 1000 });
    await measure('fresh cursor and fresh ids, count 1000', server, client());
  } finally {
    for (const c of clients) c.close();
    await server.close();
  }
}

void main();
