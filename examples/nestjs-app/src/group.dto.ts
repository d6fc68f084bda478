import { IsNotEmpty, IsObject, IsOptional, IsString, IsUUID } from 'class-validator';
import type { GroupCustomData } from 'typeorm-pingone';

/** PATCH /groups/:id: the attributes to change (ValidationPipe: types checked, undeclared fields refused). */
export class UpdateGroupDto {
  @IsOptional() @IsString() @IsNotEmpty() readonly name?: string;
  @IsOptional() @IsString() readonly description?: string;
  @IsOptional() @IsObject() readonly customData?: GroupCustomData;
  /** a group's population is fixed after create: PingOne refuses a change, and the driver says so (a 400) */
  @IsOptional() @IsUUID() readonly populationId?: string;
}
