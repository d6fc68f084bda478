import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An administrator role: PingOne's built-in ones (`GET /roles`, type PLATFORM) and the environment's custom ones
 * (type CUSTOM). Read-only. `applicableTo` lists the scopes it can be assigned at (ORGANIZATION, ENVIRONMENT,
 * POPULATION, APPLICATION); `permissions` is PingOne's list, as JSON.
 */
@Entity('roles')
export class Role {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) description?: string | null;
  /** `PLATFORM` (built in) or `CUSTOM` */
  @Column({ type: 'varchar', nullable: true }) type?: 'PLATFORM' | 'CUSTOM' | null;
  @Column({ type: 'simple-array', nullable: true }) applicableTo?: string[] | null;
  @Column({ type: 'simple-json', nullable: true }) permissions?: { id?: string; classifier?: string; description?: string }[] | null;
}
