export { PingOneDataSource } from './pingone-data-source';
export type { PingOneDataSourceOptions } from './data-source-options';
export { PingOneDriver } from './pingone-driver';
export { PingOneQueryRunner } from './pingone-query-runner';
export { PingOneDriverError, PingOneWriteOutcomeUnknownError, PingOneFilterRefusedError, type PingOneDriverErrorCode } from './errors';
export { PingOneAttribute } from './mapping/pingone-attribute';
export { PingOneMappingError } from './mapping/mapping-problems';
export { ATTRIBUTE_CATALOG, type ResourceName, type AttributeKind, type AttributeInfo } from './mapping/attribute-catalog';
export type { TableMapping, ResourceTableMapping, MembershipTableMapping, ColumnMapping, MemberKind } from './mapping/table-mapping';
export { pingOneSourceOf } from './mapping/pingone-source';
export { User } from './entities/user.entity';
export { Group, GroupMemberCounts, type GroupCustomData } from './entities/group.entity';
export { Population } from './entities/population.entity';
export { UserGroupMembership } from './entities/user-group-membership.entity';
export { GroupTotals, GroupTotalCounts } from './entities/group-totals.entity';
export { Role } from './entities/role.entity';
export { UserRoleAssignment, GroupRoleAssignment, ApplicationRoleAssignment, type RoleScopeType } from './entities/role-assignment.entity';
export { Application, ApplicationGrant, ApplicationAttributeMapping } from './entities/application.entity';
export { IdentityProvider, LinkedAccount } from './entities/identity-provider.entity';
export { UserSession } from './entities/user-session.entity';
export { PasswordPolicy } from './entities/password-policy.entity';
export { AuditActivity } from './entities/audit-activity.entity';
export { Environment, Organization, License } from './entities/environment.entity';
export { DIRECTORY_ENTITIES } from './entities/directory-entities';
export { UserName, UserAddress, UserAccount, UserLifecycle } from './entities/user-parts';
export { pushdownMatrixMarkdown } from './planner/pushdown-matrix';
export {
  PLANNER_FILTER_SHAPES,
  classifyFilter,
  filterStructure,
  type PlannerFilterShape,
  type ShapeSampleIds,
} from './planner/filter-shapes';
export { plannerShapesModule } from './planner/planner-shapes-module';
export type { FilterLedger } from './planner/filter-ledger';
export { countRoundTrips } from './executor/request-pool';
export type { PreparedStatement, ResultColumn } from './prepared-statement';
export type { PlanReport, PlanCondition, ReportedStep, TracedRequest } from './executor/plan-trace';
// for tools that read SQL as the driver does (pingone-sql's completion): tokens with their places, and its errors
export { tokenize, SqlSyntaxError, type Token } from './sql/sql-lexer';
export { replaceLiterals, splitStatements } from './sql/statement-splitter';
export type { SqlLimits } from './sql/statement-limits';
// Where a TypeORM user looks for them (docs/nestjs.md): the client's readers of PINGONE_* variables and pingone:// URLs.
export { pingOneOptionsFromEnv, pingOneOptionsFromUrl } from '@typeorm-pingone/client';
export type { PingOneTransactionJournalOptions } from './journal/journal-options';
export type { InterruptedTransaction, RecoveredTransaction } from './journal/transaction-recovery';
