import { Body, Controller, Get, Module, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import { PingOneExceptionFilter } from 'typeorm-pingone/nestjs';
import type { PingOneClientOptions } from '@typeorm-pingone/client';
import { BoundedIntPipe } from './bounded-int.pipe';

@Controller('users')
class UsersController {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  @Get()
  list(
    @Query('type') type: string | undefined,
    @Query('limit', new BoundedIntPipe('limit', { min: 1, max: 200, fallback: 10 })) limit: number,
  ) {
    return this.users.find({ where: type ? { type } : {}, order: { username: 'ASC' }, take: limit });
  }

  @Get(':id')
  async one(@Param('id', ParseUUIDPipe) id: string) {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundException(`No user ${id}.`);
    return user;
  }

  @Post()
  create(@Body() body: { username?: string; email?: string }) {
    return this.users.save(this.users.create({ username: body.username ?? '', email: body.email ?? null }));
  }
}

/** A CommonJS NestJS 11 module: the same driver and exception filter, loaded with require(). */
@Module({})
export class AppModule {
  static forPingOne(pingone: PingOneClientOptions) {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ retryAttempts: 0 }),
          dataSourceFactory: async () => new PingOneDataSource({ entities: [User, Group, Population], pingone }).initialize(),
        }),
        TypeOrmModule.forFeature([User]),
      ],
      controllers: [UsersController],
      providers: [{ provide: APP_FILTER, useClass: PingOneExceptionFilter }],
    };
  }
}
