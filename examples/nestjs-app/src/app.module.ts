import { Inject, Module, ValidationPipe, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import { PingOneExceptionFilter } from 'typeorm-pingone/nestjs';
import { connectPingOne, type PingOneConnection } from './pingone-connection.js';
import { DirectoryController } from './directory.controller.js';
import { DirectoryService } from './directory.service.js';
import { PlanController } from './plan.controller.js';
import { PlanService } from './plan.service.js';

/** The running connection (e2e tests reach the embedded simulator's fault controls through it). */
export const PINGONE_CONNECTION = Symbol('PINGONE_CONNECTION');

// TypeOrmModule's dataSourceFactory gets only TypeORM options, so the connection (the real PingOne, or the embedded
// simulator) is shared through this promise: one per running application.
let shared: Promise<PingOneConnection> | undefined;
const connection = (): Promise<PingOneConnection> => (shared ??= connectPingOne());

@Module({
  providers: [{ provide: PINGONE_CONNECTION, useFactory: connection }],
  exports: [PINGONE_CONNECTION],
})
class PingOneConnectionModule implements OnApplicationShutdown {
  constructor(@Inject(PINGONE_CONNECTION) private readonly pingone: PingOneConnection) {}

  async onApplicationShutdown(): Promise<void> {
    shared = undefined;
    await this.pingone.simulator?.close();
  }
}

@Module({
  imports: [
    PingOneConnectionModule,
    TypeOrmModule.forRootAsync({
      useFactory: () => ({ retryAttempts: 0 }),
      // The PingOne driver comes in through dataSourceFactory: TypeORM itself has no driver registry.
      dataSourceFactory: async () => {
        const { options } = await connection();
        return new PingOneDataSource({ entities: [User, Group, Population], pingone: options, logging: ['error', 'warn'] }).initialize();
      },
    }),
    TypeOrmModule.forFeature([User, Group, Population]),
  ],
  // PlanController serves the plan page at / (SQL in, rows and the driver's plan out: reads only)
  controllers: [DirectoryController, PlanController],
  providers: [
    DirectoryService,
    PlanService,
    // Bodies are checked against their DTO before any PingOne request: a missing or wrongly typed field is a 400
    // naming it; a field the DTO doesn't declare (`id`, `createdAt`) is a 400 too, not silently dropped; no type
    // conversion (`{"username": 42}` is refused, not stored as "42"; query parameters stay BoundedIntPipe's to parse).
    { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }) },
    // PingOne's 400/404/409/429/5xx answers reach the caller as such, with PingOne's message and correlation id;
    // the driver's client errors (a read-only attribute) are 400s.
    { provide: APP_FILTER, useClass: PingOneExceptionFilter },
  ],
})
export class AppModule {}
