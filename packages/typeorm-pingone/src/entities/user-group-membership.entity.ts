import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Group } from './group.entity';
import { User } from './user.entity';

/**
 * One group membership of a user as PingOne lists it, with its type: DIRECT (added: insert and delete it here, as
 * in `User.groups`) or INDIRECT (through group nesting or a dynamic group's userFilter: read-only).
 */
@Entity('user_group_memberships')
export class UserGroupMembership {
  @PrimaryColumn({ type: 'varchar' }) userId!: string;
  @PrimaryColumn({ type: 'varchar' }) groupId!: string;
  /** `DIRECT` or `INDIRECT` */
  @Column({ type: 'varchar', nullable: true }) type?: 'DIRECT' | 'INDIRECT' | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'userId' })
  user?: Relation<User>;

  @ManyToOne(() => Group, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'groupId' })
  group?: Relation<Group>;
}
