import { FILTER_CAPABILITIES, type FilterableResource } from './filter-capabilities';
import {
  filterCellEvidence,
  MEMBERSHIP_CELL,
  MEMBERSHIP_COMBINED_CELL,
  TYPED_MEMBERSHIP_CELL,
  TYPED_MEMBERSHIP_COMBINED_CELL,
  type CellStrength,
} from './filter-sources';
import type { ScimFilter } from './scim-filter';

/**
 * One capability a filter relies on. `key` names it for one attribute (`costCenter co`, what PingOne refuses or
 * accepts, and what the driver remembers), `cell` its row in the capability table (`custom co (allowsContainsOperator)`),
 * `strength` and `weak` that row's evidence.
 */
export interface FilterCell {
  readonly key: string;
  readonly cell: string;
  readonly strength: CellStrength | 'unsourced';
  readonly weak: boolean;
  /** for comparisons: the attribute and operator, which PingOne's refusal may name */
  readonly attribute?: string;
  readonly operator?: string;
}

function hasType(filter: ScimFilter): boolean {
  if (filter.kind === 'compare') return filter.attribute === 'type';
  if (filter.kind === 'and' || filter.kind === 'or') return filter.filters.some(hasType);
  return false;
}

/** The table row a comparison belongs to: a listed attribute, or (users) a custom attribute. */
function tableCell(resource: FilterableResource, attribute: string, operator: string): string {
  const caps = FILTER_CAPABILITIES[resource];
  if (attribute in caps.attributes || resource !== 'users') return `${attribute} ${operator}`;
  return caps.customContainsOperators.includes(operator as 'co') ? `custom ${operator} (allowsContainsOperator)` : `custom ${operator}`;
}

/**
 * Every cell a filter relies on, once each: its comparisons, its `memberOfGroups[…]` terms (typed or not), and, when
 * such a term shares the filter with anything else, the combined shape.
 */
export function filterCells(resource: FilterableResource, filter: ScimFilter): FilterCell[] {
  const evidence = filterCellEvidence()[resource];
  const out = new Map<string, FilterCell>();
  const add = (key: string, cell: string, extra: { attribute?: string; operator?: string } = {}) => {
    if (out.has(key)) return;
    const e = evidence[cell];
    out.set(key, Object.freeze({ key, cell, strength: e?.strength ?? 'unsourced', weak: e?.weak ?? true, ...extra }));
  };
  let typedTerm = false;
  let anyTerm = false;
  const walk = (node: ScimFilter): void => {
    switch (node.kind) {
      case 'compare':
        add(`${node.attribute} ${node.operator}`, tableCell(resource, node.attribute, node.operator), {
          attribute: node.attribute,
          operator: node.operator,
        });
        return;
      case 'present':
        add(`${node.attribute} pr`, `${node.attribute} pr`, { attribute: node.attribute, operator: 'pr' });
        return;
      case 'not':
        add('not', 'not');
        walk(node.filter);
        return;
      case 'and':
      case 'or':
        node.filters.forEach(walk);
        return;
      case 'valuePath': {
        const typed = hasType(node.filter);
        typedTerm ||= typed;
        anyTerm = true;
        const cell = typed ? TYPED_MEMBERSHIP_CELL : MEMBERSHIP_CELL;
        add(cell, cell);
      }
    }
  };
  walk(filter);
  if (anyTerm && filter.kind !== 'valuePath') {
    const cell = typedTerm ? TYPED_MEMBERSHIP_COMBINED_CELL : MEMBERSHIP_COMBINED_CELL;
    add(cell, cell);
  }
  return [...out.values()];
}
