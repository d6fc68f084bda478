export type MembershipType = 'DIRECT' | 'INDIRECT';

/**
 * Who is a member of which group. Users and groups can both be members of groups (group nesting); a member of a
 * child group is an INDIRECT member of every ancestor group (PingOne's GroupMembership `type`). Nesting may form
 * cycles, as PingOne allows ("Nested groups": group A in C in B in A, and all of them inherit): memberships are
 * computed over the cycle, each group once.
 */
export class MembershipGraph {
  readonly #parents = new Map<string, Set<string>>(); // member id (user or group) → direct parent group ids
  readonly #members = new Map<string, Set<string>>(); // group id → direct member ids (users and groups)

  add(memberId: string, groupId: string): boolean {
    const parents = this.#parents.get(memberId) ?? new Set<string>();
    if (parents.has(groupId)) return false;
    parents.add(groupId);
    this.#parents.set(memberId, parents);
    const members = this.#members.get(groupId) ?? new Set<string>();
    members.add(memberId);
    this.#members.set(groupId, members);
    return true;
  }

  remove(memberId: string, groupId: string): boolean {
    const removed = this.#parents.get(memberId)?.delete(groupId) ?? false;
    this.#members.get(groupId)?.delete(memberId);
    return removed;
  }

  has(memberId: string, groupId: string): boolean {
    return this.#parents.get(memberId)?.has(groupId) ?? false;
  }

  directGroups(memberId: string): readonly string[] {
    return [...(this.#parents.get(memberId) ?? [])];
  }

  directMembers(groupId: string): readonly string[] {
    return [...(this.#members.get(groupId) ?? [])];
  }

  /**
   * Every group the member belongs to, directly or through nesting, with the membership type. In a cycle a group
   * reaches itself; it is not listed as its own member (a guess: PingOne's page doesn't say, docs/simulator.md).
   * `indirectSeeds`: groups the member is in by a dynamic group's filter (store/dynamic-groups.ts).
   */
  groupsOf(memberId: string, indirectSeeds: Iterable<string> = []): { id: string; type: MembershipType }[] {
    const result = new Map<string, MembershipType>();
    for (const id of this.#parents.get(memberId) ?? []) result.set(id, 'DIRECT');
    // Groups the member is in without a direct membership (a dynamic group's filter selects it): INDIRECT, and
    // their ancestors through nesting too.
    for (const id of indirectSeeds) if (!result.has(id)) result.set(id, 'INDIRECT');
    const queue = [...result.keys()];
    for (let i = 0; i < queue.length; i++) {
      for (const parent of this.#parents.get(queue[i]) ?? []) {
        if (!result.has(parent) && parent !== memberId) {
          result.set(parent, 'INDIRECT');
          queue.push(parent);
        }
      }
    }
    return [...result].map(([id, type]) => ({ id, type }));
  }

  removeMember(memberId: string): void {
    for (const groupId of this.#parents.get(memberId) ?? []) this.#members.get(groupId)?.delete(memberId);
    this.#parents.delete(memberId);
  }

  removeGroup(groupId: string): void {
    this.removeMember(groupId);
    for (const memberId of this.#members.get(groupId) ?? []) this.#parents.get(memberId)?.delete(groupId);
    this.#members.delete(groupId);
  }
}
