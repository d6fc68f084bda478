#!/usr/bin/env node
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { hasPingOneEnv, pingOneOptionsFromEnv, type PingOneClientOptions } from '@typeorm-pingone/client';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { parseCustomAttributes, type CustomAttributeColumn } from './custom-attributes';
import { SqlShell, type Confirm } from './sql-shell';
import { recoverCommand } from './recover-command';

interface CliOptions {
  url?: string;
  simulator?: boolean;
  users: string;
  customAttributes: string;
  json?: boolean;
  yes?: boolean;
  command?: string;
  recover?: string | boolean;
  journalDir?: string;
  journalRedis?: string;
}

/** A yes/no question on the terminal, for a one-shot UPDATE/DELETE; undefined when stdin or stdout is no terminal. */
function terminalConfirm(): Confirm | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  return (question) =>
    new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      rl.on('SIGINT', () => {
        rl.close();
        process.stdout.write('\n');
        resolve(false);
      });
      rl.question(question, (answer) => {
        rl.close();
        resolve(/^\s*y(es)?\s*$/i.test(answer));
      });
    });
}

/** `pingone-sql`: argument parsing (the only module that imports commander). */
async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('pingone-sql')
    .description('Run SQL against PingOne through the TypeORM driver: one statement, or an interactive session.')
    .argument('[sql...]', 'a statement to run once (quote it); omit for an interactive session')
    .option('-c, --command <sql>', 'a statement to run once (as psql -c)')
    .option('--url <url>', 'a pingone://?… connection URL (default: PINGONE_* environment variables)')
    .option('--simulator', 'use an embedded PingOne simulator with demo data (default when no PINGONE_* variable is set)')
    .option('--users <n>', 'demo users for --simulator', '200')
    .option(
      '--custom-attributes <names>',
      'custom user attributes to add to users as columns, comma-separated, each name[:string|number|boolean|datetime|json|array]',
      '',
    )
    .option('-y, --yes', 'run UPDATE and DELETE without asking (needed for them in scripts and piped input)')
    .option('--json', 'print rows as JSON instead of a table')
    .option(
      '--recover [action]',
      "transactions a crashed process left in PingOne: list them, or 'rollback' (undo with their before-images) or 'keep' (acknowledge)",
    )
    .option(
      '--journal-dir <dir>',
      "where --recover finds the transaction journals (default: the driver's, $TYPEORM_PINGONE_JOURNAL_DIR or the temp dir)",
    )
    .option(
      '--journal-redis <url>',
      "find the transaction journals in this Redis instead (redis://host:6379); the app's journal encryptionKey in $PINGONE_JOURNAL_ENCRYPTION_KEY",
    )
    .showHelpAfterError();
  program.parse(argv);
  const opts = program.opts<CliOptions>();
  if (opts.recover !== undefined) return recover(opts);
  const customAttributes: CustomAttributeColumn[] = parseCustomAttributes(opts.customAttributes);
  let simulator: RunningSimulator | undefined;
  let pingone: PingOneClientOptions | string;
  if (opts.url) pingone = opts.url;
  else if (!opts.simulator && hasPingOneEnv()) pingone = pingOneOptionsFromEnv();
  else {
    const users = Number(opts.users);
    if (!Number.isInteger(users) || users < 0) throw new Error(`--users must be a whole number; got '${opts.users}'.`);
    simulator = await startSimulator({ seed: 'demo', users });
    pingone = {
      environmentId: simulator.environmentId,
      apiUrl: simulator.apiUrl,
      authUrl: simulator.authUrl,
      clientId: simulator.credentials.clientId,
      clientSecret: simulator.credentials.clientSecret,
    };
  }
  const out = { write: (text: string) => process.stdout.write(text) };
  // Without --custom-attributes the shell reads the environment's user schema: every custom attribute is a column.
  const shell = await SqlShell.open(pingone, out, {
    json: opts.json ?? false,
    yes: opts.yes ?? false,
    simulator: simulator !== undefined,
    ...(customAttributes.length > 0 ? { customAttributes } : {}),
  });
  try {
    const sql = (opts.command ?? program.args.join(' ')).trim();
    if (sql) {
      // Ctrl-C of a one-shot statement cancels it (its PingOne requests are aborted) and exits 1.
      process.on('SIGINT', () => (shell.running ? shell.cancel() : process.exit(130)));
      return (await shell.run(sql, terminalConfirm())) === 'error' ? 1 : 0;
    }
    const terminal = process.stdin.isTTY === true;
    const { errors } = await shell.repl(process.stdin, join(homedir(), '.pingone_sql_history'), { terminal });
    // Piped input fails as a whole when any statement failed, so scripts notice.
    return !terminal && errors > 0 ? 1 : 0;
  } finally {
    await shell.close();
    await simulator?.close();
  }
}

/** `--recover`: needs a real PingOne (a URL or PINGONE_* variables); the embedded simulator has no crashed transactions. */
async function recover(opts: CliOptions): Promise<number> {
  const action = opts.recover === true ? 'list' : opts.recover;
  if (action !== 'list' && action !== 'rollback' && action !== 'keep')
    throw new Error(`--recover takes 'rollback' or 'keep' (or nothing, to list); got '${String(action)}'.`);
  if (!opts.url && !hasPingOneEnv())
    throw new Error('--recover works on your PingOne environment: give --url pingone://?… or set the PINGONE_* variables.');
  if (opts.journalDir && opts.journalRedis) throw new Error('give --journal-dir or --journal-redis, not both.');
  const pingone = opts.url ?? pingOneOptionsFromEnv();
  const journal = opts.journalRedis
    ? { store: { redis: opts.journalRedis, encryptionKey: journalKey() } }
    : opts.journalDir
      ? { dir: opts.journalDir }
      : undefined;
  return recoverCommand(pingone, action, journal, { write: (text: string) => process.stdout.write(text) });
}

/** The journal's encryptionKey: from the environment, never a flag (a command line is visible to every local user). */
function journalKey(): string {
  const key = process.env.PINGONE_JOURNAL_ENCRYPTION_KEY;
  if (key === undefined || key.trim() === '') {
    throw new Error(
      "--journal-redis needs the app's transactionJournal encryptionKey (its records are sealed with it) in PINGONE_JOURNAL_ENCRYPTION_KEY; it is not taken as a flag, which other local users could read.",
    );
  }
  return key;
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`pingone-sql: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
