import { Column, Entity, JoinColumn, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
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

  /**
   * The groups this group is nested in (PingOne's `/groups/{id}/memberOfGroups`, direct nesting; cycles allowed).
   * Read through relations; nest and un-nest with `INSERT`/`DELETE` on `group_nesting` or TypeORM's relation query
   * builder (`.relation(Group, 'parentGroups').of(child).add(parent)`): `save()` leaves nesting alone (persistence:
   * false), so removing a group never costs a read of its nesting (PingOne drops it with the group).
   */
  @ManyToMany(() => Group, (group) => group.childGroups, { persistence: false })
  @JoinTable({ name: 'group_nesting', joinColumn: { name: 'childId' }, inverseJoinColumn: { name: 'parentId' } })
  parentGroups?: Relation<Group>[];

  /** The groups nested directly in this group. */
  @ManyToMany(() => Group, (group) => group.parentGroups, { persistence: false })
  childGroups?: Relation<Group>[];

  /** Every user in the group: direct members, members of nested groups, and users its userFilter selects (read-only). */
  @ManyToMany(() => User, (user) => user.effectiveGroups, { persistence: false })
  effectiveUsers?: Relation<User>[];
}
