/**
 * The single module that reaches into TypeORM's internals (deep imports of non-exported classes). TypeORM 1.1.1
 * has no driver registry (typeorm-driver-notes.md §1), so the driver extends its SQLite base classes; when TypeORM
 * changes them, this file and the classes built on it are the only places to adapt (mapping/fast-hydration.ts also
 * reads members of TypeORM's row transformer, checked before use). typeorm is pinned to 1.1.1.
 */
export { AbstractSqliteDriver } from 'typeorm/driver/sqlite-abstract/AbstractSqliteDriver';
export { AbstractSqliteQueryRunner } from 'typeorm/driver/sqlite-abstract/AbstractSqliteQueryRunner';
export { Broadcaster } from 'typeorm/subscriber/Broadcaster';
export { QueryResult } from 'typeorm/query-runner/QueryResult';
export { RawSqlResultsToEntityTransformer } from 'typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer';
export type { EmbeddedMetadata } from 'typeorm/metadata/EmbeddedMetadata';
export type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
export type { RelationMetadata } from 'typeorm/metadata/RelationMetadata';
export type { ReplicationMode } from 'typeorm/driver/types/ReplicationMode';
export type { ReadStream } from 'typeorm/platform/PlatformTools';
