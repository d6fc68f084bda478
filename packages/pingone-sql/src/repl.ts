import { createInterface, type Interface } from 'node:readline';
import { complete } from './completion';
import { splitStatements } from 'typeorm-pingone';
import { appendHistory, loadHistory, remember, storedEntry } from './history';
import type { Confirm, ShellOutput, SqlShell } from './sql-shell';

export interface ReplOptions {
  /**
   * where statements typed at a terminal are appended (mode 0600) and read back as readline history: as typed, line
   * breaks kept, string literals of a statement touching a password replaced by `?`. Piped input is never kept.
   */
  readonly historyFile?: string;
  /** a person at a terminal: prompts, line editing, Tab completion, Ctrl-C, confirmation questions */
  readonly terminal: boolean;
  /** the terminal readline echoes to (default process.stdout) */
  readonly output?: NodeJS.WritableStream;
}

const PROMPT = 'pingone=> ';
const MORE = 'pingone-> ';
const WHOLE_LINE = /^\s*(\\|(exit|quit|help)\s*;?\s*$)/;

/**
 * The interactive loop, until `\q`, `exit` or end of input (Ctrl-D). Statements end with `;` and may span lines (a
 * continuation prompt shows one is open). At a terminal, Ctrl-C cancels the running statement (its PingOne requests
 * are aborted), answers "no" to a pending question, or clears the input. Returns how many statements failed.
 */
export async function runRepl(
  shell: SqlShell,
  out: ShellOutput,
  input: NodeJS.ReadableStream,
  options: ReplOptions,
): Promise<{ errors: number }> {
  const { terminal, historyFile } = options;
  let buffer = '';
  // readline adds each typed line on its own (historySize 0 turns that off); whole entries are added below instead,
  // so a statement typed over several lines is recalled as one entry with its line breaks.
  const history = terminal ? loadHistory(historyFile) : [];
  const rl: Interface = createInterface({
    input,
    terminal,
    history,
    historySize: 0,
    ...(terminal
      ? {
          output: options.output ?? process.stdout,
          completer: (line: string): [string[], string] => complete(line, buffer, shell.catalog, rl.line.slice(rl.cursor)),
        }
      : {}),
  });
  let asking: AbortController | undefined;
  const confirm: Confirm | undefined = terminal
    ? (question) =>
        new Promise<boolean>((resolve) => {
          const controller = new AbortController();
          asking = controller;
          controller.signal.addEventListener('abort', () => resolve(false), { once: true });
          rl.question(question, { signal: controller.signal }, (answer) => resolve(/^\s*y(es)?\s*$/i.test(answer)));
        }).finally(() => {
          asking = undefined;
        })
    : undefined;
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
  if (terminal) out.write(`${shell.banner}\n`);
  rl.setPrompt(PROMPT);
  if (terminal) rl.prompt();
  let errors = 0;
  const keep = (entry: string) => {
    if (!terminal) return; // piped input (a script, a file of statements with their passwords) is never kept
    remember(history, storedEntry(entry));
    if (historyFile) appendHistory(historyFile, entry);
  };
  const runAll = async (statements: readonly string[], meta = false): Promise<boolean> => {
    for (const statement of statements) {
      keep(meta ? statement : `${statement};`);
      const outcome = await shell.run(statement, confirm);
      if (outcome === 'quit') return false;
      if (outcome === 'error') errors++;
    }
    return true;
  };
  let going = true;
  for await (const line of rl) {
    let statements: string[];
    const meta = buffer.trim() === '' && WHOLE_LINE.test(line);
    if (meta) {
      statements = [line.trim()];
      buffer = '';
    } else {
      const split = splitStatements(`${buffer}${line}\n`);
      statements = split.statements;
      buffer = split.rest.trim() === '' ? '' : split.rest;
    }
    going = await runAll(statements, meta);
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
