/*
 * One app instance of bench/several-instances.ts, run as a real child process: a client on the shared Redis limit says
 * 'ready' once it has its token, then sends requests, 8 at a time, from `startAt` until `stopAt` (wall-clock ms, the
 * same for every instance, sent by the parent); a request still waiting for the limiter at `stopAt` is abandoned.
 */
import { createPingOneClient, PingOneApiError, type PingOneClientOptions } from '@typeorm-pingone/client';

interface Window {
  readonly startAt: number;
  readonly stopAt: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.LIMITED_WORKER_OPTIONS ?? '{}') as PingOneClientOptions;
  const client = createPingOneClient(options);
  await client.request({ method: 'GET', url: '/users', query: { limit: 1 } }); // token and connection before the clock starts
  const job = await new Promise<Window>((resolve) => { process.once('message', (m) => resolve(m as Window)); process.send?.('ready'); });
  await new Promise((r) => setTimeout(r, Math.max(0, job.startAt - Date.now())));
  const stop = AbortSignal.timeout(Math.max(1, job.stopAt - Date.now()));
  let sent = 0;
  let failed = 0;
  let limited = 0;
  const worker = async () => {
    while (!stop.aborted) {
      try {
        await client.request({ method: 'GET', url: '/users', query: { limit: 1 } }, { signal: stop });
        sent++;
      } catch (error) {
        if (stop.aborted) break;
        failed++;
        if (error instanceof PingOneApiError && error.status === 429) limited++;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  client.close();
  process.send?.({ sent, failed, limited });
}

main().catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
