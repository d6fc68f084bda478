import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who wrote a journal, and whether that process still runs. A pid alone can be reused after a crash, so on Linux
 * the pid's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot) is recorded too: the same pid with
 * another start time is another process. Elsewhere a signal 0 tells whether the pid exists.
 */
export interface ProcessIdentity {
  readonly host: string;
  readonly pid: number;
  readonly pidStart?: string;
}

/** The start time of a running pid (undefined when there is none, or it is a zombie: killed, not yet reaped). */
function startTimeOf(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

export function currentProcess(): ProcessIdentity {
  const pidStart = startTimeOf('self');
  return { host: hostname(), pid: process.pid, ...(pidStart !== undefined ? { pidStart } : {}) };
}

/**
 * 'dead' when the writer ran on this host and is gone (or its pid now names another process); 'alive' when it
 * runs; 'unknown' for another host (the journal's lease decides there, see the Redis store).
 */
export function processState(writer: ProcessIdentity): 'alive' | 'dead' | 'unknown' {
  if (writer.host !== hostname()) return 'unknown';
  if (writer.pid === process.pid) return writer.pidStart === undefined || writer.pidStart === startTimeOf('self') ? 'alive' : 'dead';
  if (writer.pidStart !== undefined) {
    const now = startTimeOf(writer.pid);
    if (now !== undefined) return now === writer.pidStart ? 'alive' : 'dead';
    if (process.platform === 'linux') return 'dead';
  }
  try {
    process.kill(writer.pid, 0);
    return 'alive';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'alive' : 'dead';
  }
}
