import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Application } from './application.entity';
import { Group } from './group.entity';
import { Role } from './role.entity';
import { User } from './user.entity';

/** Where a role applies: the organization, an environment, a population or an application (`scopeId` is its id). */
export type RoleScopeType = 'ORGANIZATION' | 'ENVIRONMENT' | 'POPULATION' | 'APPLICATION';

/** What every role assignment has (a plain class: only its subclasses are tables). */
abstract class RoleAssignmentColumns {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) roleId!: string;
  @Column({ type: 'varchar' }) scopeId!: string;
  @Column({ type: 'varchar' }) scopeType!: RoleScopeType;
  /** PingOne's readOnly: whether the current actor may not delete it */
  @Column({ type: 'boolean', nullable: true }) readOnly?: boolean | null;

  @ManyToOne(() => Role, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'roleId' })
  role?: Relation<Role>;
}

/**
 * A role a user holds at a scope (`/users/{id}/roleAssignments`). PingOne lists them per user: a statement names the
 * users (`userId`), or joins them. Insert one to assign a role, delete it to take the role back.
 */
@Entity('user_role_assignments')
export class UserRoleAssignment extends RoleAssignmentColumns {
  @PrimaryColumn({ type: 'varchar' }) userId!: string;

  @ManyToOne(() => User, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'userId' })
  user?: Relation<User>;
}

/** A role a group holds at a scope (its members hold it): `/groups/{id}/roleAssignments`, per group. */
@Entity('group_role_assignments')
export class GroupRoleAssignment extends RoleAssignmentColumns {
  @PrimaryColumn({ type: 'varchar' }) groupId!: string;

  @ManyToOne(() => Group, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'groupId' })
  group?: Relation<Group>;
}

/** A role an application (a worker) holds at a scope: `/applications/{id}/roleAssignments`, per application. */
@Entity('application_role_assignments')
export class ApplicationRoleAssignment extends RoleAssignmentColumns {
  @PrimaryColumn({ type: 'varchar' }) applicationId!: string;

  @ManyToOne(() => Application, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'applicationId' })
  application?: Relation<Application>;
}
