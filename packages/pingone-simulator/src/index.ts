export { startSimulator, type SimulatorOptions, type RunningSimulator } from './start-simulator';
export type { FaultBody, FaultControls, InjectedFailure, RateLimit, RequestMatcher, TokenFailure } from './fault-controls';
export type { LoggedRequest, RequestLog } from './request-log';
export { SimulatorStore } from './store/simulator-store';
export { Environment, type WorkerClient } from './store/environment';
export { DEFAULT_ENVIRONMENT_ID, DEFAULT_CLIENT_ID, INTERACTIVE_CLIENT_ID, type SeedData, type SeedEnvironment } from './seed/seed-data';
export type { CustomAttributeSeed, SchemaAttributeDefinition } from './store/user-schema';
export { demoSeed, type DemoSeedOptions } from './seed/demo-seed';
export {
  FILTER_MATRIX,
  WEAK_FILTER_CELLS,
  CASE_INSENSITIVE_ATTRIBUTES,
  TYPED_MEMBERSHIP_COMBINED,
  parseScimFilter,
  validateScimFilter,
  matchesScimFilter,
  ScimFilterError,
  ScimFilterSyntaxError,
  UnsupportedScimFilterError,
  type FilterResource,
  type ScimExpression,
} from './scim';
export { pkceChallenge } from './store/authorization-grants';
