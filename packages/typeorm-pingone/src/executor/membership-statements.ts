import { isPingOneId } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import type { MembershipTableMapping } from '../mapping/table-mapping';
import { valueOf } from '../planner/pushdown';
import type { Expr } from '../sql/sql-ast';
import { describeMembership } from './membership-endpoints';
import type { ResourceWriter } from './resource-writer';
import { forEachRow } from './row-batch';
import type { WriteContext, WriteResult, WriteStatement } from './write-executor';
import { directPairs, targetSelect } from './write-targets';

const refuse = (message: string) => new PingOneDriverError('UNSUPPORTED_STATEMENT', `${message}; nothing was sent.`);

/** What a write on a membership table is refused for before any request (the same checks its run makes first). */
export function checkMembershipWrite(statement: WriteStatement, params: readonly unknown[], mapping: MembershipTableMapping): void {
  if (statement.kind === 'update') throw refuse(`UPDATE of '${mapping.table}': a membership can't change; remove it and add another`);
  if (mapping.scope === 'effective' && mapping.typeColumn === undefined) {
    throw refuse(
      `'${mapping.table}' holds every membership PingOne computes, through group nesting and dynamic groups' filters, and is read-only. ` +
        "Add or remove a direct membership in the users ↔ groups junction (User.groups, 'group_memberships'), nest groups in 'group_nesting', or change the group's userFilter",
    );
  }
  if (statement.kind === 'insert' && mapping.typeColumn !== undefined) {
    const index = statement.columns.indexOf(mapping.typeColumn);
    for (const row of statement.rows) {
      const type = index < 0 ? { ok: true as const, value: null } : valueOf(row[index], params);
      if (!type.ok || (type.value !== null && type.value !== 'DIRECT')) {
        throw refuse(
          `INSERT into '${mapping.table}': only a DIRECT membership can be added (type 'DIRECT' or none); INDIRECT ones come from group nesting and dynamic groups`,
        );
      }
    }
  }
}

/**
 * INSERT and DELETE of memberships: a user into a group, a group nested into a parent group (group_nesting), or a
 * DIRECT row of the typed table. A DELETE naming INDIRECT rows of the typed table is refused before any request.
 */
export async function writeMemberships(
  statement: WriteStatement,
  params: readonly unknown[],
  mapping: MembershipTableMapping,
  writer: ResourceWriter,
  ctx: WriteContext,
  inTransaction: boolean,
): Promise<WriteResult> {
  checkMembershipWrite(statement, params, mapping);
  const label = ([m, g]: [string, string]) => describeMembership(mapping.member, m, g);
  if (statement.kind === 'insert') {
    const memberIndex = statement.columns.indexOf(mapping.memberColumn);
    const groupIndex = statement.columns.indexOf(mapping.groupColumn);
    const text = (index: number, row: readonly Expr[]) => {
      const v = index < 0 ? { ok: false as const } : valueOf(row[index], params);
      return v.ok ? String(v.value) : '';
    };
    const pairs = statement.rows.map((row) => [text(memberIndex, row), text(groupIndex, row)] as [string, string]);
    const affected = await forEachRow(pairs, label, ([m, g]) => writer.addMembership(mapping.member, m, g), inTransaction);
    return { records: [], affected: Math.max(affected, pairs.length) };
  }
  const typed = mapping.typeColumn;
  let pairs = typed
    ? undefined
    : directPairs(statement.where, mapping.memberColumn, mapping.groupColumn, params)?.filter(([m, g]) => isPingOneId(m) && isPingOneId(g));
  if (!pairs) {
    const rows = await ctx.select(targetSelect(statement, [mapping.memberColumn, mapping.groupColumn, ...(typed ? [typed] : [])]), params);
    const indirect = typed ? rows.filter((r) => r[typed] === 'INDIRECT') : [];
    if (indirect.length > 0) {
      throw refuse(
        `DELETE from '${mapping.table}': ${indirect.length} of the ${rows.length} rows it names are INDIRECT memberships (${label([String(indirect[0][mapping.memberColumn]), String(indirect[0][mapping.groupColumn])])}${indirect.length > 1 ? ', …' : ''}), ` +
          "which come from group nesting or a dynamic group's filter: remove the nesting in 'group_nesting' or change the group's userFilter, and add `AND type = 'DIRECT'` to delete the direct ones",
      );
    }
    pairs = rows.map((r) => [String(r[mapping.memberColumn]), String(r[mapping.groupColumn])]);
  }
  const affected = await forEachRow(pairs, label, ([m, g]) => writer.removeMembership(mapping.member, m, g), inTransaction);
  return { records: [], affected };
}
