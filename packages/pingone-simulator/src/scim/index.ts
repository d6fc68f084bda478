export type { ScimExpression, ScimOperator, ScimLiteral } from './scim-expression';
export { ScimFilterError, ScimFilterSyntaxError, UnsupportedScimFilterError } from './scim-errors';
export { parseScimFilter } from './scim-parser';
export { validateScimFilter, type FilterValidationOptions } from './validate-filter';
export { compileScimFilter, type CompiledScimFilter } from './compile-filter';
export { filterCandidates } from './filter-candidates';
export { matchesScimFilter, type MembershipView, type FilterContext } from './evaluate-filter';
export {
  FILTER_MATRIX,
  MEMBER_OF_GROUPS_ATTRIBUTES,
  WEAK_FILTER_CELLS,
  CASE_INSENSITIVE_ATTRIBUTES,
  TYPED_MEMBERSHIP_COMBINED,
  type FilterResource,
  type EndpointFilterSupport,
} from './filter-matrix';
