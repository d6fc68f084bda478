import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunningSimulator } from '@typeorm-pingone/simulator';

/*
 * What the consumer tests share: projects outside this repository, made and run the way users make and run them
 * (npm from the registry, the packed tarballs), with none of this repository's jest, pnpm or npm settings.
 */
export const root = resolve(__dirname, '../../../..');

interface Run {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command without blocking this process (a simulator in this process answers the child's requests). */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

/** One step; a failure says which, the command, its exit code and the end of its output. */
export async function step(what: string, command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0)
    throw new Error(`${what} (${command} ${args.join(' ')}) failed with exit code ${result.code}:\n${result.output.slice(-6000)}`);
  return result.output;
}

/** The environment of a user's shell: this repository's jest, pnpm, npm and PINGONE_* settings left out. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|NODE_OPTIONS$|NODE_PATH$|JEST_|INIT_CWD$|PINGONE_)/i.test(key)),
  );
  return { ...env, CI: 'true', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...extra };
}

/** The PINGONE_* variables pingOneOptionsFromEnv() reads, for a simulator (as `pnpm simulator` prints them). */
export function simulatorEnv(sim: RunningSimulator): Record<string, string> {
  return {
    PINGONE_ENVIRONMENT_ID: sim.environmentId,
    PINGONE_API_URL: sim.apiUrl,
    PINGONE_AUTH_URL: sim.authUrl,
    PINGONE_CLIENT_ID: sim.credentials.clientId,
    PINGONE_CLIENT_SECRET: sim.credentials.clientSecret,
  };
}

/** `pnpm pack` of each named package (its prepack builds it) into `into`: package folder name → tarball path. */
export async function packTarballs(names: readonly string[], into: string): Promise<Record<string, string>> {
  mkdirSync(into, { recursive: true });
  const tarballs: Record<string, string> = {};
  for (const name of names) {
    const printed = await step(
      `pnpm pack of packages/${name}`,
      'pnpm',
      ['pack', '--pack-destination', into],
      join(root, 'packages', name),
      cleanEnv(),
    );
    tarballs[name] = printed.trim().split('\n').at(-1)!.trim();
  }
  return tarballs;
}
