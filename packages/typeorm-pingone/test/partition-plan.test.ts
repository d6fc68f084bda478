import fc from 'fast-check';
import { scim, serializeScimFilter } from '@typeorm-pingone/client';
import { planPartitions } from '../src/planner/partition-plan';

/*
 * Partition plans for any populations (sizes 0 to 100,000, 1 to 120 of them), any enabled share and page size: every
 * population is in exactly one partition, whole or as both of its `enabled` halves (so the partitions are disjoint
 * and their union is every user); no partition is longer than the plan's critical path; and the plan is no longer
 * than the largest population alone.
 */
const populations = fc.uniqueArray(fc.record({ id: fc.uuid(), size: fc.integer({ min: 0, max: 100_000 }) }), {
  minLength: 1,
  maxLength: 120,
  selector: (p) => p.id,
});
const pages = (users: number, pageSize: number) => Math.max(1, Math.ceil(users / pageSize));

test('every population in exactly one partition, whole or split by enabled; no partition longer than the plan says', () => {
  fc.assert(
    fc.property(
      populations,
      fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      fc.integer({ min: 1, max: 1000 }),
      fc.boolean(),
      (pops, share, pageSize, based) => {
        const base = based ? scim.valuePath('memberOfGroups', scim.eq('id', 'g')) : undefined;
        const plan = planPartitions(base, pops, pageSize, share);
        const cells = plan.partitions.flatMap((p) => p.cells);
        for (const pop of pops) {
          const mine = cells.filter((c) => c.population === pop.id);
          // whole, or the two halves of enabled
          if (mine.length === 1) expect(mine[0].enabled).toBeUndefined();
          else expect(mine.map((c) => c.enabled).sort()).toEqual([false, true]);
          expect(mine.reduce((n, c) => n + c.size, 0)).toBeCloseTo(pop.size, 6);
        }
        expect(cells).toHaveLength(new Set(cells.map((c) => `${c.population} ${String(c.enabled)}`)).size);
        for (const p of plan.partitions) {
          expect(pages(p.estimate, pageSize)).toBeLessThanOrEqual(plan.pages);
          expect(p.cells.length).toBeLessThanOrEqual(40);
          // the filter names exactly its cells, under the base filter
          const text = serializeScimFilter(p.filter);
          for (const c of p.cells) expect(text).toContain(`population.id eq "${c.population}"`);
          if (base) expect(text.startsWith('memberOfGroups[id eq "g"] and ')).toBe(true);
        }
        expect(plan.pages).toBeLessThanOrEqual(pages(Math.max(...pops.map((p) => p.size)), pageSize));
        // a population split by enabled was split because that shortened the plan
        if (cells.some((c) => c.enabled !== undefined))
          expect(plan.pages).toBeLessThan(pages(Math.max(...pops.map((p) => p.size)), pageSize));
      },
    ),
    { seed: 29, numRuns: 300 },
  );
});

test('small populations share a request; empty ones cost none of their own', () => {
  const plan = planPartitions(
    undefined,
    [
      { id: 'big', size: 1000 },
      { id: 'a', size: 300 },
      { id: 'b', size: 250 },
      { id: 'empty', size: 0 },
    ],
    200,
    undefined,
  );
  expect(plan.pages).toBe(5);
  // largest first, each into the first partition with room: the empty population rides with the largest
  expect(plan.partitions.map((p) => serializeScimFilter(p.filter))).toEqual([
    'population.id eq "big" or population.id eq "empty"',
    'population.id eq "a" or population.id eq "b"',
  ]);
});
