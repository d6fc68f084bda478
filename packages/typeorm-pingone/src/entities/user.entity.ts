import { PingOneAttribute } from '../mapping/pingone-attribute';
import { Column, Entity, JoinColumn, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Group } from './group.entity';
import { Population } from './population.entity';
import { UserAccount, UserAddress, UserLifecycle, UserName } from './user-parts';

/**
 * A PingOne user, ready to use or extend. Nested attributes are embedded (`name.given` → column `nameGiven`);
 * `population` is the user's population (PingOne `population.id`), `groups` its direct group memberships,
 * `effectiveGroups` every group it is in (through nesting and dynamic groups too).
 * Declare your own entity on table 'users' with only the columns you need, if you prefer.
 */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) username!: string;
  @Column({ type: 'varchar', nullable: true }) email?: string | null;
  @Column(() => UserName) name?: UserName;
  @Column({ type: 'varchar', nullable: true }) nickname?: string | null;
  @Column({ type: 'varchar', nullable: true }) title?: string | null;
  /** PingOne's `type`: the employee type, e.g. `Contractor` */
  @Column({ type: 'varchar', nullable: true }) type?: string | null;
  @Column({ type: 'varchar', nullable: true }) locale?: string | null;
  @Column({ type: 'varchar', nullable: true }) preferredLanguage?: string | null;
  @Column({ type: 'varchar', nullable: true }) timezone?: string | null;
  @Column({ type: 'varchar', nullable: true }) primaryPhone?: string | null;
  @Column({ type: 'varchar', nullable: true }) mobilePhone?: string | null;
  @Column({ type: 'varchar', nullable: true }) externalId?: string | null;
  @Column(() => UserAddress) address?: UserAddress;
  @Column({ type: 'boolean', nullable: true }) enabled?: boolean | null;
  @Column(() => UserAccount) account?: UserAccount;
  @Column(() => UserLifecycle) lifecycle?: UserLifecycle;
  @Column({ type: 'boolean', nullable: true }) mfaEnabled?: boolean | null;
  /** the external identity provider that manages the user (`identity_providers`); none: PingOne itself */
  @PingOneAttribute('identityProvider.id') @Column({ type: 'varchar', nullable: true }) identityProviderId?: string | null;
  /** read-only */
  @Column({ type: 'varchar', nullable: true }) verifyStatus?: string | null;
  /** read-only */
  @Column({ type: 'datetime', nullable: true }) createdAt?: Date | null;
  /** read-only */
  @Column({ type: 'datetime', nullable: true }) updatedAt?: Date | null;

  @ManyToOne(() => Population, (population) => population.users, { nullable: true })
  @JoinColumn({ name: 'populationId' })
  population?: Relation<Population> | null;

  @ManyToMany(() => Group, (group) => group.users)
  @JoinTable({ name: 'group_memberships', joinColumn: { name: 'userId' }, inverseJoinColumn: { name: 'groupId' } })
  groups?: Relation<Group>[];

  /**
   * Every group the user is in: directly, through nesting, or by a dynamic group's filter. Read-only (persistence:
   * false: `save()` never writes it); change memberships through `groups`, nesting or the group's userFilter.
   */
  @ManyToMany(() => Group, (group) => group.effectiveUsers, { persistence: false })
  @JoinTable({ name: 'effective_group_memberships', joinColumn: { name: 'userId' }, inverseJoinColumn: { name: 'groupId' } })
  effectiveGroups?: Relation<Group>[];
}
