#!/usr/bin/env node
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { hasPingOneEnv, pingOneOptionsFromEnv, type PingOneClientOptions } from '@typeorm-pingone/client';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { SqlShell } from './sql-shell';

/** `pingone-sql`: argument parsing (the only module that imports commander). */
async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('pingone-sql')
    .description('Run SQL against PingOne through the TypeORM driver: one statement, or an interactive session.')
    .argument('[sql...]', 'a statement to run once (quote it); omit for an interactive session')
    .option('--url <url>', 'a pingone://?… connection URL (default: PINGONE_* environment variables)')
    .option('--simulator', 'use an embedded PingOne simulator with demo data (default when no PINGONE_* variable is set)')
    .option('--users <n>', 'demo users for --simulator', '200')
    .option('--custom-attributes <names>', 'custom user attributes to map, comma-separated', '')
    .option('--json', 'print rows as JSON instead of a table')
    .showHelpAfterError();
  program.parse(argv);
  const opts = program.opts<{ url?: string; simulator?: boolean; users: string; customAttributes: string; json?: boolean }>();
  let simulator: RunningSimulator | undefined;
  let pingone: PingOneClientOptions | string;
  if (opts.url) pingone = opts.url;
  else if (!opts.simulator && hasPingOneEnv()) pingone = pingOneOptionsFromEnv();
  else {
    const users = Number(opts.users);
    if (!Number.isInteger(users) || users < 0) throw new Error(`--users must be a whole number; got '${opts.users}'.`);
    simulator = await startSimulator({ seed: 'demo', users });
    pingone = { environmentId: simulator.environmentId, apiUrl: simulator.apiUrl, authUrl: simulator.authUrl, clientId: simulator.credentials.clientId, clientSecret: simulator.credentials.clientSecret };
  }
  const out = { write: (text: string) => process.stdout.write(text) };
  const customUserAttributes = opts.customAttributes.split(',').map((s) => s.trim()).filter(Boolean);
  const shell = await SqlShell.open(pingone, out, { json: opts.json ?? false, customUserAttributes: simulator ? ['costCenter', 'locales', ...customUserAttributes] : customUserAttributes });
  try {
    const sql = (program.args as string[]).join(' ').trim();
    if (sql) {
      return (await shell.run(sql)) === 'error' ? 1 : 0;
    } else {
      if (simulator) out.write(`Using an embedded PingOne simulator with demo data (${simulator.apiUrl}).\n`);
      await shell.repl(process.stdin, join(homedir(), '.pingone_sql_history'));
    }
  } finally {
    await shell.close();
    await simulator?.close();
  }
  return 0;
}

main(process.argv).then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`pingone-sql: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
