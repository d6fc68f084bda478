import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import { PingOneExceptionFilter } from 'typeorm-pingone/nestjs';
import { connectPingOne, type PingOneConnection } from './pingone-connection.js';
import { DirectoryController } from './directory.controller.js';
import { DirectoryService } from './directory.service.js';

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
  controllers: [DirectoryController],
  // PingOne's 400/404/409/429/5xx answers reach the caller as such, with PingOne's message and correlation id.
  providers: [DirectoryService, { provide: APP_FILTER, useClass: PingOneExceptionFilter }],
})
export class AppModule {}
