/**
 * bench/requests.ts's cases over the directory tables (issue 28): roles and assignments, applications and grants,
 * identity providers, sessions, password policies, audit activities, environments, nesting and effective membership.
 * The minimum of each is worked out by hand from the simulator's data; the id-only baseline reads every list whole
 * and each per-parent list once per parent of the whole parent table (what a connector without parent bounds must do).
 */
import { Between } from 'typeorm';
import type { RunningSimulator } from '@typeorm-pingone/simulator';
import {
  Application,
  AuditActivity,
  Group,
  PasswordPolicy,
  type PingOneDataSource,
  Role,
  UserRoleAssignment,
  UserSession,
} from 'typeorm-pingone';

export interface DirectoryCase {
  readonly name: string;
  /** a number, or worked out from the answer's size where only the data decides it (how many users a group holds) */
  readonly minimum: number | ((answer: unknown) => number);
  readonly depth: number | ((answer: unknown) => number);
  readonly baseline: number;
  readonly why: string;
  readonly run: (ds: PingOneDataSource) => Promise<unknown>;
}

const USERS_PAGE = 200;
const pages = (n: number) => Math.max(1, Math.ceil(n / USERS_PAGE));

export function directoryCases(sim: RunningSimulator): DirectoryCase[] {
  const env = sim.store.environment(sim.environmentId)!;
  const users = env.users.size;
  const userPages = pages(users);
  const groupNamed = (name: string) => String([...env.groups.values()].find((g) => g.data.name === name)!.data.id);
  const helpDesk = groupNamed('Help Desk');
  const helpDeskMembers = env.memberships.directMembers(helpDesk).filter((m) => env.users.has(m)).length;
  const sessionHolder = String(([...env.directory.table('sessions').values()][0].data.user as { id: string }).id);
  const apps = env.directory.table('applications').size;
  const groups = env.groups.size;
  const now = new Date();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const yesterday = new Date(today.getTime() - 86_400_000);
  return [
    {
      name: 'roles (built-in and custom)',
      minimum: 2,
      depth: 1,
      baseline: 2,
      why: 'the built-in list and the custom one, together',
      run: (ds) => ds.getRepository(Role).find(),
    },
    {
      name: "a user's role assignments",
      minimum: 1,
      depth: 1,
      baseline: userPages + users,
      why: 'one list under the user',
      run: (ds) => ds.getRepository(UserRoleAssignment).findBy({ userId: sessionHolder }),
    },
    {
      name: "Help Desk's role assignments (join)",
      minimum: 2,
      depth: 2,
      baseline: 1 + groups,
      why: 'the group by name, then its assignments',
      run: (ds) =>
        ds.query(
          'SELECT r."roleId", r."scopeType" FROM "groups" g JOIN "group_role_assignments" r ON r."groupId" = g."id" WHERE g."name" = ?',
          ['Help Desk'],
        ),
    },
    {
      name: 'applications',
      minimum: 1,
      depth: 1,
      baseline: 1,
      why: 'one list of every protocol',
      run: (ds) => ds.getRepository(Application).find(),
    },
    {
      name: "every application's grants (join)",
      minimum: 1 + apps,
      depth: 2,
      baseline: 1 + apps,
      why: 'the applications, then one list per application, together',
      run: (ds) =>
        ds.query('SELECT a."name", g."resourceId" FROM "applications" a JOIN "application_grants" g ON g."applicationId" = a."id"'),
    },
    {
      name: "a user's sessions",
      minimum: 1,
      depth: 1,
      baseline: userPages + users,
      why: 'one list under the user',
      run: (ds) => ds.getRepository(UserSession).findBy({ userId: sessionHolder }),
    },
    {
      name: "sessions of Help Desk's members",
      minimum: pages(helpDeskMembers) + helpDeskMembers,
      depth: pages(helpDeskMembers) + 1,
      baseline: 1 + userPages + users * 2,
      why: 'the members by the memberOfGroups filter, then one list per member, together',
      run: (ds) =>
        ds.query('SELECT s."id" FROM "group_memberships" m JOIN "user_sessions" s ON s."userId" = m."userId" WHERE m."groupId" = ?', [
          helpDesk,
        ]),
    },
    { name: 'password policies', minimum: 1, depth: 1, baseline: 1, why: 'one list', run: (ds) => ds.getRepository(PasswordPolicy).find() },
    {
      name: 'audit activities of yesterday',
      minimum: 1,
      depth: 1,
      baseline: 1,
      why: 'one POST with the recordedAt range (a page holds the day)',
      run: (ds) => ds.getRepository(AuditActivity).findBy({ recordedAt: Between(yesterday, new Date(today.getTime() - 1)) }),
    },
    {
      name: 'environments',
      minimum: 1,
      depth: 1,
      baseline: 1,
      why: 'one list',
      run: (ds) => ds.query('SELECT "id", "name" FROM "environments"'),
    },
    {
      name: "Help Desk's parent groups",
      minimum: 1,
      depth: 1,
      baseline: 1 + groups,
      why: "the group's memberOfGroups list",
      run: (ds) => ds.query('SELECT "parentId" FROM "group_nesting" WHERE "childId" = ?', [helpDesk]),
    },
    {
      name: 'Help Desk effectively (nested, dynamic)',
      minimum: effectivePages,
      depth: effectivePages,
      baseline: 1 + userPages + users,
      why: 'the group by id, then the pages of its every-member list (TypeORM sends two statements)',
      run: (ds) => ds.getRepository(Group).findOne({ where: { id: helpDesk }, relations: { effectiveUsers: true } }),
    },
  ];
}

/** The group's GET, then its every-member list's pages for the users it holds (no planner changes how many that is). */
function effectivePages(answer: unknown): number {
  const found = answer as { effectiveUsers?: unknown[] } | null;
  return 1 + pages(found?.effectiveUsers?.length ?? 0);
}
