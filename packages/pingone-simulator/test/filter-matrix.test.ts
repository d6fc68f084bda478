import {
  CASE_INSENSITIVE_ATTRIBUTES,
  FILTER_MATRIX,
  matchesScimFilter,
  parseScimFilter,
  UnsupportedScimFilterError,
  validateScimFilter,
  type FilterResource,
} from '../src';

/*
 * Walks the whole filter matrix: every supported attribute × operator parses, validates and evaluates correctly on
 * sample objects; a sample of unsupported pairs per endpoint is refused with the supported lists.
 */
const noMemberships = { memberOfGroups: () => [] };

function sampleValue(attribute: string): string | boolean {
  return attribute === 'enabled' || attribute === 'default' ? true : 'Value-Of-' + attribute.replace(/\./g, '-');
}

function objectWith(attribute: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { id: 'x' };
  let cur = out;
  const path = attribute.split('.');
  path.slice(0, -1).forEach((k) => {
    cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  });
  cur[path[path.length - 1]] = value;
  return out;
}

const pairs = (Object.keys(FILTER_MATRIX) as FilterResource[]).flatMap((resource) =>
  Object.entries(FILTER_MATRIX[resource].attributes).flatMap(([attribute, ops]) => ops.map((op) => [resource, attribute, op] as const)),
);

/** Ordering operators (audit activities' recordedat range, licenses' beginsAt): a value each side of the literal. */
const ORDERED: Readonly<Record<string, { match: string; miss: string }>> = {
  gt: { match: '2026-01-03T00:00:00Z', miss: '2026-01-02T00:00:00Z' },
  ge: { match: '2026-01-02T00:00:00Z', miss: '2026-01-01T00:00:00Z' },
  lt: { match: '2026-01-01T00:00:00Z', miss: '2026-01-02T00:00:00Z' },
  le: { match: '2026-01-02T00:00:00Z', miss: '2026-01-03T00:00:00Z' },
};

test.each(pairs)('%s: %s %s works', (resource, attribute, op) => {
  const ordered = ORDERED[op];
  if (ordered) {
    const expr = parseScimFilter(`${attribute} ${op} "2026-01-02T00:00:00Z"`);
    expect(() => validateScimFilter(expr, resource, { customAttributes: [] })).not.toThrow();
    expect(matchesScimFilter(expr, objectWith(attribute, ordered.match), noMemberships)).toBe(true);
    expect(matchesScimFilter(expr, objectWith(attribute, ordered.miss), noMemberships)).toBe(false);
    expect(matchesScimFilter(expr, { id: 'x' }, noMemberships)).toBe(false); // attribute absent
    return;
  }
  const value = sampleValue(attribute);
  if (typeof value === 'boolean' && op !== 'eq') {
    // PingOne's documented list includes `enabled sw`; it is accepted, but has no meaning for a boolean.
    expect(() => validateScimFilter(parseScimFilter(`${attribute} ${op} true`), resource, { customAttributes: [] })).not.toThrow();
    return;
  }
  const literal = typeof value === 'string' ? (op === 'sw' ? value.slice(0, 6) : op === 'ew' ? value.slice(-6) : value) : value;
  const expr = parseScimFilter(`${attribute} ${op} ${JSON.stringify(literal)}`);
  expect(() => validateScimFilter(expr, resource, { customAttributes: [] })).not.toThrow();
  expect(matchesScimFilter(expr, objectWith(attribute, value), noMemberships)).toBe(true);
  // case-insensitive, as PingOne matches strings
  if (typeof value === 'string') expect(matchesScimFilter(expr, objectWith(attribute, value.toUpperCase()), noMemberships)).toBe(true);
  expect(matchesScimFilter(expr, objectWith(attribute, typeof value === 'string' ? 'zzz' : !value), noMemberships)).toBe(false);
  expect(matchesScimFilter(expr, { id: 'x' }, noMemberships)).toBe(false); // attribute absent
});

test.each([
  ['users', 'username co "a"'],
  ['users', 'createdAt gt "2024-01-01T00:00:00Z"'],
  ['users', 'title pr'],
  ['users', 'userName eq "a"'],
  ['users', 'email ne "a"'],
  ['users', 'nickname ew "a"'],
  ['users', 'lastSignOn.at ge "2024"'],
  ['users', 'identityProvider.type eq "PING_ONE"'],
  ['groups', 'description eq "x"'],
  ['groups', 'name ew "x"'],
  ['groups', 'id sw "1"'],
  ['groups', 'name co "x"'],
  ['populations', 'description eq "x"'],
  ['populations', 'name ew "s"'],
  ['populations', 'memberOfGroups[id eq "g"]'],
  ['populations', 'userCount gt 1'],
] as const)('%s: %s is refused with the supported lists', (resource, filter) => {
  try {
    validateScimFilter(parseScimFilter(filter), resource, { customAttributes: [] });
    throw new Error('expected a refusal');
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedScimFilterError);
    expect((error as UnsupportedScimFilterError).supportedAttributes).toContain(resource === 'users' ? 'username' : 'name');
    expect((error as UnsupportedScimFilterError).supportedOperators.length).toBeGreaterThan(0);
  }
});

test('custom attributes: declared ones accept eq and sw, undeclared ones are refused', () => {
  expect(() => validateScimFilter(parseScimFilter('costCenter sw "CC"'), 'users', { customAttributes: ['costCenter'] })).not.toThrow();
  expect(() => validateScimFilter(parseScimFilter('costCenter sw "CC"'), 'users', { customAttributes: [] })).toThrow(
    UnsupportedScimFilterError,
  );
  const multi = parseScimFilter('locales eq "fr-FR"');
  expect(matchesScimFilter(multi, { id: 'x', locales: ['en-US', 'fr-FR'] }, noMemberships)).toBe(true);
});

test('co: accepted on name.given and name.family, and on custom attributes only where the schema allows contains', () => {
  for (const filter of ['name.given co "da"', 'name.family co "OVE"']) {
    expect(() => validateScimFilter(parseScimFilter(filter), 'users', { customAttributes: [] })).not.toThrow();
  }
  expect(matchesScimFilter(parseScimFilter('name.family co "OVE"'), { id: 'x', name: { family: 'Lovelace' } }, noMemberships)).toBe(true);
  const co = parseScimFilter('costCenter co "C-1"');
  expect(() => validateScimFilter(co, 'users', { customAttributes: ['costCenter'] })).toThrow(UnsupportedScimFilterError);
  expect(() =>
    validateScimFilter(co, 'users', { customAttributes: ['costCenter'], containsCustomAttributes: ['costCenter'] }),
  ).not.toThrow();
  expect(() => validateScimFilter(parseScimFilter('costCenter eq "CC-1"'), 'users', { customAttributes: ['costCenter'] })).not.toThrow();
});

test('memberOfGroups terms ORed, then ANDed with attribute conditions, are accepted and evaluated', () => {
  const expr = parseScimFilter('(memberOfGroups[id eq "g1"] or memberOfGroups[id eq "g2" and type eq "DIRECT"]) and name.family eq "demo"');
  expect(() => validateScimFilter(expr, 'users', { customAttributes: [] })).not.toThrow();
  const memberships = {
    memberOfGroups: (id: string) =>
      id === 'u2' ? [{ id: 'g2', type: 'DIRECT' as const }] : id === 'u3' ? [{ id: 'g2', type: 'INDIRECT' as const }] : [],
  };
  expect(matchesScimFilter(expr, { id: 'u2', name: { family: 'Demo' } }, memberships)).toBe(true);
  expect(matchesScimFilter(expr, { id: 'u2', name: { family: 'Other' } }, memberships)).toBe(false);
  expect(matchesScimFilter(expr, { id: 'u3', name: { family: 'demo' } }, memberships)).toBe(false);
});

test.each(['displayName eq "x"', 'displayName sw "x"', 'sourceId eq "x"'])(
  'groups: %s is accepted (PingOne\'s "Read All Groups" documents it)',
  (filter) => {
    expect(() => validateScimFilter(parseScimFilter(filter), 'groups', { customAttributes: [] })).not.toThrow();
    expect(() => validateScimFilter(parseScimFilter(filter.replace(/ (eq|sw) /, ' co ')), 'groups', { customAttributes: [] })).toThrow(
      UnsupportedScimFilterError,
    );
  },
);

describe('strict mode refuses every weakly sourced cell, and only those', () => {
  const strict = { customAttributes: ['costCenter'], containsCustomAttributes: ['costCenter'], strict: true };
  test.each([
    'name.given co "a"',
    'name.family co "a"',
    'email ew "a"',
    'name.given ew "a"',
    'name.family ew "a"',
    'costCenter co "a"',
    'memberOfGroups[id eq "g" and type eq "DIRECT"] and (id eq "u1" or id eq "u2")',
    'memberOfGroups[id eq "g" and type eq "DIRECT"] and population.id eq "p"',
    'memberOfGroups[id eq "g" and type eq "DIRECT"] or memberOfGroups[id eq "h" and type eq "DIRECT"]',
  ])('%s', (filter) => {
    expect(() => validateScimFilter(parseScimFilter(filter), 'users', { ...strict, strict: false })).not.toThrow();
    expect(() => validateScimFilter(parseScimFilter(filter), 'users', strict)).toThrow(/not supported|cannot be combined/);
  });
  test.each([
    'name.given sw "a"',
    'email eq "a"',
    'costCenter eq "a"',
    'costCenter sw "a"',
    'memberOfGroups[id eq "g" and type eq "DIRECT"]',
    'memberOfGroups[id eq "g"] and name.family eq "demo"',
    'memberOfGroups[id eq "g"] or memberOfGroups[id eq "h"]',
  ])('%s stays accepted', (filter) => {
    expect(() => validateScimFilter(parseScimFilter(filter), 'users', strict)).not.toThrow();
  });
  test('a cell refused at run time is refused with its operator left out of the supported ones', () => {
    const refused = new Set(['users name.given sw']);
    try {
      validateScimFilter(parseScimFilter('name.given sw "a"'), 'users', { customAttributes: [], refused });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedScimFilterError);
      expect((error as UnsupportedScimFilterError).supportedOperators).toEqual(['eq', 'ew', 'co']);
    }
    expect(() => validateScimFilter(parseScimFilter('name.family sw "a"'), 'users', { customAttributes: [], refused })).not.toThrow();
  });
});

test('case mode: by default every comparison folds case; case-sensitive keeps that for username and email only', () => {
  const sensitive = { ...noMemberships, foldsCase: (attribute: string) => CASE_INSENSITIVE_ATTRIBUTES.has(attribute) };
  const user = { id: 'x', username: 'Ada', email: 'Ada@Example.com', title: 'Manager', name: { given: 'Grace' } };
  for (const filter of ['username eq "ada"', 'email sw "ada@"', 'email ew "EXAMPLE.COM"']) {
    expect(matchesScimFilter(parseScimFilter(filter), user, sensitive)).toBe(true);
  }
  for (const filter of ['title eq "manager"', 'title sw "man"', 'name.given co "RAC"', 'name.given ew "ACE"']) {
    expect(matchesScimFilter(parseScimFilter(filter), user, noMemberships)).toBe(true);
    expect(matchesScimFilter(parseScimFilter(filter), user, sensitive)).toBe(false);
  }
  expect(matchesScimFilter(parseScimFilter('title sw "Man"'), user, sensitive)).toBe(true);
});
