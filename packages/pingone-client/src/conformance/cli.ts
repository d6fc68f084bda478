#!/usr/bin/env node
import { resolve } from 'node:path';
import { hasPingOneEnv, pingOneOptionsFromEnv } from '../config/options-from-sources';
import { createPingOneClient } from '../pingone-client';
import { runConformance } from './run-conformance';

const USAGE =
  'Usage: pingone-conformance --har <file.har> [--writes]\nReads PINGONE_* credentials from the environment and runs a read-only suite against that tenant. ' +
  '--writes also checks write semantics in a scratch population it creates and deletes (the worker app then needs a role that writes: Identity Data Admin).';

/** The `pingone-conformance` command; returns the exit code (0 all passed, 1 a check failed, 2 usage or setup). */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const at = argv.indexOf('--har');
  const harPath = at >= 0 ? argv[at + 1] : undefined;
  if (!harPath) {
    out(USAGE);
    return 2;
  }
  if (!hasPingOneEnv(env)) {
    out(
      'No PINGONE_* credentials are set (PINGONE_ENVIRONMENT_ID, PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET, PINGONE_REGION_CODE): nothing to check against. See docs/client.md.',
    );
    return 2;
  }
  const unknown = argv.filter((a, i) => a.startsWith('--') && a !== '--har' && a !== '--writes' && argv[i - 1] !== '--har');
  if (unknown.length > 0) {
    out(`Unknown option ${unknown[0]}.\n${USAGE}`);
    return 2;
  }
  const client = createPingOneClient(pingOneOptionsFromEnv(env));
  let report;
  try {
    report = await runConformance(client, { writes: argv.includes('--writes') });
  } finally {
    client.close();
  }
  for (const c of report.checks) out(`${c.skipped ? 'skip' : c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  report.har.write(resolve(harPath));
  const failed = report.checks.filter((c) => !c.ok).length;
  const skipped = report.checks.filter((c) => c.skipped).length;
  out(
    `${report.checks.length - failed - skipped}/${report.checks.length} checks passed${skipped ? ` (${skipped} skipped)` : ''}; ${report.har.entries.length} exchanges recorded (redacted) in ${harPath}`,
  );
  out(
    `Replay it against the simulator: PINGONE_EXTRA_HAR=${resolve(harPath)} node scripts/run-jest.cjs packages/pingone-simulator/test/evidence/har-replay.test.ts (docs/simulator.md)`,
  );
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 2;
    },
  );
}
