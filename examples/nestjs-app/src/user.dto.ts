import { IsNotEmpty, IsOptional, IsString, IsUUID } from 'class-validator';

/*
 * The bodies this app accepts, checked by Nest's ValidationPipe (registered in app.module.ts) before any PingOne
 * request: a missing or wrongly typed field is a 400 naming it, and a field not declared here (`id`, `createdAt`,
 * anything PingOne sets) is a 400 too, never dropped without a word. What only PingOne knows (a valid email, a free
 * username, an existing population) is PingOne's to answer; PingOneExceptionFilter passes its answer on.
 */
export class CreateUserDto {
  @IsString() @IsNotEmpty() readonly username!: string;
  @IsString() @IsNotEmpty() readonly email!: string;
  @IsOptional() @IsString() readonly givenName?: string;
  @IsOptional() @IsString() readonly familyName?: string;
  @IsOptional() @IsString() readonly type?: string;
  /** the user's population (GET /groups shows each group's); without it, the environment's default population */
  @IsOptional() @IsUUID() readonly populationId?: string;
}
