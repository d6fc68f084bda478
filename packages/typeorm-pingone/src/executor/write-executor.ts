import { isPingOneId, type PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import { columnsToAttributes } from '../mapping/row-to-attributes';
import { resourceToRow, type Row } from '../mapping/row-codec';
import type { ResourceTableMapping, TableMapping } from '../mapping/table-mapping';
import { valueOf } from '../planner/pushdown';
import type { SelectNode, Statement } from '../sql/sql-ast';
import { ResourceWriter } from './resource-writer';
import type { TransactionJournal } from './transaction-journal';
import { directKeys, insertValues, targetSelect } from './write-targets';
import { afterPartialFailure, forEachRow } from './row-batch';
import { checkMembershipWrite, writeMemberships } from './membership-statements';
import { checkDirectoryWrite, writeDirectory } from './directory-writer';
import { isCoreResource } from '../mapping/attribute-catalog';

export type WriteStatement = Extract<Statement, { kind: 'insert' | 'update' | 'delete' }>;

export interface WriteResult {
  readonly records: Row[];
  readonly affected: number;
}

export interface WriteContext {
  readonly client: PingOneClient;
  readonly clientFor: (environment: string | undefined) => PingOneClient;
  readonly mappings: ReadonlyMap<string, TableMapping>;
  /** runs a SELECT tree through the read planner (to find the rows an UPDATE/DELETE with a general WHERE addresses) */
  readonly select: (select: SelectNode, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;
  readonly note: (request: string) => void;
  readonly journal?: TransactionJournal;
}

/** INSERT, UPDATE and DELETE on the mapped tables, as PingOne calls (users, groups, populations, memberships). */
export async function executeWrite(statement: WriteStatement, params: readonly unknown[], ctx: WriteContext): Promise<WriteResult> {
  const mapping = ctx.mappings.get(statement.table);
  if (!mapping)
    throw new PingOneDriverError(
      'UNSUPPORTED_STATEMENT',
      `Unknown table '${statement.table}'. Tables: ${[...ctx.mappings.keys()].join(', ')}.`,
    );
  const writer = new ResourceWriter(ctx.clientFor(mapping.environment), ctx.note, ctx.journal);
  const inTransaction = ctx.journal?.active === true;
  if (mapping.kind === 'membership') return writeMemberships(statement, params, mapping, writer, ctx, inTransaction);
  if (!isCoreResource(mapping.resource)) return writeDirectory(statement, params, mapping, ctx);
  switch (statement.kind) {
    case 'insert': {
      const created: Row[] = [];
      for (const row of statement.rows) {
        const values = insertValues(statement, row, params);
        // One after another: PingOne assigns the ids, and TypeORM matches created rows to entities by position.
        try {
          created.push(resourceToRow(mapping, await writer.create(mapping, columnsToAttributes(mapping, values, 'create'))));
        } catch (error) {
          if (created.length === 0) throw error;
          const ids = created.map((r) => String(r[mapping.idColumn])).join(', ');
          throw new PingOneDriverError(
            'PARTIALLY_APPLIED',
            `INSERT into '${statement.table}': row ${created.length + 1} of ${statement.rows.length} failed (${error instanceof Error ? error.message : String(error)}); rows 1-${created.length} were created (${ids}) and ${afterPartialFailure(inTransaction).replace(/^the others were applied and /, '')}.`,
            { cause: error },
          );
        }
      }
      return { records: created, affected: created.length };
    }
    case 'update': {
      const changes = columnsToAttributes(mapping, setValues(statement, params), 'update');
      const ids = await targetIds(statement, params, mapping, ctx);
      const affected = await forEachRow(
        ids,
        (id) => `${mapping.table} ${id}`,
        (id) => writer.update(mapping, id, changes),
        inTransaction,
      );
      return { records: [], affected };
    }
    case 'delete': {
      const ids = await targetIds(statement, params, mapping, ctx);
      const affected = await forEachRow(
        ids,
        (id) => `${mapping.table} ${id}`,
        (id) => writer.delete(mapping, id),
        inTransaction,
      );
      return { records: [], affected };
    }
  }
}

function setValues(statement: Extract<WriteStatement, { kind: 'update' }>, params: readonly unknown[]): Map<string, unknown> {
  return new Map(
    statement.set.map((s) => {
      const v = valueOf(s.value, params);
      if (!v.ok)
        throw new PingOneDriverError(
          'UNSUPPORTED_STATEMENT',
          `UPDATE of '${s.column}': only literal or parameter values can be sent to PingOne (no expressions such as column + 1).`,
        );
      return [s.column, v.value] as const;
    }),
  );
}

/**
 * What a write statement can be refused for before anything is sent (the table, an UPDATE of memberships, values
 * that are not literals or parameters, read-only or missing attributes): the same checks its run makes first, so
 * a caller (the shell) can refuse it before asking about it.
 */
export function checkWrite(statement: WriteStatement, params: readonly unknown[], mappings: ReadonlyMap<string, TableMapping>): void {
  const mapping = mappings.get(statement.table);
  if (!mapping)
    throw new PingOneDriverError(
      'UNSUPPORTED_STATEMENT',
      `Unknown table '${statement.table}'. Tables: ${[...mappings.keys()].join(', ')}.`,
    );
  if (mapping.kind === 'membership') return checkMembershipWrite(statement, params, mapping);
  if (!isCoreResource(mapping.resource)) return checkDirectoryWrite(statement, params, mapping);
  if (statement.kind === 'insert')
    for (const row of statement.rows) columnsToAttributes(mapping, insertValues(statement, row, params), 'create');
  if (statement.kind === 'update') columnsToAttributes(mapping, setValues(statement, params), 'update');
}

/** The ids an UPDATE/DELETE addresses: from the WHERE directly, or by running it as a SELECT through the planner. */
async function targetIds(
  statement: Extract<WriteStatement, { kind: 'update' | 'delete' }>,
  params: readonly unknown[],
  mapping: ResourceTableMapping,
  ctx: WriteContext,
): Promise<string[]> {
  const direct = directKeys(statement.where, mapping.idColumn, params);
  // A value that can't be a PingOne id names no row: 0 rows affected, nothing sent.
  if (direct) return [...new Set(direct)].filter(isPingOneId);
  const rows = await ctx.select(targetSelect(statement, [mapping.idColumn]), params);
  return [...new Set(rows.map((r) => String(r[mapping.idColumn])))];
}
