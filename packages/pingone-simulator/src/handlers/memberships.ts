import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { listResponse } from '../hal';
import { populationOf } from '../store/environment';
import { renderMembership } from '../views';
import { groupOr404 } from './groups';
import { idReference, objectBody } from './request-body';
import { userOr404 } from './users';

type MemberKind = 'users' | 'groups';

function member(ctx: HandlerContext, kind: MemberKind): { kind: MemberKind; id: string } {
  const id = kind === 'users' ? userOr404(ctx).id : groupOr404(ctx).id;
  return { kind, id };
}

/** `GET /users/{id}/memberOfGroups` (and the group-nesting twin): direct and indirect memberships. */
export function listMemberships(kind: MemberKind) {
  return (ctx: HandlerContext): ApiResponse => {
    const who = member(ctx, kind);
    const items = ctx.environment.memberships.groupsOf(who.id).map((m) => renderMembership(ctx.view, who, m.id, m.type));
    return listResponse(ctx.request, ctx.view.apiUrl, 'groupMemberships', items);
  };
}

export function readMembership(kind: MemberKind) {
  return (ctx: HandlerContext): ApiResponse => {
    const who = member(ctx, kind);
    const groupId = ctx.request.params.parentId ?? '';
    const found = ctx.environment.memberships.groupsOf(who.id).find((m) => m.id === groupId);
    if (!found) throw httpErrors.notFound();
    return { status: 200, body: renderMembership(ctx.view, who, groupId, found.type) };
  };
}

/**
 * `POST …/memberOfGroups {id}`. A population group only takes members of its own population; nesting must not
 * form a cycle; adding an existing membership is a uniqueness violation.
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
        code: 'CONSTRAINT_VIOLATION', target: 'id',
        message: `Group '${groupId}' belongs to another population; only members of population '${groupPopulation}' can join it.`,
      });
    }
    if (kind === 'groups' && ctx.environment.memberships.wouldCycle(who.id, groupId)) {
      throw httpErrors.invalidData({ code: 'CONSTRAINT_VIOLATION', target: 'id', message: 'Nesting these groups would create a cycle.' });
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
