import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { collectionResponse } from '../hal';
import { parsePageRequest, servedPageSize, type Page } from '../paging';
import { populationOf } from '../store/environment';
import { renderMembership } from '../views';
import { parseScimFilter, compileScimFilter, UnsupportedScimFilterError, WEAK_FILTER_CELLS, type ScimExpression } from '../scim';
import { caseRule, filterError } from './list-filter';
import { membershipsOf } from '../store/dynamic-groups';
import { groupOr404 } from './groups';
import { idReference, objectBody } from './request-body';
import { userOr404 } from './users';
import { expansions } from './expand';

type MemberKind = 'users' | 'groups';

function member(ctx: HandlerContext, kind: MemberKind): { kind: MemberKind; id: string } {
  const id = kind === 'users' ? userOr404(ctx).id : groupOr404(ctx).id;
  return { kind, id };
}

/** Inside a membership list's filter: no page says what it takes, so only the membership's own fields (a guess). */
const MEMBERSHIP_FILTER_ATTRIBUTES = ['id', 'type'];

function checkMembershipFilter(node: ScimExpression): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      checkMembershipFilter(node.left);
      checkMembershipFilter(node.right);
      return;
    case 'compare':
      if (MEMBERSHIP_FILTER_ATTRIBUTES.includes(node.attribute) && node.operator === 'eq') return;
      throw new UnsupportedScimFilterError(node.attribute, node.operator, MEMBERSHIP_FILTER_ATTRIBUTES, ['eq']);
    case 'not':
      throw new UnsupportedScimFilterError('not', 'not', MEMBERSHIP_FILTER_ATTRIBUTES, ['eq']);
    case 'present':
      throw new UnsupportedScimFilterError(node.attribute, 'pr', MEMBERSHIP_FILTER_ATTRIBUTES, ['eq']);
    case 'valuePath':
      throw new UnsupportedScimFilterError(node.attribute, '[]', MEMBERSHIP_FILTER_ATTRIBUTES, ['eq']);
  }
}

/** The `filter=` of a membership list as a predicate over `{id, type}` (refused in strict mode: weakly sourced). */
function membershipFilter(ctx: HandlerContext): ((m: { id: string; type: string }) => boolean) | undefined {
  const text = ctx.request.query.get('filter');
  if (text === null) return undefined;
  try {
    const expression = parseScimFilter(text);
    const refused =
      ctx.refusedCells.has('memberships filter') || (ctx.settings.filters.strict && WEAK_FILTER_CELLS.has('memberships filter'));
    if (refused) throw new UnsupportedScimFilterError('filter', 'filter', [], []);
    checkMembershipFilter(expression);
    return compileScimFilter(expression, { memberOfGroups: () => [], foldsCase: () => false });
  } catch (error) {
    throw filterError(error);
  }
}

/**
 * `GET /users/{id}/memberOfGroups` (and the group-nesting twin): direct and indirect memberships, paged like every
 * PingOne collection (`limit`, cursor in `_links.next`, `count`, `size`), with `filter` and `expand=group`
 * (OpenAPI readAllGroupMembershipsForUser). Ordered by the groups' creation, so a cursor survives other writes.
 */
export function listMemberships(kind: MemberKind) {
  return (ctx: HandlerContext): ApiResponse => {
    const who = member(ctx, kind);
    const expand = expansions(ctx, ['group']);
    const request = parsePageRequest(ctx.request.query);
    const keep = membershipFilter(ctx) ?? (() => true);
    const groups = ctx.environment.groups;
    const matching = membershipsOf(ctx.environment, who.id, caseRule(ctx))
      .map((m) => ({ seq: groups.get(m.id)?.seq ?? 0, data: { id: m.id, type: m.type } }))
      .filter((m) => keep(m.data))
      .sort((a, b) => a.seq - b.seq);
    const size = servedPageSize(ctx.settings.paging, 'memberships', request, ctx.request.query.get('filter') ?? '');
    const after = matching.filter((m) => m.seq > request.afterSeq);
    const items = after.slice(0, size);
    const page: Page = { items, nextAfterSeq: after.length > size ? items[items.length - 1].seq : undefined, count: matching.length };
    return collectionResponse(ctx.request, ctx.view.apiUrl, 'groupMemberships', page, (data) =>
      renderMembership(ctx.view, who, String(data.id), data.type === 'INDIRECT' ? 'INDIRECT' : 'DIRECT', expand.has('group')),
    );
  };
}

export function readMembership(kind: MemberKind) {
  return (ctx: HandlerContext): ApiResponse => {
    const who = member(ctx, kind);
    const expand = expansions(ctx, ['group']);
    const groupId = ctx.request.params.parentId ?? '';
    const found = membershipsOf(ctx.environment, who.id, caseRule(ctx)).find((m) => m.id === groupId);
    if (!found) throw httpErrors.notFound();
    return { status: 200, body: renderMembership(ctx.view, who, groupId, found.type, expand.has('group')) };
  };
}

/**
 * `POST …/memberOfGroups {id}`. A population group only takes members of its own population; adding an existing
 * membership is a uniqueness violation. Nesting may form a cycle (PingOne's "Nested groups" shows one), but a group
 * can't be its own direct member (a guess, docs/simulator.md).
 */
export function addMembership(kind: MemberKind) {
  return (ctx: HandlerContext): ApiResponse => {
    const who = member(ctx, kind);
    const groupId = idReference({ group: objectBody(ctx.request.body, ctx.request.contentType) }, 'group');
    const group = ctx.environment.groups.get(groupId)?.data;
    if (!group) {
      throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'id', message: `Group '${groupId}' does not exist.` });
    }
    const memberData = (kind === 'users' ? ctx.environment.users : ctx.environment.groups).get(who.id)!.data;
    const groupPopulation = populationOf(group);
    if (groupPopulation !== undefined && populationOf(memberData) !== groupPopulation) {
      throw httpErrors.invalidData({
        code: 'CONSTRAINT_VIOLATION',
        target: 'id',
        message: `Group '${groupId}' belongs to another population; only members of population '${groupPopulation}' can join it.`,
      });
    }
    if (kind === 'groups' && who.id === groupId) {
      throw httpErrors.invalidData({
        code: 'CONSTRAINT_VIOLATION',
        target: 'id',
        message: 'A group cannot be a member of itself. Nest it in another group.',
      });
    }
    if (!ctx.environment.memberships.add(who.id, groupId)) {
      throw httpErrors.invalidData({ code: 'UNIQUENESS_VIOLATION', target: 'id', message: 'The member already belongs to this group.' });
    }
    return { status: 201, body: renderMembership(ctx.view, who, groupId, 'DIRECT') };
  };
}

export function removeMembership(kind: MemberKind) {
  return (ctx: HandlerContext): ApiResponse => {
    const who = member(ctx, kind);
    if (!ctx.environment.memberships.remove(who.id, ctx.request.params.parentId ?? '')) throw httpErrors.notFound();
    return { status: 204 };
  };
}
