import 'reflect-metadata';
import { DIRECTORY_ENTITIES, Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import { describeTable, listTables } from '../src/meta-commands';

/* `\d` and `\dt` over every table of the directory: each with the PingOne path its rows come from. */
test("\\dt lists the directory tables with their PingOne paths; \\d shows a child table's parent and its columns", async () => {
  const ds = new PingOneDataSource({
    entities: [User, Group, Population, ...DIRECTORY_ENTITIES],
    lazyConnect: true,
    pingone: { environmentId: '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f', clientId: 'c', clientSecret: 's' },
  });
  await ds.initialize();
  try {
    const mappings = ds.pingoneDriver.mappings;
    const tables = listTables(mappings);
    for (const [table, source] of [
      ['roles', '(root) /roles + /roles (type eq "CUSTOM")'],
      ['user_role_assignments', '/users/{id}/roleAssignments (per user)'],
      ['user_sessions', '/users/{id}/sessions (per user)'],
      ['audit_activities', 'POST /activities'],
      ['environments', '(root) /environments'],
      ['licenses', '(root) /organizations/{id}/licenses (per organization)'],
      ['group_nesting', '/groups/{id}/memberOfGroups (DIRECT)'],
    ])
      expect(tables).toMatch(new RegExp(`│ ${table}\\s*│ ${source.replace(/[()[\]{}+.*?^$|\\]/g, '\\$&')}`));
    const sessions = describeTable(mappings, 'user_sessions');
    expect(sessions).toMatch(/^Table "user_sessions" \(PingOne \/users\/\{id\}\/sessions \(per user\)\)\n/);
    expect(sessions).toMatch(/│ userId\s*│ user\.id\s*│ string/);
    expect(describeTable(mappings, 'applications')).not.toMatch(/secret/i);
  } finally {
    await ds.destroy();
  }
});
