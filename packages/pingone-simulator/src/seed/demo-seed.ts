import { prng } from './prng';
import { DEFAULT_ENVIRONMENT_ID, type SeedEnvironment } from './seed-data';
import type { Json } from '../store/attributes';
import { DEMO_PASSWORD_POLICY_ID, demoDirectory } from './demo-directory';

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (Math.floor(random() * 4) + 8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const GIVEN = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'Edsger',
  'Radia',
  'Tim',
  'Katherine',
  'John',
  'Hedy',
  'Donald',
  'Joan',
  'Niklaus',
  'Anita',
  'Guido',
  'Sophie',
  'Bjarne',
  'Lynn',
  'James',
];
const FAMILY = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Berners-Lee',
  'Johnson',
  'McCarthy',
  'Lamarr',
  'Knuth',
  'Clarke',
  'Wirth',
  'Borg',
  'van Rossum',
  'Wilson',
  'Stroustrup',
  'Conway',
  'Gosling',
];
const CITIES = ['Denver', 'Austin', 'London', 'Paris', 'Berlin', 'Toronto', 'Sydney', 'Singapore', 'Vancouver', 'Dublin'];
const TITLES = ['Engineer', 'Senior Engineer', 'Manager', 'Analyst', 'Designer', 'Director', 'Consultant', 'Support Specialist'];
const COST_CENTERS = ['CC-100', 'CC-200', 'CC-300', 'CC-400'];

export interface DemoSeedOptions {
  readonly users: number;
  readonly seed?: number;
}

/**
 * A realistic demo directory: four populations (Default, Employees, Contractors, Partners), environment-level and
 * population groups with nesting, users with names, addresses, employee types (`type`: Employee, Contractor,
 * Partner), custom attributes (`costCenter`, multi-valued `locales`) and group memberships.
 */
export function demoSeed(options: DemoSeedOptions): SeedEnvironment {
  const random = prng(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const base = Date.UTC(2024, 0, 1);
  const at = (i: number) => new Date(base + i * 3_600_000).toISOString();
  const populations: Json[] = ['Default', 'Employees', 'Contractors', 'Partners'].map((name, i) => ({
    id: uuid(random),
    name,
    description: `${name} of the demo company`,
    ...(i === 0 ? { default: true } : {}),
    createdAt: at(i),
    ...(i < 2 ? { passwordPolicy: { id: DEMO_PASSWORD_POLICY_ID } } : {}),
  }));
  const [defaultPopulation, employees, contractors, partners] = populations as [Json, Json, Json, Json];
  const groupSpecs: [string, Json | undefined][] = [
    ['All Staff', undefined],
    ['Administrators', undefined],
    ['Help Desk', undefined],
    ['Engineering', employees],
    ['Sales', employees],
    ['Finance', employees],
    ['Contract Developers', contractors],
    ['Partner Portal', partners],
  ];
  const groups = groupSpecs.map(([name, population], i) => ({
    id: uuid(random),
    name,
    description: `${name} group`,
    ...(population ? { population: { id: population.id } } : {}),
    customData: { demo: true, rank: i },
    createdAt: at(10 + i),
  }));
  const byName = Object.fromEntries(groups.map((g) => [g.name, g.id]));
  const groupNesting = [
    { groupId: byName['Help Desk'], parentGroupId: byName['Administrators'] },
    { groupId: byName['Administrators'], parentGroupId: byName['All Staff'] },
  ];
  const users: Json[] = [];
  const memberships: { userId: string; groupId: string }[] = [];
  for (let i = 0; i < options.users; i++) {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const roll = random();
    const [population, type] =
      roll < 0.6
        ? [employees, 'Employee']
        : roll < 0.85
          ? [contractors, 'Contractor']
          : roll < 0.95
            ? [partners, 'Partner']
            : [defaultPopulation, 'Employee'];
    const username = `${given}.${family}.${i}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
    const id = uuid(random);
    users.push({
      id,
      username,
      email: `${username}@example.com`,
      name: { given, family, formatted: `${given} ${family}` },
      title: pick(TITLES),
      type,
      address: { locality: pick(CITIES), countryCode: pick(['US', 'GB', 'FR', 'DE', 'CA', 'AU', 'SG']) },
      enabled: random() > 0.05,
      account: { canAuthenticate: true, status: random() > 0.02 ? 'OK' : 'LOCKED' },
      identityProvider: { type: 'PING_ONE' },
      lifecycle: { status: 'ACCOUNT_OK' },
      mfaEnabled: random() > 0.7,
      verifyStatus: 'NOT_INITIATED',
      population: { id: population.id },
      costCenter: pick(COST_CENTERS),
      locales: random() > 0.5 ? ['en-US', 'fr-FR'] : ['en-US'],
      createdAt: at(100 + i),
    });
    memberships.push({ userId: id, groupId: byName['All Staff'] });
    const own = groups.filter((g) => (g.population as Json | undefined)?.id === population.id);
    if (own.length > 0 && random() > 0.2) memberships.push({ userId: id, groupId: pick(own).id });
    if (random() > 0.97) memberships.push({ userId: id, groupId: byName['Help Desk'] });
  }
  return {
    id: DEFAULT_ENVIRONMENT_ID,
    name: 'Demo',
    populations,
    groups,
    users,
    memberships,
    groupNesting,
    customAttributes: [
      { name: 'costCenter', displayName: 'Cost center' },
      { name: 'locales', multiValued: true },
    ],
    containsCustomAttributes: ['costCenter'],
    directory: demoDirectory({ environmentId: DEFAULT_ENVIRONMENT_ID, users, groups, populations, now: Date.now() }),
  };
}
