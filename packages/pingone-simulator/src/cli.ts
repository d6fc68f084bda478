#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimulator, type SimulatorOptions } from './start-simulator';
import type { SeedData } from './seed/seed-data';

const USAGE = `Usage: pingone-simulator [--port 4010] [--host 127.0.0.1] [--seed demo|empty|<file.json>] [--users 1000]
                         [--token-lifetime 3600] [--latency 0] [--short-pages | --random-pages <seed>]
                         [--users-page-size 200] [--always-count] [--case-sensitive] [--strict]

Starts a local, in-memory PingOne Platform API (management API + token endpoint) for development and tests.
--case-sensitive: filters compare strings exactly except username and email (PingOne's rule elsewhere is undocumented).
--strict: refuse every weakly sourced filter cell (docs/simulator.md lists them).`;

function fail(message: string): never {
  process.stderr.write(`pingone-simulator: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) fail(`--${name} must be a non-negative integer; got '${value}'.`);
  return Number(value);
}

function seedOption(value: string | undefined): SimulatorOptions['seed'] {
  if (value === undefined || value === 'demo' || value === 'empty') return value ?? 'demo';
  try {
    return JSON.parse(readFileSync(value, 'utf8')) as SeedData;
  } catch (error) {
    return fail(`cannot read seed file '${value}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        users: { type: 'string' },
        'token-lifetime': { type: 'string' },
        latency: { type: 'string' },
        'short-pages': { type: 'boolean' },
        'random-pages': { type: 'string' },
        'users-page-size': { type: 'string' },
        'always-count': { type: 'boolean' },
        'case-sensitive': { type: 'boolean' },
        strict: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = process.hrtime.bigint();
  const options: Record<string, unknown> = {
    host: values.host ?? '127.0.0.1',
    port: integer('port', values.port) ?? 4010,
    seed: seedOption(values.seed),
    users: integer('users', values.users) ?? 100,
    tokenLifetimeSeconds: integer('token-lifetime', values['token-lifetime']),
    latencyMs: integer('latency', values.latency),
    shortPages: values['random-pages'] !== undefined ? 'random' : (values['short-pages'] ?? false),
    pageSeed: values['random-pages'],
    maxPageSize: values['users-page-size'] !== undefined ? { users: integer('users-page-size', values['users-page-size']) } : undefined,
    omitCountAbove: values['always-count'] ? false : undefined,
    caseMode: values['case-sensitive'] ? 'sensitive' : undefined,
    strict: values.strict ? true : undefined,
  };
  const sim = await startSimulator(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const env = sim.store.environment(sim.environmentId)!;
  const { clientId, clientSecret } = sim.credentials;
  process.stdout.write(`PingOne simulator listening on ${sim.url} (started in ${ms.toFixed(0)} ms)
  environment      ${sim.environmentId} (${env.users.size} users, ${env.groups.size} groups, ${env.populations.size} populations)
  management API   ${sim.apiUrl}/environments/${sim.environmentId}
  token endpoint   ${sim.authUrl}/${sim.environmentId}/as/token
  client id        ${clientId}
  client secret    ${clientSecret}   (a local demo credential, new on every start)

Try:
  TOKEN=$(curl -s -u '${clientId}:${clientSecret}' -d grant_type=client_credentials ${sim.authUrl}/${sim.environmentId}/as/token | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  curl -s -H "Authorization: Bearer $TOKEN" '${sim.apiUrl}/environments/${sim.environmentId}/users?limit=2&filter=type%20eq%20%22Contractor%22'

Connect the driver or client with:
  PINGONE_API_URL=${sim.apiUrl} PINGONE_AUTH_URL=${sim.authUrl} PINGONE_ENVIRONMENT_ID=${sim.environmentId} PINGONE_CLIENT_ID=${clientId} PINGONE_CLIENT_SECRET=<the secret above>
Press Ctrl+C to stop.
`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const hint = /EADDRINUSE/.test(message) ? ' (the port is taken: choose another with --port, or --port 0 for any free port)' : '';
  process.stderr.write(`pingone-simulator: could not start: ${message}${hint}\n`);
  process.exit(1);
});
