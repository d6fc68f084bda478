import { prng } from './prng';
import { PLATFORM_ROLES } from '../store/platform-data';
import type { Json } from '../store/attributes';
import type { DirectoryKind } from '../store/directory-data';

const id = (kind: number, n: number) => `d1${String(kind).padStart(6, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const role = (name: string) => PLATFORM_ROLES.find((r) => r.name === name)!.id;

/** The demo's default password policy (its populations reference it). */
export const DEMO_PASSWORD_POLICY_ID = id(5, 1);

export interface DemoDirectoryInput {
  readonly environmentId: string;
  readonly users: readonly Json[];
  readonly groups: readonly Json[];
  readonly populations: readonly Json[];
  /** what the activities' times count back from (audit data is kept 14 days: they must be recent) */
  readonly now: number;
}

/**
 * The demo's applications (OIDC, SAML, WS-Fed, an external link, a worker), their grants and attribute mappings,
 * identity providers and linked accounts, password policies, a custom role, role assignments of users, groups and
 * an application at every scope, sessions of some users, and two weeks of audit activities.
 */
export function demoDirectory(input: DemoDirectoryInput): { [K in DirectoryKind]?: Json[] } {
  const random = prng(28); // a generator of its own: adding this data changes nothing of the users' draws
  const { users, groups, populations, environmentId } = input;
  const at = (hoursAgo: number) => new Date(input.now - hoursAgo * 3_600_000).toISOString();
  const app = (n: number, name: string, protocol: string, type: string, extra: Json = {}): Json => ({
    id: id(1, n),
    name,
    protocol,
    type,
    enabled: n !== 4,
    description: `${name} (demo)`,
    createdAt: at(5000 + n),
    updatedAt: at(4000 + n),
    ...extra,
  });
  const groupId = (name: string) => String(groups.find((g) => g.name === name)?.id);
  const applications = [
    app(1, 'Employee Portal', 'OPENID_CONNECT', 'WEB_APP', {
      grantTypes: ['AUTHORIZATION_CODE'],
      responseTypes: ['CODE'],
      tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
      redirectUris: ['https://portal.example.com/callback'],
      accessControl: { group: { type: 'ANY_GROUP', groups: [{ id: groupId('All Staff') }] } },
    }),
    app(2, 'Payroll', 'SAML', 'WEB_APP', {
      spEntityId: 'urn:demo:payroll',
      acsUrls: ['https://payroll.example.com/acs'],
      assertionDuration: 60,
      accessControl: { group: { type: 'ANY_GROUP', groups: [{ id: groupId('Finance') }] } },
    }),
    app(3, 'Office 365', 'WS_FED', 'WEB_APP', {
      domainName: 'example.com',
      replyUrl: 'https://login.microsoftonline.com/login.srf',
      idpSigning: { algorithm: 'SHA256withRSA', key: { id: id(9, 1) } },
    }),
    app(4, 'Wiki', 'EXTERNAL_LINK', 'PORTAL_LINK_APP', { homePageUrl: 'https://wiki.example.com' }),
    app(5, 'Provisioning Worker', 'OPENID_CONNECT', 'WORKER', {
      grantTypes: ['CLIENT_CREDENTIALS'],
      tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    }),
  ];
  const applicationGrants = [1, 5].map((n, i) => ({
    id: id(2, i + 1),
    application: { id: id(1, n) },
    resource: { id: id(8, 1) },
    scopes: [{ id: id(8, 10 + i) }],
    createdAt: at(3000),
    updatedAt: at(3000),
  }));
  const applicationAttributes = [1, 1, 2].map((n, i) => ({
    id: id(3, i + 1),
    application: { id: id(1, n) },
    name: ['email', 'given_name', 'saml_subject'][i],
    value: ['${user.email}', '${user.name.given}', '${user.id}'][i],
    required: i === 2,
    mappingType: i === 2 ? 'CORE' : 'CUSTOM',
    createdAt: at(3000),
    updatedAt: at(3000),
  }));
  const identityProviders = [
    // PingOne's IdentityProviderClientIDClientSecret carries the secret: the client drops it before anyone sees it
    {
      id: id(4, 1),
      name: 'Google',
      type: 'GOOGLE',
      enabled: true,
      description: 'Social sign-on',
      clientId: 'demo-google-client',
      clientSecret: 'demo-google-secret',
      createdAt: at(6000),
      updatedAt: at(6000),
    },
    {
      id: id(4, 2),
      name: 'Partner SAML',
      type: 'SAML',
      enabled: true,
      idpEntityId: 'urn:partner',
      spEntityId: 'urn:demo',
      ssoBinding: 'HTTP_POST',
      ssoEndpoint: 'https://partner.example.com/sso',
      idpVerification: { certificates: [{ id: id(9, 2) }] },
      registration: { population: { id: String(populations[3]?.id) } },
      createdAt: at(6000),
      updatedAt: at(6000),
    },
  ];
  const passwordPolicies = [
    {
      id: id(5, 1),
      name: 'Standard',
      default: true,
      excludesCommonlyUsed: true,
      excludesProfileData: true,
      notSimilarToCurrent: true,
      length: { min: 8, max: 255 },
      maxAgeDays: 182,
      minAgeDays: 1,
      history: { count: 6, retentionDays: 365 },
      lockout: { failureCount: 5, durationSeconds: 900 },
      populationCount: populations.length,
      createdAt: at(7000),
      updatedAt: at(7000),
    },
    {
      id: id(5, 2),
      name: 'Passphrase',
      default: false,
      excludesCommonlyUsed: true,
      excludesProfileData: false,
      notSimilarToCurrent: false,
      length: { min: 20, max: 255 },
      populationCount: 0,
      createdAt: at(7000),
      updatedAt: at(7000),
    },
  ];
  const customRoles = [
    {
      id: id(6, 1),
      name: 'Audit Reader',
      description: 'Reads audit activities',
      type: 'CUSTOM',
      applicableTo: ['ENVIRONMENT', 'POPULATION'],
      permissions: [{ id: 'activities:read:activity' }],
      canBeAssignedBy: [{ id: role('Custom Roles Admin') }],
    },
  ];
  const sample = users.filter((_, i) => i % 7 === 0).slice(0, 12);
  const env = { type: 'ENVIRONMENT', id: environmentId };
  const roleAssignments = [
    ...sample.slice(0, 3).map((u, i) => ({
      id: id(7, i + 1),
      role: { id: role('Identity Data Admin') },
      scope: i === 2 ? { type: 'POPULATION', id: String(populations[1]?.id) } : env,
      readOnly: false,
      subject: { type: 'users', id: String(u.id) },
    })),
    {
      id: id(7, 10),
      role: { id: role('Help Desk Admin') },
      scope: env,
      readOnly: false,
      subject: { type: 'groups', id: groupId('Help Desk') },
    },
    {
      id: id(7, 11),
      role: { id: role('Environment Admin') },
      scope: env,
      readOnly: false,
      subject: { type: 'groups', id: groupId('Administrators') },
    },
    { id: id(7, 12), role: { id: id(6, 1) }, scope: env, readOnly: false, subject: { type: 'users', id: String(sample[3]?.id) } },
    {
      id: id(7, 20),
      role: { id: role('Identity Data Admin') },
      scope: env,
      readOnly: false,
      subject: { type: 'applications', id: id(1, 5) },
    },
    {
      id: id(7, 21),
      role: { id: role('Application Owner') },
      scope: { type: 'APPLICATION', id: id(1, 1) },
      readOnly: false,
      subject: { type: 'users', id: String(sample[4]?.id) },
    },
  ].filter((a) => a.subject.id !== 'undefined');
  const browsers = ['Chrome', 'Firefox', 'Safari', 'Edge'];
  const sessions = sample.flatMap((u, i) =>
    Array.from({ length: 1 + (i % 3) }, (_, k) => ({
      id: id(10, i * 10 + k),
      user: { id: String(u.id) },
      createdAt: at(48 - k * 5 - i),
      activeAt: at(2 + k + (i % 5)),
      browser: { name: browsers[(i + k) % 4], version: `${100 + k}.0` },
      operatingSystem: { name: k % 2 ? 'macOS' : 'Windows', version: '14' },
      device: { type: k % 2 ? 'Desktop' : 'Mobile' },
      lastSignOn: { at: at(2 + k), remoteIp: `203.0.113.${i + k}` },
      locations: [{ at: at(2 + k), remoteIp: `203.0.113.${i + k}`, city: 'Denver', country: 'United States' }],
    })),
  );
  const linkedAccounts = sample.slice(0, 4).map((u, i) => ({
    id: id(11, i + 1),
    user: { id: String(u.id) },
    identityProvider: { id: identityProviders[i % 2].id, type: identityProviders[i % 2].type },
    externalId: `ext-${i + 1}`,
    createdAt: at(900 + i),
  }));
  const actions = [
    'USER.CREATED',
    'USER.UPDATED',
    'USER.ACCESS_ALLOWED',
    'GROUP.UPDATED',
    'ROLE_ASSIGNMENT.CREATED',
    'APPLICATION.UPDATED',
  ];
  const activities = Array.from({ length: 240 }, (_, n) => {
    const actor = users[Math.floor(random() * users.length)];
    const target = users[Math.floor(random() * users.length)];
    const type = actions[n % actions.length];
    const hoursAgo = Math.floor(random() * 20 * 24); // two weeks and more: the oldest are past PingOne's 14 days
    const resourceType = type.split('.')[0] === 'GROUP' ? 'GROUP' : type.startsWith('APPLICATION') ? 'APPLICATION' : 'USER';
    return {
      id: id(12, n + 1),
      recordedAt: at(hoursAgo),
      createdAt: at(hoursAgo),
      correlationId: id(13, n + 1),
      actors: {
        client: { id: id(1, 5), name: 'Provisioning Worker', type: 'CLIENT' },
        ...(actor ? { user: { id: String(actor.id), name: String(actor.username), type: 'USER', population: actor.population } } : {}),
      },
      action: { type, description: type.toLowerCase().replace(/[._]/g, ' ') },
      resources: [
        {
          type: resourceType,
          id:
            resourceType === 'USER'
              ? String(target?.id)
              : resourceType === 'GROUP'
                ? String(groups[n % groups.length]?.id)
                : id(1, 1 + (n % 5)),
          name: resourceType === 'USER' ? String(target?.username) : 'demo',
          ...(resourceType === 'USER' && target ? { population: target.population } : {}),
        },
      ],
      result: { status: random() > 0.1 ? 'SUCCESS' : 'FAILED', description: 'demo' },
    };
  });
  return {
    applications,
    applicationGrants,
    applicationAttributes,
    identityProviders,
    passwordPolicies,
    customRoles,
    roleAssignments,
    sessions,
    linkedAccounts,
    activities,
  };
}
