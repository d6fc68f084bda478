import type { SelectNode } from '../sql/sql-ast';
import { subqueriesIn } from './alias-constraints';

/** One table, no join, no sub-query anywhere: the statement's rows are that table's rows. */
export function isSingleTable(select: SelectNode): boolean {
  return (
    select.from.length === 1 &&
    select.from[0].k === 'table' &&
    select.joins.length === 0 &&
    select.nested.length === 0 &&
    subqueriesIn(select.where).length === 0
  );
}

/** A single-table statement whose rows come out as they go in: no grouping, ordering, DISTINCT or aggregate. */
export function isRowByRow(select: SelectNode): boolean {
  return isSingleTable(select) && !select.hasGroupBy && !select.hasOrderBy && !select.hasDistinct && !select.hasAggregate;
}
