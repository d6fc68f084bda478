import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { DIRECTORY_ENTITIES, Group, Population, User } from '../src';

/*
 * Each directory table's request plan at its minimum: a whole list is one request (two for roles: PingOne's built-in
 * ones and the environment's custom ones), a by-id read one GET, a table PingOne lists per parent one request per
 * parent the statement names or bounds (and none for a bound that selects no parent), audit activities one POST with
 * the range and the documented eq in its body. Exact lists: one request more is a failure.
 */
let h: DriverHarness;
beforeAll(async () => {
  h = await startDriver({ seed: 'demo', users: 40 }, { entities: [User, Group, Population, ...DIRECTORY_ENTITIES] });
});
afterAll(() => h.close());

const env = () => h.sim.store.environment(h.sim.environmentId)!;
const first = (kind: Parameters<ReturnType<typeof env>['directory']['table']>[0]) => [...env().directory.table(kind).values()][0].data;
const idOf = (value: unknown) => String((value as { id: string }).id);

test.each<[string, () => [string, unknown[], string[]]]>([
  [
    'roles: the built-in list and the custom one',
    () => ['SELECT * FROM "roles"', [], ['GET /v1/roles', 'GET /roles?filter=type eq "CUSTOM"']],
  ],
  [
    "a user's role assignments: one request",
    () => {
      const user = idOf(first('sessions').user);
      return ['SELECT * FROM "user_role_assignments" WHERE "userId" = ?', [user], [`GET /users/${user}/roleAssignments`]];
    },
  ],
  [
    "a group's role assignments, the group bounded by a sub-query",
    () => {
      const helpDesk = String([...env().groups.values()].find((g) => g.data.name === 'Help Desk')!.data.id);
      return [
        'SELECT * FROM "group_role_assignments" WHERE "groupId" IN (SELECT "id" FROM "groups" WHERE "name" = ?)',
        ['Help Desk'],
        ['GET /groups?limit=1000&filter=name eq "Help Desk"', `GET /groups/${helpDesk}/roleAssignments`],
      ];
    },
  ],
  [
    "an application's role assignments",
    () => {
      const app = String(first('applications').id);
      return [
        'SELECT * FROM "application_role_assignments" WHERE "applicationId" = ?',
        [app],
        [`GET /applications/${app}/roleAssignments`],
      ];
    },
  ],
  ['applications: one list of every protocol', () => ['SELECT * FROM "applications"', [], ['GET /applications']]],
  [
    'an application by id: one GET',
    () => {
      const app = String(first('applications').id);
      return ['SELECT * FROM "applications" WHERE "id" = ?', [app], [`GET /applications/${app}`]];
    },
  ],
  [
    "an application's grants and attribute mappings: one request each",
    () => {
      const app = String(first('applications').id);
      return [
        'SELECT g."id", m."name" FROM "application_grants" g JOIN "application_attribute_mappings" m ON m."applicationId" = g."applicationId" WHERE g."applicationId" = ? AND m."applicationId" = ?',
        [app, app],
        [`GET /applications/${app}/grants`, `GET /applications/${app}/attributes`],
      ];
    },
  ],
  ['identity providers: one list', () => ['SELECT * FROM "identity_providers" WHERE "type" = ?', ['SAML'], ['GET /identityProviders']]],
  [
    "a user's linked accounts",
    () => {
      const user = idOf(first('linkedAccounts').user);
      return ['SELECT * FROM "linked_accounts" WHERE "userId" = ?', [user], [`GET /users/${user}/linkedAccounts`]];
    },
  ],
  [
    "a user's sessions",
    () => {
      const user = idOf(first('sessions').user);
      return ['SELECT * FROM "user_sessions" WHERE "userId" = ?', [user], [`GET /users/${user}/sessions`]];
    },
  ],
  [
    'sessions of users a join bounds to none: no session request',
    () => [
      'SELECT s.* FROM "users" u JOIN "user_sessions" s ON s."userId" = u."id" WHERE u."username" = ?',
      ['nobody'],
      ['GET /users?limit=1000&filter=username eq "nobody"'],
    ],
  ],
  ['password policies: one list', () => ['SELECT * FROM "password_policies"', [], ['GET /passwordPolicies']]],
  [
    'audit activities: one POST (range and action type in its body)',
    () => [
      'SELECT * FROM "audit_activities" WHERE "actionType" = ? AND "recordedAt" >= ?',
      ['USER.CREATED', '2026-01-01'],
      ['POST /activities'],
    ],
  ],
  [
    "environments: one list; organizations' licenses: one request per organization",
    () => [
      'SELECT e."id", l."id" FROM "environments" e CROSS JOIN "organizations" o JOIN "licenses" l ON l."organizationId" = o."id"',
      [],
      [
        'GET /v1/environments?limit=1000',
        'GET /v1/organizations?limit=1000',
        `GET /v1/organizations/${String([...h.sim.store.platform.organizations.values()][0].data.id)}/licenses`,
      ],
    ],
  ],
])('%s', async (_name, statement) => {
  const [sql, params, expected] = statement();
  h.reset();
  await h.ds.query(sql, params);
  expect(h.requests().sort()).toEqual([...expected].sort());
});
