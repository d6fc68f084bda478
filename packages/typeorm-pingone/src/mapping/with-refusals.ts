import type { RefusedCells, TableMapping } from './table-mapping';

/** The mappings with the DataSource's refused filter cells attached, so the planner leaves those cells out. */
export function withRefusals(mappings: ReadonlyMap<string, TableMapping>, refusals: RefusedCells): ReadonlyMap<string, TableMapping> {
  return new Map([...mappings].map(([table, mapping]) => [table, Object.freeze({ ...mapping, refusals })]));
}
