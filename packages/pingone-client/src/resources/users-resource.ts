import type { RequestOptions } from '../http/api-requester';
import type { PagedList } from '../paging/paged-list';
import { scim } from '../filter/scim-filter';
import { PingOneApiError } from '../errors';
import type { GroupMembership, User, UserInput } from '../types/resources';
import { expandQuery, pagedList, segment, type ExpandableListParams, type ResourceContext } from './resource-context';

const IMPORT_TYPE = 'application/vnd.pingidentity.user.import+json';
const PASSWORD_SET_TYPE = 'application/vnd.pingidentity.password.set+json';
/**
 * PingOne's operations on a user's account and password that have no attribute to PATCH: each is a POST told apart
 * by its content type (developer.pingidentity.com, "User Accounts" and "User Passwords"). The bodiless ones are
 * spelled without `+json`, as PingOne documents them.
 */
const CONTENT_TYPES = Object.freeze({
  lock: 'application/vnd.pingidentity.account.lock+json',
  unlock: 'application/vnd.pingidentity.account.unlock+json',
  check: 'application/vnd.pingidentity.password.check+json',
  recover: 'application/vnd.pingidentity.password.recover+json',
  reset: 'application/vnd.pingidentity.password.reset+json',
  forceChange: 'application/vnd.pingidentity.password.forceChange',
  sendRecoveryCode: 'application/vnd.pingidentity.password.sendRecoveryCode',
  passwordUnlock: 'application/vnd.pingidentity.password.unlock',
});

export interface PasswordInput {
  readonly value: string;
  readonly forceChange?: boolean;
}

/** What PingOne says about a user's password (`GET /users/{id}/password`, and the answers of password operations). */
export interface PasswordState {
  /** `OK`, `MUST_CHANGE_PASSWORD`, `PASSWORD_EXPIRED`, `NO_PASSWORD`, `PASSWORD_LOCKED_OUT`, … */
  readonly status?: string;
  readonly lastChangedAt?: string;
  readonly failuresRemaining?: number;
  readonly [attribute: string]: unknown;
}

/** The answer of `checkPassword`: whether PingOne matched it, and PingOne's reason when it did not. */
export interface PasswordCheck {
  readonly matches: boolean;
  /** the password status on a match; PingOne's error message otherwise */
  readonly status: string | undefined;
}

/** `/environments/{id}/users` and the user sub-resources (enabled, population, password, memberOfGroups). */
export class UsersResource {
  constructor(private readonly ctx: ResourceContext) {}

  /** `expand: ['population']` embeds each user's population document (`_embedded.population`). */
  list(params: ExpandableListParams<'population'> = {}, options?: RequestOptions): PagedList<User> {
    return pagedList<User>(this.ctx, '/users', 'users', params, options);
  }

  async get(
    id: string,
    params: { include?: readonly ('memberOfGroupIDs' | 'memberOfGroupNames')[]; expand?: readonly 'population'[] } = {},
    options?: RequestOptions,
  ): Promise<User> {
    const include = params.include?.length ? params.include.join(',') : undefined;
    return (
      await this.ctx.requester.request(
        { method: 'GET', url: `/users/${segment(id)}`, query: { include, expand: expandQuery(params.expand) } },
        options,
      )
    ).body as User;
  }

  /** Plain create (`application/json`); PingOne can't take a password this way: use `import`. */
  async create(input: UserInput, options?: RequestOptions): Promise<User> {
    return (await this.ctx.requester.request({ method: 'POST', url: '/users', body: input }, options)).body as User;
  }

  /** Create with the import content type: may set a password, `lifecycle.status`, `emailVerified`, `mfaEnabled`. */
  async import(input: UserInput & { password?: PasswordInput }, options?: RequestOptions): Promise<User> {
    return (await this.ctx.requester.request({ method: 'POST', url: '/users', body: input, contentType: IMPORT_TYPE }, options))
      .body as User;
  }

  /** PUT: attributes the input omits are cleared. */
  async replace(id: string, input: UserInput, options?: RequestOptions): Promise<User> {
    return (await this.ctx.requester.request({ method: 'PUT', url: `/users/${segment(id)}`, body: input }, options)).body as User;
  }

  /** PATCH: only the attributes given change; `null` clears one. */
  async patch(id: string, changes: Partial<UserInput>, options?: RequestOptions): Promise<User> {
    return (await this.ctx.requester.request({ method: 'PATCH', url: `/users/${segment(id)}`, body: changes }, options)).body as User;
  }

  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'DELETE', url: `/users/${segment(id)}` }, options);
  }

  async setEnabled(id: string, enabled: boolean, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'PUT', url: `/users/${segment(id)}/enabled`, body: { enabled } }, options);
  }

  async setPopulation(id: string, populationId: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'PUT', url: `/users/${segment(id)}/population`, body: { id: populationId } }, options);
  }

  async setPassword(id: string, password: PasswordInput, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request(
      {
        method: 'PUT',
        url: `/users/${segment(id)}/password`,
        body: { value: password.value, forceChange: password.forceChange ?? false },
        contentType: PASSWORD_SET_TYPE,
      },
      options,
    );
  }

  /** `PUT /users/{id}/mfaEnabled`: PingOne ignores `mfaEnabled` in a PUT or PATCH of the user. */
  async setMfaEnabled(id: string, mfaEnabled: boolean, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'PUT', url: `/users/${segment(id)}/mfaEnabled`, body: { mfaEnabled } }, options);
  }

  /**
   * Locks the account (`POST /users/{id}`, account.lock content type); `unlockAt` unlocks it by itself then. PingOne
   * answers with the user: read `account.status` to see whether it locked (its documentation says a lock without a
   * future `unlockAt` may leave the account unlocked).
   */
  async lock(id: string, params: { unlockAt?: string } = {}, options?: RequestOptions): Promise<User> {
    const body = params.unlockAt === undefined ? undefined : { unlockAt: params.unlockAt };
    return (
      await this.ctx.requester.request(
        { method: 'POST', url: `/users/${segment(id)}`, contentType: CONTENT_TYPES.lock, ...(body ? { body } : {}) },
        options,
      )
    ).body as User;
  }

  /** Unlocks the account (`POST /users/{id}`, account.unlock content type, no body); answers with the user. */
  async unlock(id: string, options?: RequestOptions): Promise<User> {
    return (await this.ctx.requester.request({ method: 'POST', url: `/users/${segment(id)}`, contentType: CONTENT_TYPES.unlock }, options))
      .body as User;
  }

  /** `GET /users/{id}/password`: the password's state (never the password itself: PingOne never returns it). */
  async passwordState(id: string, options?: RequestOptions): Promise<PasswordState> {
    return (await this.ctx.requester.request({ method: 'GET', url: `/users/${segment(id)}/password` }, options)).body as PasswordState;
  }

  /**
   * Checks a password against the user's (password.check). PingOne answers 200 when it matches (status OK,
   * MUST_CHANGE_PASSWORD or PASSWORD_EXPIRED) and 400 when it does not or can't (NO_PASSWORD, PASSWORD_LOCKED_OUT);
   * a 400 is `matches: false` with PingOne's message, any other error is thrown. Failed checks count towards lockout.
   */
  async checkPassword(id: string, password: string, options?: RequestOptions): Promise<PasswordCheck> {
    try {
      const answer = (await this.#passwordAction(id, CONTENT_TYPES.check, { password }, options)) as PasswordState | undefined;
      return { matches: true, status: answer?.status };
    } catch (error) {
      if (error instanceof PingOneApiError && error.status === 400) return { matches: false, status: error.apiMessage };
      throw error;
    }
  }

  /** The user must choose a new password at the next sign-on (password.forceChange, no body); the password stays. */
  async forcePasswordChange(id: string, options?: RequestOptions): Promise<PasswordState> {
    return (await this.#passwordAction(id, CONTENT_TYPES.forceChange, undefined, options)) as PasswordState;
  }

  /** Sends the user a recovery code (password.sendRecoveryCode, no body), for `recoverPassword`. */
  async sendPasswordRecoveryCode(id: string, options?: RequestOptions): Promise<void> {
    await this.#passwordAction(id, CONTENT_TYPES.sendRecoveryCode, undefined, options);
  }

  /** Sets a new password with the recovery code the user received (password.recover). */
  async recoverPassword(
    id: string,
    input: { recoveryCode: string; newPassword: string },
    options?: RequestOptions,
  ): Promise<PasswordState> {
    const body = { recoveryCode: input.recoveryCode, newPassword: input.newPassword };
    return (await this.#passwordAction(id, CONTENT_TYPES.recover, body, options)) as PasswordState;
  }

  /** Changes a password knowing the current one (password.reset, the user's own change). */
  async resetPassword(
    id: string,
    input: { currentPassword: string; newPassword: string },
    options?: RequestOptions,
  ): Promise<PasswordState> {
    const body = { currentPassword: input.currentPassword, newPassword: input.newPassword };
    return (await this.#passwordAction(id, CONTENT_TYPES.reset, body, options)) as PasswordState;
  }

  /** Unlocks a password locked by failed attempts (password.unlock, no body). */
  async unlockPassword(id: string, options?: RequestOptions): Promise<void> {
    await this.#passwordAction(id, CONTENT_TYPES.passwordUnlock, undefined, options);
  }

  /** PingOne's password operations share one URL; the content type names the operation (and the body its input). */
  async #passwordAction(id: string, contentType: string, body: unknown, options?: RequestOptions): Promise<unknown> {
    const url = `/users/${segment(id)}/password`;
    return (await this.ctx.requester.request({ method: 'POST', url, contentType, ...(body !== undefined ? { body } : {}) }, options)).body;
  }

  /**
   * The groups a user belongs to, directly and through nested groups (`type`), page by page (`limit`, following
   * `_links.next`); `expand: ['group']` embeds each group document (`_embedded.group`).
   */
  listGroupMemberships(id: string, params: ExpandableListParams<'group'> = {}, options?: RequestOptions): PagedList<GroupMembership> {
    return pagedList<GroupMembership>(this.ctx, `/users/${segment(id)}/memberOfGroups`, 'groupMemberships', params, options);
  }

  /** One membership (direct or through nesting); `expand: ['group']` embeds the group. */
  async getGroupMembership(
    id: string,
    groupId: string,
    params: { expand?: readonly 'group'[] } = {},
    options?: RequestOptions,
  ): Promise<GroupMembership> {
    const url = `/users/${segment(id)}/memberOfGroups/${segment(groupId, 'group id')}`;
    return (await this.ctx.requester.request({ method: 'GET', url, query: { expand: expandQuery(params.expand) } }, options))
      .body as GroupMembership;
  }

  async addToGroup(id: string, groupId: string, options?: RequestOptions): Promise<GroupMembership> {
    return (
      await this.ctx.requester.request({ method: 'POST', url: `/users/${segment(id)}/memberOfGroups`, body: { id: groupId } }, options)
    ).body as GroupMembership;
  }

  async removeFromGroup(id: string, groupId: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request(
      { method: 'DELETE', url: `/users/${segment(id)}/memberOfGroups/${segment(groupId, 'group id')}` },
      options,
    );
  }

  /** Users of a group: PingOne has no /groups/{id}/members, so this is `memberOfGroups[id eq "…"]` on /users. */
  listGroupMembers(groupId: string, params: { direct?: boolean; limit?: number } = {}, options?: RequestOptions): PagedList<User> {
    const inner = params.direct ? scim.and(scim.eq('id', groupId), scim.eq('type', 'DIRECT')) : scim.eq('id', groupId);
    return this.list({ filter: scim.valuePath('memberOfGroups', inner), ...(params.limit ? { limit: params.limit } : {}) }, options);
  }
}
