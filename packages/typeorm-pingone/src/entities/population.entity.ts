import { Column, Entity, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { PingOneAttribute } from '../mapping/pingone-attribute';
import { User } from './user.entity';

/** A PingOne population. `userCount` is read-only; exactly one population is the default. */
@Entity('populations')
export class Population {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) description?: string | null;
  @PingOneAttribute('default')
  @Column({ type: 'boolean', name: 'isDefault', nullable: true })
  isDefault?: boolean | null;
  @Column({ type: 'int', nullable: true }) userCount?: number | null;
  /** the population's password policy (`password_policies`; none: the environment's default) */
  @PingOneAttribute('passwordPolicy.id') @Column({ type: 'varchar', nullable: true }) passwordPolicyId?: string | null;
  @Column({ type: 'datetime', nullable: true }) createdAt?: Date | null;
  @Column({ type: 'datetime', nullable: true }) updatedAt?: Date | null;

  @OneToMany(() => User, (user) => user.population)
  users?: Relation<User>[];
}
