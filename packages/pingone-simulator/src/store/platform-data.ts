import { ResourceTable } from './resource-table';
import type { Json } from './attributes';

/** The simulator's one organization and its license (every environment belongs to them unless a seed says otherwise). */
export const ORGANIZATION_ID = '7cb1f212-0000-4a3c-b3e1-000000000001';
export const LICENSE_ID = '6ce079e2-0000-4262-bf58-000000000001';

const permission = (id: string, description: string) => ({ id, classifier: id, description });
const role = (
  n: number,
  name: string,
  applicableTo: readonly string[],
  description: string,
  permissions: readonly { id: string; classifier: string; description: string }[],
): Json & { id: string } => ({
  id: `5f1b7a1e-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name,
  description,
  applicableTo: [...applicableTo],
  permissions: [...permissions],
});

/**
 * PingOne's built-in (platform) roles, as `GET /roles` lists them (names from OpenAPI EnumRoleName, scopes from its
 * EnumRoleAssignmentScopeType; the permission lists are short samples, not PingOne's full ones).
 */
export const PLATFORM_ROLES: readonly (Json & { id: string })[] = Object.freeze([
  role(1, 'Organization Admin', ['ORGANIZATION'], 'Manages the organization, its environments and administrators.', [
    permission('orgmgt:update:organization', 'Update organization'),
  ]),
  role(2, 'Environment Admin', ['ORGANIZATION', 'ENVIRONMENT'], 'Manages environments and their configuration.', [
    permission('orgmgt:update:environment', 'Update environment'),
  ]),
  role(3, 'Identity Data Admin', ['ENVIRONMENT', 'POPULATION'], 'Manages users, groups and populations.', [
    permission('core:create:user', 'Create users'),
    permission('core:read:user', 'Read users'),
  ]),
  role(4, 'Identity Data Read Only', ['ENVIRONMENT', 'POPULATION'], 'Reads users, groups and populations.', [
    permission('core:read:user', 'Read users'),
  ]),
  role(5, 'Client Application Developer', ['ENVIRONMENT'], 'Manages applications.', [
    permission('core:create:application', 'Create applications'),
  ]),
  role(6, 'Configuration Read Only', ['ENVIRONMENT'], "Reads the environment's configuration.", [
    permission('core:read:environment', 'Read environment'),
  ]),
  role(7, 'Help Desk Admin', ['ENVIRONMENT', 'POPULATION'], 'Helps users with their accounts.', [
    permission('core:update:user', 'Update users'),
  ]),
  role(8, 'Application Owner', ['APPLICATION'], 'Manages one application.', [permission('core:update:application', 'Update applications')]),
  role(9, 'Custom Roles Admin', ['ENVIRONMENT'], 'Manages custom roles.', [permission('core:create:customRole', 'Create custom roles')]),
]);

/** What lives above environments: the built-in roles, the organization and its licenses. */
export class PlatformData {
  readonly roles = new ResourceTable();
  readonly organizations = new ResourceTable();
  readonly licenses = new ResourceTable();

  constructor(now = '2023-01-01T00:00:00.000Z') {
    for (const r of PLATFORM_ROLES) this.roles.insert({ ...r });
    this.organizations.insert({
      id: ORGANIZATION_ID,
      name: 'Simulated organization',
      description: "The PingOne simulator's organization",
      type: 'TRIAL',
      createdAt: now,
      updatedAt: now,
    });
    this.licenses.insert({
      id: LICENSE_ID,
      name: 'Simulated license',
      organization: { id: ORGANIZATION_ID },
      package: 'TRIAL',
      status: 'ACTIVE',
      beginsAt: now,
      expiresAt: '2099-01-01T00:00:00.000Z',
      assignedEnvironmentsCount: 1,
      users: { max: 100000, allowPasswordPolicy: true, allowIdentityProviders: true, allowRoleAssignment: true },
      environments: { max: 100, allowProduction: true },
    });
  }
}
