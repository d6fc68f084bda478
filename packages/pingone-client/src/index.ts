export { createPingOneClient, PingOneClient, type EnvironmentSummary } from './pingone-client';
export type {
  PingOneClientOptions,
  PingOneLogger,
  RetryOptions,
  RateLimitOptions,
  InteractiveOAuthOptions,
  RedisStoreOptions,
} from './config/client-options';
export { openRedisConnection, type RedisConnection, type RedisArgument } from './store/redis-connection';
export { sealValue, openSealedValue } from './store/sealed-value';
export { resolveRedisStore, ResolvedRedisStore, type StorePurpose } from './config/resolve-store';
export { planSlots, type SlotPlan } from './http/shared-rate-limiter';
export { FileTokenStore, MemoryTokenStore, type TokenStore, type StoredTokens } from './auth/token-store';
export { pingOneOptionsFromEnv, pingOneOptionsFromUrl, hasPingOneEnv } from './config/options-from-sources';
export { REGIONS, parseRegion, type PingOneRegion } from './regions';
export {
  PingOneError,
  PingOneApiError,
  PingOneNetworkError,
  PingOneTimeoutError,
  PingOneOutcomeUnknownError,
  PingOneConfigError,
  PingOneAuthError,
  PingOneAbortError,
  PingOneInvalidIdError,
  PingOneResponseTooLargeError,
  urlForMessage,
  type PingOneErrorCode,
  type PingOneErrorDetail,
} from './errors';
export type { TokenProvider } from './auth/token-provider';
export { StaticTokenProvider } from './auth/token-provider';
export type { RequestOptions, ApiCall, ApiResult } from './http/api-requester';
export { ServerClock } from './http/server-clock';
export { computeRetryDelay, parseRetryAfter } from './http/retry-policy';
export type { NetworkFailureKind } from './http/network-failure';
export { PagedList, type Page } from './paging/paged-list';
export { scim, serializeScimFilter, scimLiteral, type ScimFilter, type ScimComparisonOperator, type ScimValue } from './filter/scim-filter';
export { FILTER_CAPABILITIES, caseRuleOf, type FilterableResource, type ResourceFilterCapabilities } from './filter/filter-capabilities';
export {
  FILTER_SOURCES,
  SOURCE_KINDS,
  filterCellSources,
  filterCellEvidence,
  claimedFilterCells,
  filterSourcesMarkdown,
  MEMBERSHIP_CELL,
  TYPED_MEMBERSHIP_CELL,
  MEMBERSHIP_COMBINED_CELL,
  TYPED_MEMBERSHIP_COMBINED_CELL,
  type FilterSource,
  type SourceKind,
  type CellStrength,
  type CellEvidence,
} from './filter/filter-sources';
export { filterCells, type FilterCell } from './filter/filter-cells';
export { filterRefusalOf, refusedCells, type FilterRefusal } from './filter/filter-refusal';
export { splitFilterForBudget } from './filter/filter-budget';
export type { ListParams, ExpandableListParams } from './resources/resource-context';
export { isPingOneId, MAX_ID_LENGTH } from './resources/pingone-id';
export type { UsersResource, PasswordInput, PasswordState, PasswordCheck } from './resources/users-resource';
export type { GroupsResource } from './resources/groups-resource';
export type { PopulationsResource } from './resources/populations-resource';
export type { SchemasResource, Schema, SchemaAttribute } from './resources/schemas-resource';
export type { DirectoryResources, DirectoryItem, DirectoryListParams } from './resources/directory-resources';
export { filterRequest } from './resources/filter-request';
export {
  DIRECTORY_ENDPOINTS,
  DIRECTORY_RESOURCES,
  type DirectoryResource,
  type DirectoryEndpoint,
  type ListSource,
  type ParentKey,
} from './resources/directory-endpoints';
export type * from './types/resources';
export { editDistance } from './config/edit-distance';
export { valueText } from './value-text';
export { asError } from './as-error';
export { runConformance, type ConformanceReport, type ConformanceOptions, type ConformanceCheck } from './conformance/run-conformance';
export { PLANNER_SHAPES, type PlannerShape } from './conformance/planner-shapes';
