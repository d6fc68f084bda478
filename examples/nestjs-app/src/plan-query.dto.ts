import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** POST /plan/query: one SQL statement (SELECT or EXPLAIN) typed on the plan page. */
export class PlanQueryDto {
  @IsString() @IsNotEmpty() @MaxLength(20_000) readonly sql!: string;
}
