import { PingOneAttribute } from '../mapping/pingone-attribute';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from './user.entity';

/**
 * A user's sign-on session (`/users/{id}/sessions`, at most 10 per user), read per user: a statement names the users
 * (`userId`) or joins them. Delete a row to revoke the session.
 */
@Entity('user_sessions')
export class UserSession {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @PrimaryColumn({ type: 'varchar' }) userId!: string;
  @Column({ type: 'datetime', nullable: true }) createdAt?: Date | null;
  /** the last activity on the session */
  @Column({ type: 'datetime', nullable: true }) activeAt?: Date | null;
  @PingOneAttribute('browser.name') @Column({ type: 'varchar', nullable: true }) browser?: string | null;
  @PingOneAttribute('operatingSystem.name') @Column({ type: 'varchar', nullable: true }) operatingSystem?: string | null;
  @PingOneAttribute('device.type') @Column({ type: 'varchar', nullable: true }) deviceType?: string | null;
  @PingOneAttribute('lastSignOn.remoteIp') @Column({ type: 'varchar', nullable: true }) remoteIp?: string | null;
  @PingOneAttribute('lastSignOn.at') @Column({ type: 'datetime', nullable: true }) lastSignOnAt?: Date | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'userId' })
  user?: Relation<User>;
}
