import { PingOneDriverError } from '../errors';
import type { Statement } from '../sql/sql-ast';

/**
 * UPDATE or DELETE without WHERE touches every resource of the environment (repository.clear() is a DELETE
 * without WHERE): refused unless the DataSource option allowUnfilteredWrites is set.
 */
export function refuseUnfilteredWrite(statement: Statement, allowed: boolean): void {
  if (allowed || (statement.kind !== 'update' && statement.kind !== 'delete') || statement.where !== undefined) return;
  const what = statement.kind === 'delete' ? `DELETE FROM ${statement.table} (or repository.clear())` : `UPDATE ${statement.table}`;
  throw new PingOneDriverError(
    'UNFILTERED_WRITE',
    `${what} without WHERE would change every ${statement.table.replace(/^.*~/, '')} resource of the PingOne environment; nothing was sent. ` +
      'Add a WHERE (e.g. repository.delete({ type: "Contractor" })), or set the DataSource option allowUnfilteredWrites: true if you really mean all of them.',
  );
}
