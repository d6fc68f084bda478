import { Application, ApplicationAttributeMapping, ApplicationGrant } from './application.entity';
import { AuditActivity } from './audit-activity.entity';
import { Environment, License, Organization } from './environment.entity';
import { GroupTotals } from './group-totals.entity';
import { IdentityProvider, LinkedAccount } from './identity-provider.entity';
import { PasswordPolicy } from './password-policy.entity';
import { ApplicationRoleAssignment, GroupRoleAssignment, UserRoleAssignment } from './role-assignment.entity';
import { Role } from './role.entity';
import { UserGroupMembership } from './user-group-membership.entity';
import { UserSession } from './user-session.entity';

/**
 * Every ready entity of the directory beyond users, groups and populations, for `entities: [User, Group, Population,
 * ...DIRECTORY_ENTITIES]`: roles and role assignments, applications with their grants and attribute mappings,
 * identity providers and linked accounts, sessions, password policies, audit activities, environments,
 * organizations and licenses, typed memberships and group totals.
 */
export const DIRECTORY_ENTITIES = Object.freeze([
  Role,
  UserRoleAssignment,
  GroupRoleAssignment,
  ApplicationRoleAssignment,
  Application,
  ApplicationGrant,
  ApplicationAttributeMapping,
  IdentityProvider,
  LinkedAccount,
  UserSession,
  PasswordPolicy,
  AuditActivity,
  Environment,
  Organization,
  License,
  UserGroupMembership,
  GroupTotals,
] as const);
