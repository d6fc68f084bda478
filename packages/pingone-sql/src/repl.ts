import { createInterface } from 'node:readline';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { complete } from './completion';
import { splitStatements } from 'typeorm-pingone';
import type { Confirm, ShellOutput, SqlShell } from './sql-shell';

export interface ReplOptions {
  /** where statements are appended (mode 0600) and read back as readline history */
  readonly historyFile?: string;
  /** a person at a terminal: prompts, line editing, Tab completion, Ctrl-C, confirmation questions */
  readonly terminal: boolean;
  /** the terminal readline echoes to (default process.stdout) */
  readonly output?: NodeJS.WritableStream;
}

const PROMPT = 'pingone=> ';
const MORE = 'pingone-> ';
const WHOLE_LINE = /^\s*(\\|(exit|quit|help)\s*;?\s*$)/;

function loadHistory(file: string | undefined): string[] {
  return file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 1000) : [];
}

/**
 * The interactive loop, until `\q`, `exit` or end of input (Ctrl-D). Statements end with `;` and may span lines (a
 * continuation prompt shows one is open). At a terminal, Ctrl-C cancels the running statement (its PingOne requests
 * are aborted), answers "no" to a pending question, or clears the input. Returns how many statements failed.
 */
export async function runRepl(shell: SqlShell, out: ShellOutput, input: NodeJS.ReadableStream, options: ReplOptions): Promise<{ errors: number }> {
  const { terminal, historyFile } = options;
  let buffer = '';
  const rl = createInterface({
    input, terminal, history: loadHistory(historyFile), historySize: 1000, removeHistoryDuplicates: true,
    ...(terminal ? { output: options.output ?? process.stdout, completer: (line: string) => complete(line, buffer, shell.catalog) } : {}),
  });
  let asking: AbortController | undefined;
  const confirm: Confirm | undefined = terminal ? (question) => new Promise<boolean>((resolve) => {
    const controller = new AbortController();
    asking = controller;
    controller.signal.addEventListener('abort', () => resolve(false), { once: true });
    rl.question(question, { signal: controller.signal }, (answer) => resolve(/^\s*y(es)?\s*$/i.test(answer)));
  }).finally(() => { asking = undefined; }) : undefined;
  rl.on('SIGINT', () => {
    if (asking) return asking.abort();
    if (shell.running) return shell.cancel();
    // At the prompt: forget the unfinished statement and the typed line, as psql does.
    buffer = '';
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    out.write('\n');
    rl.setPrompt(PROMPT);
    rl.prompt();
  });
  if (terminal) out.write('Connected. Type SQL ending with ; (EXPLAIN SELECT … shows the plan), \\d for tables, \\? for help, \\q or Ctrl-D to quit.\n');
  rl.setPrompt(PROMPT);
  if (terminal) rl.prompt();
  let errors = 0;
  const runAll = async (statements: readonly string[]): Promise<boolean> => {
    for (const statement of statements) {
      if (historyFile) appendFileSync(historyFile, `${statement.replace(/\s*\n\s*/g, ' ')};\n`, { mode: 0o600 });
      const outcome = await shell.run(statement, confirm);
      if (outcome === 'quit') return false;
      if (outcome === 'error') errors++;
    }
    return true;
  };
  let going = true;
  for await (const line of rl) {
    let statements: string[];
    if (buffer.trim() === '' && WHOLE_LINE.test(line)) {
      statements = [line.trim()];
      buffer = '';
    } else {
      const split = splitStatements(`${buffer}${line}\n`);
      statements = split.statements;
      buffer = split.rest.trim() === '' ? '' : split.rest;
    }
    going = await runAll(statements);
    if (!going) break;
    rl.setPrompt(buffer ? MORE : PROMPT);
    if (terminal) rl.prompt();
  }
  // Piped input may end without a final `;`: run what is left.
  if (going && !terminal && buffer.trim() !== '') await runAll([buffer.trim()]);
  if (terminal && going) out.write('\n');
  rl.close();
  return { errors };
}
