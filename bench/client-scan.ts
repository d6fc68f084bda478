/**
 * A 10,000-user scan (limit=1000, served in pages of 200) with the client against the same requests made by a plain got loop (no auth cache, retries,
 * limiter or paging helpers), on the simulator over loopback. Prints requests made and the time ratio of one run.
 *   node -r ts-node/register bench/client-scan.ts
 */
import got from 'got';
import { startSimulator } from '@typeorm-pingone/simulator';
import { createPingOneClient } from '@typeorm-pingone/client';

const USERS = 10_000;
const LIMIT = 1000;
/** PingOne (and the simulator) serve at most 200 users a page whatever `limit` asks. */
const PAGE = 200;

async function main(): Promise<void> {
  const sim = await startSimulator({ seed: 'demo', users: USERS });
  const newClient = () =>
    createPingOneClient({
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: false,
    });
  let client = newClient();
  const time = async (fn: () => Promise<number>) => {
    const started = process.hrtime.bigint();
    const n = await fn();
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, n };
  };
  const viaClient = async () => {
    let n = 0;
    for await (const _user of client.users.list({ limit: LIMIT })) n++;
    return n;
  };
  let requests = 0;
  const viaGot = async () => {
    const basic = Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString('base64');
    const { access_token } = await got
      .post(`${sim.authUrl}/${sim.environmentId}/as/token`, {
        headers: { authorization: `Basic ${basic}` },
        form: { grant_type: 'client_credentials' },
      })
      .json<{ access_token: string }>();
    let n = 0;
    requests = 0;
    let next: string | undefined = `${sim.apiUrl}/environments/${sim.environmentId}/users?limit=${LIMIT}`;
    while (next) {
      const page: { _embedded: { users: unknown[] }; _links: { next?: { href: string } } } = await got(next, {
        headers: { authorization: `Bearer ${access_token}` },
      }).json();
      requests++;
      n += page._embedded.users.length;
      next = page._links.next?.href;
    }
    return n;
  };
  await viaClient(); // warm-up both paths (JIT, connections)
  await viaGot();
  sim.requests.clear();
  client = newClient(); // a fresh client, so its token call is part of the measured scan
  const c = await time(viaClient);
  const calls = sim.requests.all();
  const g = await time(viaGot);
  console.log(
    `client: ${c.n} users, ${calls.filter((r) => r.kind === 'token').length} token call(s) + ${calls.filter((r) => r.kind === 'api').length} list calls (expected ${Math.ceil(USERS / PAGE)}), ${c.ms.toFixed(0)} ms`,
  );
  console.log(`plain got loop: ${g.n} users, 1 token call + ${requests} list calls, ${g.ms.toFixed(0)} ms`);
  console.log(`client / plain got time ratio: ${(c.ms / g.ms).toFixed(2)}`);
  await sim.close();
}

void main();
