import { Controller, Get, Module, Query } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import type { PingOneClientOptions } from '@typeorm-pingone/client';

@Controller('users')
class UsersController {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  @Get()
  list(@Query('type') type?: string) {
    return this.users.find({ where: type ? { type } : {}, order: { username: 'ASC' }, take: 10 });
  }
}

/** A CommonJS NestJS 11 module: the same driver, loaded with require(). */
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
    };
  }
}
