import { PingOneAttribute } from '../mapping/pingone-attribute';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A password policy (populations reference one: `passwordPolicy.id`), read-only. */
@Entity('password_policies')
export class PasswordPolicy {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) description?: string | null;
  @PingOneAttribute('default') @Column({ type: 'boolean', nullable: true }) isDefault?: boolean | null;
  @PingOneAttribute('length.min') @Column({ type: 'int', nullable: true }) minLength?: number | null;
  @PingOneAttribute('length.max') @Column({ type: 'int', nullable: true }) maxLength?: number | null;
  @Column({ type: 'int', nullable: true }) maxAgeDays?: number | null;
  @Column({ type: 'int', nullable: true }) minAgeDays?: number | null;
  @PingOneAttribute('history.count') @Column({ type: 'int', nullable: true }) historyCount?: number | null;
  @PingOneAttribute('lockout.failureCount') @Column({ type: 'int', nullable: true }) lockoutFailureCount?: number | null;
  @Column({ type: 'boolean', nullable: true }) excludesCommonlyUsed?: boolean | null;
  @Column({ type: 'int', nullable: true }) populationCount?: number | null;
}
