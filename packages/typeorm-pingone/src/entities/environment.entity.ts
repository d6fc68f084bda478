import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';

/** The organization the credential belongs to (`GET /organizations`), read-only; a worker may lack the role to read it. */
@Entity('organizations')
export class Organization {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) description?: string | null;
  /** PAID, TRIAL or INTERNAL */
  @Column({ type: 'varchar', nullable: true }) type?: string | null;
  @Column({ type: 'datetime', nullable: true }) createdAt?: Date | null;
}

/** An organization's license (`/organizations/{id}/licenses`), read-only, per organization. */
@Entity('licenses')
export class License {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) organizationId!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) package?: string | null;
  @Column({ type: 'varchar', nullable: true }) status?: string | null;
  @Column({ type: 'datetime', nullable: true }) beginsAt?: Date | null;
  @Column({ type: 'datetime', nullable: true }) expiresAt?: Date | null;

  @ManyToOne(() => Organization, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'organizationId' })
  organization?: Relation<Organization>;
}

/**
 * An environment the credential can reach (`GET /environments`): the information schema's table, read-only.
 * `SELECT * FROM environments` lists what the worker app can read.
 */
@Entity('environments')
export class Environment {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) description?: string | null;
  /** PRODUCTION or SANDBOX */
  @Column({ type: 'varchar', nullable: true }) type?: string | null;
  @Column({ type: 'varchar', nullable: true }) region?: string | null;
  @Column({ type: 'varchar', nullable: true }) status?: string | null;
  @Column({ type: 'varchar', nullable: true }) licenseId?: string | null;
  @Column({ type: 'datetime', nullable: true }) createdAt?: Date | null;

  @ManyToOne(() => Organization, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'organizationId' })
  organization?: Relation<Organization> | null;
}
