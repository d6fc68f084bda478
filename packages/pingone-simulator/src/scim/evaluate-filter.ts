import { compileScimFilter } from './compile-filter';
import type { ScimExpression } from './scim-expression';

export interface MembershipView {
  readonly id: string;
  readonly type: 'DIRECT' | 'INDIRECT';
}

export interface FilterContext {
  memberOfGroups(resourceId: string): readonly MembershipView[];
  /**
   * Whether string comparisons on this attribute ignore case. Default: every attribute does (the simulator's
   * `caseMode: 'insensitive'`); `caseMode: 'sensitive'` keeps that only for the documented ones (username, email).
   */
  foldsCase?(attribute: string): boolean;
  /**
   * A member's direct groups: the ids `memberOfGroups` lists as DIRECT. Optional; when given, the compiled filter
   * (compile-filter.ts) reads them instead of every membership for a `memberOfGroups[… type eq "DIRECT"]` term.
   */
  directGroups?(memberId: string): readonly string[];
  /** A group's direct members (the inverse of `directGroups`), to list a group's members without a full scan. */
  directMembers?(groupId: string): readonly string[];
}

/**
 * Whether one resource matches a parsed filter. The filter is compiled (compile-filter.ts, the one reading of
 * PingOne's filter rules in the simulator) and applied once: a list compiles once and applies it to every record.
 */
export function matchesScimFilter(expr: ScimExpression, resource: Readonly<Record<string, unknown>>, context: FilterContext): boolean {
  return compileScimFilter(expr, context)(resource);
}
