import { randomBytes } from 'node:crypto';
import type { ApiCall } from '../http/api-requester';
import { checkCaseRules } from './case-rules';
import { embedded, type Body, type ConformanceContext, type Exchange } from './conformance-context';
import { NO_SUCH_ID } from './read-checks';

const codes = (e: Exchange) => ((e.body.details as { code?: string }[] | undefined) ?? []).map((d) => d.code).join(', ');

/**
 * `--writes`: PingOne's write semantics, checked in a scratch population this run creates (users, groups and
 * populations named `pingone-conformance-<random>`), all deleted again at the end, failure or not. PUT clears what it
 * omits, PATCH keeps it; read-only attributes in a body; the enabled and population endpoints; the status of a
 * uniqueness violation (400 or 409); nested groups forming a cycle and the memberships they give; case rules on values
 * this run wrote. Every exchange is recorded (`writes: …`), in order: the replay suite plays them back as one session.
 */
export async function checkWrites(ctx: ConformanceContext): Promise<void> {
  const tag = `pingone-conformance-${randomBytes(4).toString('hex')}`;
  const created: { users: string[]; groups: string[]; populations: string[] } = { users: [], groups: [], populations: [] };
  const send = (call: ApiCall, what: string) => ctx.send(call, `writes: ${what}`);
  const create = async (kind: keyof typeof created, body: Body, what: string): Promise<Body | undefined> => {
    const r = await send({ method: 'POST', url: `/${kind}`, body }, what);
    if (r.status === 201 && typeof r.body.id === 'string') {
      created[kind].push(r.body.id);
      return r.body;
    }
    ctx.check(`writes: ${what}`, false, `${r.status} ${String(r.body.code)} [${codes(r)}]`);
    return undefined;
  };
  try {
    const home = await create(
      'populations',
      { name: `${tag}-a`, description: 'Created by pingone-conformance --writes; deleted at the end of the run.' },
      'create scratch population',
    );
    const other = await create('populations', { name: `${tag}-b` }, 'create second scratch population');
    if (!home || !other) return;
    const profile = {
      username: `${tag}-Ada`,
      email: `${tag}@example.com`,
      population: { id: home.id },
      name: {
        given: 'Ada Conformance',
        family: 'Lovelace Check',
        middle: 'Byron Middle',
        formatted: 'Ada B. Lovelace',
        honorificPrefix: 'Dr',
        honorificSuffix: 'Jr',
      },
      nickname: 'Countess Nick',
      title: 'Chief Tester',
      type: 'Conformance Type',
      accountId: 'Acct-Conf',
      externalId: 'Ext-Conf',
      locale: 'en-US',
      timezone: 'Europe/Paris',
      address: {
        streetAddress: 'Main Street 1',
        locality: 'Springfield',
        region: 'Ile de France',
        postalCode: 'AB1 2CD',
        countryCode: 'FR',
      },
    };
    const user = await create('users', profile, 'create user');
    if (!user) return;
    const path = `/users/${user.id as string}`;
    await checkCaseRules(ctx, { users: [user] }, 'scratch');

    // PUT replaces: what it omits is cleared. PATCH changes only what it names.
    const put = await send(
      { method: 'PUT', url: path, body: { username: profile.username, email: profile.email, title: 'Put Title' } },
      'PUT without nickname',
    );
    ctx.check(
      'PUT clears omitted attributes',
      put.status === 200 && put.body.nickname === undefined && put.body.title === 'Put Title',
      `${put.status}: nickname ${put.body.nickname === undefined ? 'cleared' : 'kept'}, title ${String(put.body.title)}`,
    );
    const patch = await send({ method: 'PATCH', url: path, body: { nickname: 'Patched Nick' } }, 'PATCH nickname only');
    ctx.check(
      'PATCH keeps what it omits',
      patch.status === 200 && patch.body.title === 'Put Title' && patch.body.nickname === 'Patched Nick',
      `${patch.status}: title ${String(patch.body.title)}, nickname ${String(patch.body.nickname)}`,
    );
    const readOnly = await send(
      { method: 'PATCH', url: path, body: { createdAt: '2000-01-01T00:00:00.000Z', id: NO_SUCH_ID } },
      'PATCH read-only attributes',
    );
    ctx.check(
      'read-only attributes in a body',
      readOnly.status === 400 || (readOnly.status === 200 && readOnly.body.id === user.id && readOnly.body.createdAt === user.createdAt),
      readOnly.status === 200
        ? `200: ignored (id and createdAt unchanged: ${String(readOnly.body.id === user.id && readOnly.body.createdAt === user.createdAt)})`
        : `${readOnly.status} ${String(readOnly.body.code)} [${codes(readOnly)}]`,
    );

    // The side endpoints PUT and PATCH can't reach.
    const disabled = await send({ method: 'PUT', url: `${path}/enabled`, body: { enabled: false } }, 'PUT enabled false');
    const afterDisable = await send({ method: 'GET', url: path }, 'read after disabling');
    ctx.check(
      'PUT /users/{id}/enabled',
      disabled.status === 200 && afterDisable.body.enabled === false,
      `${disabled.status}, then enabled=${String(afterDisable.body.enabled)}`,
    );
    const moved = await send({ method: 'PUT', url: `${path}/population`, body: { id: other.id } }, 'PUT population');
    const afterMove = await send({ method: 'GET', url: path }, 'read after moving');
    ctx.check(
      'PUT /users/{id}/population',
      moved.status === 200 && (afterMove.body.population as Body | undefined)?.id === other.id,
      `${moved.status}, then population ${String((afterMove.body.population as Body | undefined)?.id === other.id ? 'moved' : 'unchanged')}`,
    );

    // A second user with the same username: which status PingOne answers a uniqueness violation with.
    const duplicate = await send(
      { method: 'POST', url: '/users', body: { username: profile.username, email: `${tag}-2@example.com`, population: { id: other.id } } },
      'create a user with a taken username',
    );
    if (duplicate.status === 201 && typeof duplicate.body.id === 'string') created.users.push(duplicate.body.id);
    ctx.check(
      'uniqueness violation status',
      duplicate.status === 400 || duplicate.status === 409,
      `${duplicate.status} ${String(duplicate.body.code)} [${codes(duplicate)}]`,
    );

    // Nested groups forming a cycle (A in C in B in A, PingOne's nested-groups page), and a member of A.
    const groups: Body[] = [];
    for (const name of ['Cycle A', 'Cycle B', 'Cycle C']) {
      const g = await create('groups', { name: `${tag} ${name}`, population: { id: other.id } }, `create group ${name}`);
      if (g) groups.push(g);
    }
    if (groups.length === 3) {
      const [a, b, c] = groups as [Body, Body, Body];
      const nest = async (child: Body, parent: Body, what: string) =>
        (await send({ method: 'POST', url: `/groups/${child.id as string}/memberOfGroups`, body: { id: parent.id } }, what)).status;
      const statuses = [
        await nest(a, c, 'nest A in C'),
        await nest(c, b, 'nest C in B'),
        await nest(b, a, 'nest B in A (closing the cycle)'),
      ];
      ctx.check(
        'nested groups may form a cycle',
        statuses[0] === 201 && statuses[1] === 201,
        `A in C ${statuses[0]}, C in B ${statuses[1]}, B in A ${statuses[2]} (${statuses[2] === 201 ? 'cycle accepted' : 'cycle refused'})`,
      );
      await send({ method: 'POST', url: `${path}/memberOfGroups`, body: { id: a.id } }, 'add the user to A');
      const list = await send({ method: 'GET', url: `${path}/memberOfGroups`, query: { limit: 100 } }, "the user's memberships");
      const types = Object.fromEntries(embedded(list.body, 'groupMemberships').map((m) => [String(m.id), String(m.type)]));
      const expected =
        statuses[2] === 201 ? { [a.id as string]: 'DIRECT', [b.id as string]: 'INDIRECT', [c.id as string]: 'INDIRECT' } : undefined;
      ctx.check(
        'memberships through a cycle',
        list.status === 200 && (!expected || JSON.stringify(Object.keys(types).sort()) === JSON.stringify(Object.keys(expected).sort())),
        `${list.status}: ${Object.values(types).sort().join(', ') || 'none'}`,
      );
    }
  } finally {
    await cleanUp(ctx, created);
  }
}

/** Deletes what the run created (users, then groups, then populations) and says what, if anything, is left. */
async function cleanUp(ctx: ConformanceContext, created: { users: string[]; groups: string[]; populations: string[] }): Promise<void> {
  const left: string[] = [];
  for (const kind of ['users', 'groups', 'populations'] as const) {
    for (const id of created[kind]) {
      const r = await ctx.send({ method: 'DELETE', url: `/${kind}/${id}` }, `writes: clean up ${kind}`);
      if (r.status !== 204 && r.status !== 404) left.push(`${kind}/${id} (${r.status})`);
    }
  }
  const count = created.users.length + created.groups.length + created.populations.length;
  ctx.check(
    'writes: clean up',
    left.length === 0,
    left.length === 0 ? `deleted everything created (${count} resources)` : `LEFT IN THE TENANT, delete by hand: ${left.join(', ')}`,
  );
}
