import type { DirectoryResource } from '@typeorm-pingone/client';
import type { AttributeInfo, AttributeKind } from './attribute-catalog';

/**
 * The attributes of the directory's other resources (OpenAPI schemas Role, CustomAdminRole, RoleAssignment,
 * Environment, Organization, License, Application*, ApplicationResourceGrant, ApplicationAttributeMapping,
 * IdentityProvider*, PasswordPolicy; PingOne's "User Sessions", "Linked Accounts" and "Audit Activities" data models),
 * with their value kinds. Read-only unless a write of the table sets them: a role assignment's role and scope (and
 * its parent) on create. Secrets (an application's or identity provider's client secret) are not here: they are never
 * columns. A path through an array (an activity's `resources.id`) reads its first element.
 */
const ro = (kind: AttributeKind): AttributeInfo => Object.freeze({ kind, readOnly: true });
const rw = (kind: AttributeKind): AttributeInfo => Object.freeze({ kind, readOnly: false });
const str = ro('string');
const dates = { createdAt: ro('datetime'), updatedAt: ro('datetime') };
const base = { id: str, 'environment.id': str };

const assignment = (parent: string) => Object.freeze({
  ...base, [parent]: rw('string'), 'role.id': rw('string'), 'scope.id': rw('string'), 'scope.type': rw('string'), readOnly: ro('boolean'),
});

export const DIRECTORY_CATALOG: Readonly<Record<DirectoryResource, Readonly<Record<string, AttributeInfo>>>> = Object.freeze({
  roles: Object.freeze({ ...base, name: str, description: str, type: str, applicableTo: ro('array'), permissions: ro('json') }),
  userRoleAssignments: assignment('user.id'),
  groupRoleAssignments: assignment('group.id'),
  applicationRoleAssignments: assignment('application.id'),
  environments: Object.freeze({
    id: str, name: str, description: str, type: str, region: str, status: str, 'organization.id': str, 'license.id': str, icon: str, ...dates,
  }),
  organizations: Object.freeze({ id: str, name: str, description: str, type: str, ...dates }),
  licenses: Object.freeze({
    id: str, name: str, 'organization.id': str, package: str, status: str, beginsAt: ro('datetime'), expiresAt: ro('datetime'),
    terminatesAt: ro('datetime'), assignedEnvironmentsCount: ro('number'), 'users.max': ro('number'), 'environments.max': ro('number'),
  }),
  applications: Object.freeze({
    ...base, name: str, description: str, protocol: str, type: str, enabled: ro('boolean'), hiddenFromAppPortal: ro('boolean'),
    loginPageUrl: str, homePageUrl: str, 'icon.href': str, 'accessControl.role.type': str, 'accessControl.group.type': str,
    'accessControl.group.groups': ro('json'), grantTypes: ro('array'), responseTypes: ro('array'), redirectUris: ro('array'),
    postLogoutRedirectUris: ro('array'), tokenEndpointAuthMethod: str, pkceEnforcement: str, clientId: str, spEntityId: str,
    acsUrls: ro('array'), assertionDuration: ro('number'), domainName: str, replyUrl: str, externalId: str, tags: ro('array'), ...dates,
  }),
  applicationGrants: Object.freeze({ ...base, 'application.id': str, 'resource.id': str, scopes: ro('json'), ...dates }),
  applicationAttributes: Object.freeze({
    ...base, 'application.id': str, name: str, value: str, required: ro('boolean'), mappingType: str, nameFormat: str,
    idToken: ro('boolean'), userInfo: ro('boolean'), oidcScopes: ro('array'), ...dates,
  }),
  identityProviders: Object.freeze({
    ...base, name: str, description: str, type: str, enabled: ro('boolean'), 'registration.population.id': str, 'icon.href': str,
    'loginButtonIcon.href': str, clientId: str, appId: str, idpEntityId: str, spEntityId: str, ssoEndpoint: str, issuer: str, ...dates,
  }),
  linkedAccounts: Object.freeze({ ...base, 'user.id': str, 'identityProvider.id': str, 'identityProvider.type': str, externalId: str, ...dates }),
  sessions: Object.freeze({
    ...base, 'user.id': str, createdAt: ro('datetime'), activeAt: ro('datetime'), userAgent: str, 'browser.name': str, 'browser.version': str,
    'operatingSystem.name': str, 'operatingSystem.version': str, 'device.type': str, 'lastSignOn.at': ro('datetime'),
    'lastSignOn.remoteIp': str, locations: ro('json'),
  }),
  passwordPolicies: Object.freeze({
    ...base, name: str, description: str, default: ro('boolean'), excludesCommonlyUsed: ro('boolean'), excludesProfileData: ro('boolean'),
    notSimilarToCurrent: ro('boolean'), 'length.min': ro('number'), 'length.max': ro('number'), maxAgeDays: ro('number'),
    minAgeDays: ro('number'), minComplexity: ro('number'), minUniqueCharacters: ro('number'), maxRepeatedCharacters: ro('number'),
    'history.count': ro('number'), 'history.retentionDays': ro('number'), 'lockout.failureCount': ro('number'),
    'lockout.durationSeconds': ro('number'), populationCount: ro('number'), minCharacters: ro('json'), ...dates,
  }),
  activities: Object.freeze({
    id: str, recordedAt: ro('datetime'), createdAt: ro('datetime'), correlationId: str, 'action.type': str, 'action.description': str,
    'actors.user.id': str, 'actors.user.name': str, 'actors.user.type': str, 'actors.user.population.id': str,
    'actors.client.id': str, 'actors.client.name': str, 'actors.client.type': str,
    resources: ro('json'), 'resources.id': str, 'resources.type': str, 'resources.name': str, 'resources.population.id': str,
    'result.status': str, 'result.description': str,
  }),
});

/** The SQL table of each directory resource (snake_case, like `group_memberships`). */
export const DIRECTORY_TABLES: Readonly<Record<DirectoryResource, string>> = Object.freeze({
  roles: 'roles', userRoleAssignments: 'user_role_assignments', groupRoleAssignments: 'group_role_assignments',
  applicationRoleAssignments: 'application_role_assignments', environments: 'environments', organizations: 'organizations',
  licenses: 'licenses', applications: 'applications', applicationGrants: 'application_grants',
  applicationAttributes: 'application_attribute_mappings', identityProviders: 'identity_providers', linkedAccounts: 'linked_accounts',
  sessions: 'user_sessions', passwordPolicies: 'password_policies', activities: 'audit_activities',
});

/** Attributes a directory resource's create requires (PingOne refuses it without them; checked before the request). */
export const DIRECTORY_REQUIRED: Readonly<Partial<Record<DirectoryResource, readonly string[]>>> = Object.freeze({
  userRoleAssignments: ['user.id', 'role.id', 'scope.id', 'scope.type'],
  groupRoleAssignments: ['group.id', 'role.id', 'scope.id', 'scope.type'],
  applicationRoleAssignments: ['application.id', 'role.id', 'scope.id', 'scope.type'],
});
