import { Column, Entity, JoinColumn, ManyToMany, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Population } from './population.entity';
import { User } from './user.entity';

/**
 * A group's `customData`: a JSON object. Typed as an object of JSON values (nested objects and arrays as `object`)
 * rather than `Record<string, unknown>`, so TypeORM's `repository.update(id, body: Partial<Group>)` type-checks: its
 * `QueryDeepPartialEntity` can't take `unknown` values, nor a recursive JSON type (too deep to instantiate).
 */
export type GroupCustomData = { [key: string]: string | number | boolean | null | object };

/** Direct member counts PingOne keeps on each group (read-only). */
export class GroupMemberCounts {
  @Column({ type: 'int', nullable: true }) users?: number | null;
  @Column({ type: 'int', nullable: true }) groups?: number | null;
}

/** A PingOne group. `population` is set for population groups (fixed after create), absent for environment groups. */
@Entity('groups')
export class Group {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) description?: string | null;
  @Column({ type: 'varchar', nullable: true }) externalId?: string | null;
  @Column({ type: 'varchar', nullable: true }) userFilter?: string | null;
  /** free-form JSON (an object) */
  @Column({ type: 'simple-json', nullable: true }) customData?: GroupCustomData | null;
  /** read-only */
  @Column(() => GroupMemberCounts) directMemberCounts?: GroupMemberCounts;
  @Column({ type: 'datetime', nullable: true }) createdAt?: Date | null;
  @Column({ type: 'datetime', nullable: true }) updatedAt?: Date | null;

  @ManyToOne(() => Population, { nullable: true })
  @JoinColumn({ name: 'populationId' })
  population?: Relation<Population> | null;

  @ManyToMany(() => User, (user) => user.groups)
  users?: Relation<User>[];
}
