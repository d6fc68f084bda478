import { PingOneDriverError } from '../errors';
import type { Statement } from '../sql/sql-ast';

/**
 * UPDATE or DELETE without WHERE touches every resource of the environment (repository.clear() is a DELETE
 * without WHERE): refused unless the DataSource option allowUnfilteredWrites is set.
 */
export function refuseUnfilteredWrite(statement: Statement, allowed: boolean): void {
  if (allowed || (statement.kind !== 'update' && statement.kind !== 'delete') || statement.where !== undefined) return;
  const what = statement.kind === 'delete' ? `DELETE FROM ${statement.table} (or repository.clear())` : `UPDATE ${statement.table}`;
  throw new PingOneDriverError('UNFILTERED_WRITE',
    `${what} without WHERE would change every ${statement.table.replace(/^.*~/, '')} resource of the PingOne environment; nothing was sent. ` +
    'Add a WHERE (e.g. repository.delete({ type: "Contractor" })), or set the DataSource option allowUnfilteredWrites: true if you really mean all of them.');
}

const ON_CONFLICT = /\bON\s+CONFLICT\b/i;

/**
 * TypeORM's upsert() emits `INSERT … ON CONFLICT (…) DO UPDATE SET …`, which alasql can't parse. Until upsert on
 * PingOne's unique keys is implemented, it is refused before parsing with what to do instead.
 */
export function refuseUpsert(sql: string): void {
  if (!ON_CONFLICT.test(sql)) return;
  throw new PingOneDriverError('UNSUPPORTED_STATEMENT',
    'INSERT … ON CONFLICT (repository.upsert()) is not supported by this driver yet; nothing was sent. ' +
    'Read by the unique key first (users: username; groups and populations: name), then save() the found entity or insert a new one.');
}
