import type { SeedData } from '@typeorm-pingone/simulator';

/**
 * One directory for both sides of the differential tests: NULL-heavy optional attributes, small value pools so
 * predicates hit, mixed case, numeric-looking text, LIKE metacharacters and regex syntax in values. Deterministic
 * (a fixed LCG), so a failure replays.
 */
export const POOLS = {
  nickname: [null, null, 'ace', 'Ace', 'b_c', 'b%c', '10', '9', '-1', 'x[y]', 'a\\d', '__proto__', 'Émile'],
  // values that are names of Object.prototype's members: grouped, joined and distinct as values, never keys
  type: [null, 'Contractor', 'Employee', 'Partner', 'employee', '__proto__', 'constructor'],
  title: [null, null, 'Dr', 'dr', 'Prof', '2', '10', 'hasOwnProperty', 'toString', 'valueOf'],
  locale: [null, 'en', 'fr', 'de'],
  given: [null, 'Ada', 'ada', 'Grace', 'Alan', 'Émile'],
  family: [null, 'Lovelace', 'Hopper', 'Turing', 'lovelace'],
} as const;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(rand: () => number, values: readonly T[]): T => values[Math.floor(rand() * values.length)];

export const USER_COUNT = 40;

export function differentialSeed(): SeedData {
  const rand = lcg(20261201);
  const populations = ['Staff', 'Partners', 'Alumni'].map((name, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i + 1}`,
    name,
    description: i === 2 ? undefined : `${name} population`,
    default: i === 0,
  }));
  const groups = ['Admins', 'Help Desk', 'Readers', 'Writers', 'Empty'].map((name, i) => ({
    id: `00000000-0000-4000-9000-00000000000${i + 1}`,
    name,
    description: i % 2 === 0 ? `${name} group` : undefined,
    ...(i >= 3 ? { population: { id: populations[i - 3].id } } : {}),
  }));
  const users = Array.from({ length: USER_COUNT }, (_, i) => {
    const given = pick(rand, POOLS.given);
    const family = pick(rand, POOLS.family);
    const optional = (key: string, value: unknown) => (value === null ? {} : { [key]: value });
    const day = 1 + Math.floor(rand() * 28);
    return {
      id: `00000000-0000-4000-a000-${String(i + 1).padStart(12, '0')}`,
      username: `${i % 3 === 0 ? 'User' : 'user'}${String(i).padStart(2, '0')}${i % 5 === 0 ? '_x' : ''}`,
      ...optional('email', i % 4 === 3 ? null : `${i % 2 ? 'U' : 'u'}ser${i}@Example.com`),
      ...optional('nickname', pick(rand, POOLS.nickname)),
      ...optional('type', pick(rand, POOLS.type)),
      ...optional('title', pick(rand, POOLS.title)),
      ...optional('locale', pick(rand, POOLS.locale)),
      ...(given === null && family === null ? {} : { name: { ...optional('given', given), ...optional('family', family) } }),
      enabled: rand() < 0.7,
      ...optional('mfaEnabled', pick(rand, [null, true, false])),
      population: { id: pick(rand, populations).id },
      createdAt: `2024-0${1 + (i % 9)}-${String(day).padStart(2, '0')}T1${i % 10}:00:00.${String((i * 7) % 1000).padStart(3, '0')}Z`,
    };
  });
  const memberships = users.flatMap((u) =>
    groups
      .slice(0, 3)
      .filter(() => rand() < 0.35)
      .map((g) => ({ userId: u.id, groupId: g.id })),
  );
  return { environments: [{ name: 'Differential', populations, groups, users, memberships }] };
}
