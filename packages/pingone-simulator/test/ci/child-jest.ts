import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');

export interface ChildRun {
  /** Exit code of scripts/run-jest.cjs; null when the safety kill had to stop it. */
  readonly status: number | null;
  readonly killedBySafetyNet: boolean;
  readonly output: string;
  /** jest's JSON report (--json), or undefined when jest wrote none. */
  readonly report: JestReport | undefined;
}

export interface JestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { name: string; status: string; message: string }[];
}

/**
 * Runs scripts/run-jest.cjs (the command `pnpm test` and CI use) in a child process with its own JSON report.
 * `safetyKillMs` only guarantees this test itself ends if the child hangs: it is not a timing assertion, the test
 * asserts `killedBySafetyNet` is false.
 */
export function runChildJest(args: string[], env: Record<string, string>, safetyKillMs: number): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), 'child-jest-'));
  const reportFile = join(dir, 'report.json');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/run-jest.cjs'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: '0', ...env, JEST_JSON_REPORT: reportFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so the safety kill reaches jest and its workers too
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    let killedBySafetyNet = false;
    const safety = setTimeout(() => {
      killedBySafetyNet = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, safetyKillMs);
    child.on('error', (error) => {
      clearTimeout(safety);
      rmSync(dir, { recursive: true, force: true });
      fail(error);
    });
    child.on('close', (status) => {
      clearTimeout(safety);
      let report: JestReport | undefined;
      try {
        report = JSON.parse(readFileSync(reportFile, 'utf8')) as JestReport;
      } catch {
        report = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
      done({ status, killedBySafetyNet, output, report });
    });
  });
}
