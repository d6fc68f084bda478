import type { PingOneClientOptions } from '@typeorm-pingone/client';
import {
  Group,
  PingOneDataSource,
  Population,
  User,
  type InterruptedTransaction,
  type PingOneTransactionJournalOptions,
} from 'typeorm-pingone';
import type { ShellOutput } from './sql-shell';

export type RecoverAction = 'list' | 'rollback' | 'keep';

function describe(t: InterruptedTransaction): string {
  const state =
    t.state === 'committing'
      ? 'ended during its COMMIT'
      : t.state === 'abandoned'
        ? 'its ROLLBACK could not undo everything'
        : 'ended inside the transaction';
  return `transaction ${t.id} (process ${t.pid} on ${t.host}, started ${t.startedAt}; ${state})\n  journal: ${t.location}\n  ${t.changes.join('\n  ') || '(no change)'}\n`;
}

/**
 * `pingone-sql --recover [rollback|keep]`: the transactions a crashed process left (their journals), listed, undone
 * with their before-images (a COMMIT that had begun is completed), or acknowledged. The DataSource is not initialized
 * (no entity check, no schema read): recovery needs only the client and the journals. Exit code 1 when something is
 * left to do or failed, so scripts and health checks notice.
 */
export async function recoverCommand(
  pingone: PingOneClientOptions | string,
  action: RecoverAction,
  journal: PingOneTransactionJournalOptions | undefined,
  out: ShellOutput,
): Promise<number> {
  const ds = new PingOneDataSource({
    entities: [User, Group, Population],
    pingone,
    logging: false,
    ...(journal !== undefined ? { transactionJournal: journal } : {}),
  });
  try {
    if (action === 'list') {
      const found = await ds.interruptedTransactions();
      if (found.length === 0) {
        out.write('No interrupted transaction: nothing to recover.\n');
        return 0;
      }
      out.write(`${found.length} interrupted transaction(s) left changes in PingOne:\n${found.map(describe).join('')}`);
      out.write(
        'Undo them with pingone-sql --recover rollback (a COMMIT that had begun is completed), or acknowledge them with --recover keep.\n',
      );
      return 1;
    }
    const results = await ds.recoverTransactions({ action });
    if (results.length === 0) out.write('No interrupted transaction: nothing to recover.\n');
    for (const r of results) out.write(`transaction ${r.id} (process ${r.pid} on ${r.host}): ${r.outcome}\n  ${r.report.join('\n  ')}\n`);
    const failed = results.filter((r) => r.outcome === 'failed').length;
    if (failed > 0)
      out.write(
        `${failed} transaction(s) could not be fully recovered; their journals stay. Run the same command again once PingOne answers.\n`,
      );
    return failed > 0 ? 1 : 0;
  } finally {
    await ds.destroy();
  }
}
