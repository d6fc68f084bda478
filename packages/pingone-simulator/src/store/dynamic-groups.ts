import { matchesScimFilter, parseScimFilter, ScimFilterError, validateScimFilter, type MembershipView, type ScimExpression } from '../scim';
import type { Environment } from './environment';
import { populationOf } from './environment';
import type { Json } from './attributes';

/** Parsed `userFilter`s by text: every membership read evaluates them, the parse happens once. */
const parsed = new Map<string, ScimExpression | undefined>();
const MAX_CACHED = 1000;

function expressionOf(text: string): ScimExpression | undefined {
  if (parsed.has(text)) return parsed.get(text);
  let expression: ScimExpression | undefined;
  try {
    expression = parseScimFilter(text);
  } catch {
    expression = undefined; // stored before validation existed (a seed): selects nobody
  }
  if (parsed.size >= MAX_CACHED) parsed.clear();
  parsed.set(text, expression);
  return expression;
}

/**
 * A group's `userFilter` checked as PingOne checks a user search ("the filter supports all the operators and
 * properties that are supported when searching user data", Group Membership page). `memberOfGroups[…]` inside a
 * userFilter is refused: membership computed from membership has no documented meaning (a guess, docs/simulator.md).
 * Throws ScimFilterError.
 */
export function validateUserFilter(environment: Environment, text: string): void {
  const expression = parseScimFilter(text);
  if (containsValuePath(expression)) throw new ScimFilterError('A group userFilter cannot refer to group memberships (memberOfGroups).');
  validateScimFilter(expression, 'users', {
    customAttributes: [...environment.customAttributes],
    containsCustomAttributes: [...environment.containsCustomAttributes],
  });
}

function containsValuePath(node: ScimExpression): boolean {
  switch (node.kind) {
    case 'valuePath':
      return true;
    case 'and':
    case 'or':
      return containsValuePath(node.left) || containsValuePath(node.right);
    case 'not':
      return containsValuePath(node.expression);
    default:
      return false;
  }
}

/**
 * The dynamic groups whose `userFilter` selects a user ("Members added in this way are included in the
 * totalUserCounts property, but not the directUserCounts property"; a population group only holds its population's
 * users). String comparisons fold case as the simulator's filters do (`foldsCase`).
 */
export function dynamicGroupsOf(environment: Environment, user: Json, foldsCase: (attribute: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const record of environment.groups.values()) {
    const text = record.data.userFilter;
    if (typeof text !== 'string' || text === '') continue;
    const population = populationOf(record.data);
    if (population !== undefined && populationOf(user) !== population) continue;
    const expression = expressionOf(text);
    if (expression && matchesScimFilter(expression, user, { memberOfGroups: () => [], foldsCase })) out.push(String(record.data.id));
  }
  return out;
}

/**
 * Every group a user or group belongs to, with PingOne's membership type: DIRECT for the memberships added, INDIRECT
 * through nesting and through dynamic groups (whose members are not direct: a guess for the type, docs/simulator.md).
 */
export function membershipsOf(environment: Environment, memberId: string, foldsCase?: (attribute: string) => boolean): MembershipView[] {
  const user = environment.users.get(memberId)?.data;
  return environment.memberships.groupsOf(memberId, user ? dynamicGroupsOf(environment, user, foldsCase) : []);
}

/** Every user in a group, directly, through nesting or by a dynamic group's filter (totalMemberCounts.users). */
export function countEffectiveUsers(environment: Environment, groupId: string, foldsCase?: (attribute: string) => boolean): number {
  let count = 0;
  for (const record of environment.users.values()) {
    if (membershipsOf(environment, String(record.data.id), foldsCase).some((m) => m.id === groupId)) count++;
  }
  return count;
}
