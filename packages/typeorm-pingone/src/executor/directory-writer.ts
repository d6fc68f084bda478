import { DIRECTORY_ENDPOINTS, isPingOneId, PingOneOutcomeUnknownError, type DirectoryResource } from '@typeorm-pingone/client';
import { PingOneDriverError, PingOneWriteOutcomeUnknownError } from '../errors';
import { RESOURCE_TABLES } from '../mapping/attribute-catalog';
import { parentOf } from '../mapping/parent-key';
import { resourceToRow, type Row } from '../mapping/row-codec';
import { columnsToAttributes } from '../mapping/row-to-attributes';
import type { ResourceTableMapping } from '../mapping/table-mapping';
import { deleteIfPresent } from './compensation';
import { messageOf } from './lost-answer';
import { forEachRow } from './row-batch';
import type { WriteContext, WriteResult, WriteStatement } from './write-executor';
import { directPairs, insertValues, targetSelect } from './write-targets';

const refuse = (message: string) => new PingOneDriverError('UNSUPPORTED_STATEMENT', `${message}; nothing was sent.`);

/**
 * What a write on a directory table is refused for before any request: PingOne creates only role assignments (of a
 * user, group or application) and deletes only those, sessions and linked accounts; nothing of them is updated.
 */
export function checkDirectoryWrite(statement: WriteStatement, params: readonly unknown[], mapping: ResourceTableMapping): void {
  const endpoint = DIRECTORY_ENDPOINTS[mapping.resource as DirectoryResource];
  const writable = [...Object.entries(DIRECTORY_ENDPOINTS)]
    .filter(([, e]) => e.create || e.remove)
    .map(([r]) => RESOURCE_TABLES[r as DirectoryResource]);
  if (statement.kind === 'update') {
    throw refuse(
      `UPDATE of '${mapping.table}': PingOne has no update of ${mapping.table}${endpoint.remove ? '; delete the row' : ''}${endpoint.create ? ' and insert another' : ''}`,
    );
  }
  if (statement.kind === 'insert' && !endpoint.create)
    throw refuse(`INSERT into '${mapping.table}': PingOne creates none through this API (tables written: ${writable.join(', ')})`);
  if (statement.kind === 'delete' && !endpoint.remove)
    throw refuse(`DELETE from '${mapping.table}': PingOne deletes none through this API (tables written: ${writable.join(', ')})`);
  if (statement.kind === 'insert')
    for (const row of statement.rows) columnsToAttributes(mapping, insertValues(statement, row, params), 'create');
}

/**
 * INSERT of role assignments (`POST /users/{id}/roleAssignments {role, scope}`), DELETE of them and of sessions
 * (revoke) and linked accounts. Rows are named by their parent and id: TypeORM's remove() writes both (the entities'
 * key), a WHERE naming them directly needs no read, any other WHERE runs through the planner (parents required). In a
 * transaction a create is journaled once PingOne answered it (ROLLBACK deletes it), a delete waits for COMMIT.
 */
export async function writeDirectory(
  statement: WriteStatement,
  params: readonly unknown[],
  mapping: ResourceTableMapping,
  ctx: WriteContext,
): Promise<WriteResult> {
  checkDirectoryWrite(statement, params, mapping);
  const resource = mapping.resource as DirectoryResource;
  const parent = parentOf(mapping)!;
  const client = ctx.clientFor(mapping.environment);
  const journal = ctx.journal;
  const inTransaction = journal?.active === true;
  if (statement.kind === 'insert') {
    const created: Row[] = [];
    for (const row of statement.rows) {
      const changes = columnsToAttributes(mapping, insertValues(statement, row, params), 'create');
      const parentId = String(changes.flat.get(parent.key.attribute));
      const body = { ...changes.body };
      delete body[parent.key.attribute.split('.')[0]];
      const path = `${DIRECTORY_ENDPOINTS[resource].sources[0].path.replace('{parent}', parentId)}`;
      ctx.note(`POST ${path}`);
      let item;
      try {
        item = await client.directory.create(resource, body, parentId);
      } catch (error) {
        if (!(error instanceof PingOneOutcomeUnknownError)) throw error;
        throw new PingOneWriteOutcomeUnknownError(
          `INSERT into '${mapping.table}': the outcome is unknown: POST ${path} was sent but its answer was lost (${messageOf(error)}), so PingOne may or may not have made it. ` +
            `Look it up (GET ${path}: the same role and scope) before inserting again${inTransaction ? "; this transaction's ROLLBACK can't prove it made it and leaves it alone" : ''}.`,
          { cause: error, tried: `GET ${path}`, error },
        );
      }
      if (inTransaction)
        await journal.answered(
          await journal.intend({ kind: 'child-create', environmentId: client.environmentId, resource, parentId, id: item.id }),
        );
      created.push(resourceToRow(mapping, item));
    }
    return { records: created, affected: created.length };
  }
  let pairs = directPairs(statement.where, parent.column.column, mapping.idColumn, params)?.filter(
    ([p, id]) => isPingOneId(p) && isPingOneId(id),
  );
  if (!pairs) {
    const rows = await ctx.select(targetSelect(statement, [parent.column.column, mapping.idColumn]), params);
    pairs = rows.map((r) => [String(r[parent.column.column]), String(r[mapping.idColumn])]);
  }
  const label = ([p, id]: [string, string]) => `${mapping.table} ${id} of ${p}`;
  const affected = await forEachRow(
    pairs,
    label,
    async ([parentId, id]) => {
      if (inTransaction) {
        await journal.intend({ kind: 'child-delete', environmentId: client.environmentId, resource, parentId, id });
        return true;
      }
      ctx.note(`DELETE ${DIRECTORY_ENDPOINTS[resource].one!.path.replace('{parent}', parentId).replace('{id}', id)}`);
      return deleteIfPresent(() => client.directory.delete(resource, id, parentId));
    },
    inTransaction,
  );
  return { records: [], affected };
}
