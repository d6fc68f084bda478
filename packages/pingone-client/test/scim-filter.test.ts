import fc from 'fast-check';
import { FILTER_CAPABILITIES, filterRequest, scim, serializeScimFilter, type FilterableResource } from '../src';
import { matchesScimFilter, parseScimFilter } from '@typeorm-pingone/simulator';
import { startHarness, type Harness } from './helpers/client-under-test';

test.each([
  [scim.eq('username', 'ada'), 'username eq "ada"'],
  [scim.sw('email', 'a"b\\c'), 'email sw "a\\"b\\\\c"'],
  [scim.and(scim.eq('type', 'Contractor'), scim.eq('enabled', true)), 'type eq "Contractor" and enabled eq true'],
  [scim.or(scim.eq('id', 'a'), scim.eq('id', 'b')), 'id eq "a" or id eq "b"'],
  [scim.and(scim.or(scim.eq('id', 'a'), scim.eq('id', 'b')), scim.sw('name.given', 'A')), '(id eq "a" or id eq "b") and name.given sw "A"'],
  [
    scim.valuePath('memberOfGroups', scim.and(scim.eq('id', 'g'), scim.eq('type', 'DIRECT'))),
    'memberOfGroups[id eq "g" and type eq "DIRECT"]',
  ],
  [scim.not(scim.pr('title')), 'not (title pr)'],
  [scim.eq('x', null), 'x eq null'],
])('%j serializes to %s', (filter, text) => {
  expect(serializeScimFilter(filter)).toBe(text);
});

test('attribute paths are validated so a name cannot inject syntax', () => {
  expect(() => scim.eq('username eq "x" or id', 'y')).toThrow(/Invalid SCIM attribute path/);
  expect(() => scim.eq('', 'y')).toThrow();
  expect(() => scim.eq('a', Number.NaN)).not.toThrow();
  expect(() => serializeScimFilter(scim.eq('a', Number.NaN))).toThrow(/cannot express/);
});

test("property: for any string, `username eq <value>` parses (by PingOne's grammar) to exactly that literal", () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (value) => {
      const text = serializeScimFilter(scim.and(scim.eq('username', value), scim.eq('enabled', true)));
      const parsed = parseScimFilter(text);
      expect(parsed).toEqual({
        kind: 'and',
        left: { kind: 'compare', attribute: 'username', operator: 'eq', value },
        right: { kind: 'compare', attribute: 'enabled', operator: 'eq', value: true },
      });
      expect(matchesScimFilter(parsed, { username: value, enabled: true }, { memberOfGroups: () => [] })).toBe(true);
    }),
    { numRuns: 10_000, seed: 20261125 },
  );
});

describe('FILTER_CAPABILITIES agrees with the simulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      seed: {
        environments: [
          { customAttributes: [{ name: 'costCenter', multiValued: true }, 'shirtSize'], containsCustomAttributes: ['shirtSize'] },
        ],
      },
    });
  });
  afterAll(() => h.close());

  const pairs = (Object.keys(FILTER_CAPABILITIES) as FilterableResource[]).flatMap((resource) =>
    Object.entries(FILTER_CAPABILITIES[resource].attributes).flatMap(([attribute, operators]) =>
      operators.map((operator) => [resource, attribute, operator] as const),
    ),
  );

  test.each(pairs)('%s: %s %s is accepted', async (resource, attribute, operator) => {
    const value = attribute === 'enabled' ? true : ['gt', 'ge', 'lt', 'le'].includes(operator) ? '2024-01-01T00:00:00.000Z' : 'x';
    const filter = serializeScimFilter({ kind: 'compare', attribute, operator, value });
    // sent where the client sends it (root lists, a license's organization, the audit POST with its required range)
    const organization = String(((await h.client.getEnvironment()).organization as { id: string }).id);
    const call = filterRequest(h.client.config.apiUrl, resource, filter, 10, organization);
    const probe =
      call.method === 'POST'
        ? {
            ...call,
            body: {
              ...(call.body as object),
              filter: `${attribute} ${operator} "${String(value)}"${attribute === 'recordedat' ? ` and recordedat ${operator.startsWith('g') ? 'lt' : 'gt'} "2024-06-01T00:00:00.000Z"` : ' and recordedat gt "2024-01-01T00:00:00.000Z" and recordedat lt "2024-01-02T00:00:00.000Z"'}`,
            },
          }
        : call;
    const result = await h.client.request(probe);
    expect(result.status).toBe(200);
  });

  test('custom attribute operators and memberOfGroups are accepted where claimed', async () => {
    for (const op of FILTER_CAPABILITIES.users.customAttributeOperators) {
      const filter = serializeScimFilter({ kind: 'compare', attribute: 'costCenter', operator: op, value: 'CC' });
      expect((await h.client.request({ method: 'GET', url: '/users', query: { filter } })).status).toBe(200);
    }
    for (const op of FILTER_CAPABILITIES.users.customContainsOperators) {
      const filter = serializeScimFilter({ kind: 'compare', attribute: 'shirtSize', operator: op, value: 'L' });
      expect((await h.client.request({ method: 'GET', url: '/users', query: { filter } })).status).toBe(200);
      // …and refused on a custom attribute the schema's allowsContainsOperator doesn't cover (a multi-valued one).
      const refused = serializeScimFilter({ kind: 'compare', attribute: 'costCenter', operator: op, value: 'CC' });
      await expect(h.client.request({ method: 'GET', url: '/users', query: { filter: refused } })).rejects.toMatchObject({ status: 400 });
    }
    expect(FILTER_CAPABILITIES.users.memberOfGroupsCombined).toBe(true);
    const typed = serializeScimFilter(
      scim.and(
        scim.valuePath('memberOfGroups', scim.and(scim.eq('id', 'g1'), scim.eq('type', 'DIRECT'))),
        scim.or(scim.eq('id', 'a'), scim.eq('id', 'b')),
      ),
    );
    expect((await h.client.request({ method: 'GET', url: '/users', query: { filter: typed } })).status).toBe(200);
    const combined = serializeScimFilter(
      scim.and(
        scim.or(scim.valuePath('memberOfGroups', scim.eq('id', 'g1')), scim.valuePath('memberOfGroups', scim.eq('id', 'g2'))),
        scim.eq('name.family', 'demo'),
      ),
    );
    expect((await h.client.request({ method: 'GET', url: '/users', query: { filter: combined } })).status).toBe(200);
    for (const resource of ['users', 'groups'] as const) {
      expect(FILTER_CAPABILITIES[resource].memberOfGroups).toBe(true);
      const filter = serializeScimFilter(scim.valuePath('memberOfGroups', scim.eq('id', '00000000-0000-4000-8000-000000000000')));
      expect((await h.client.request({ method: 'GET', url: `/${resource}`, query: { filter } })).status).toBe(200);
    }
  });
});
