import { PingOneAttribute } from '../mapping/pingone-attribute';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from './user.entity';

/**
 * An external identity provider (`type`: GOOGLE, FACEBOOK, MICROSOFT, APPLE, OPENID_CONNECT, SAML, …), read-only;
 * its secrets are never columns. `registrationPopulationId`: where it creates the users it signs in.
 */
@Entity('identity_providers')
export class IdentityProvider {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) description?: string | null;
  @Column({ type: 'varchar' }) type!: string;
  @Column({ type: 'boolean', nullable: true }) enabled?: boolean | null;
  @PingOneAttribute('registration.population.id') @Column({ type: 'varchar', nullable: true }) registrationPopulationId?: string | null;
  @Column({ type: 'datetime', nullable: true }) createdAt?: Date | null;
  @Column({ type: 'datetime', nullable: true }) updatedAt?: Date | null;
}

/**
 * A user's account at an external identity provider (`/users/{id}/linkedAccounts`), per user; delete it to unlink.
 */
@Entity('linked_accounts')
export class LinkedAccount {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @PrimaryColumn({ type: 'varchar' }) userId!: string;
  @Column({ type: 'varchar', nullable: true }) identityProviderId?: string | null;
  @Column({ type: 'varchar', nullable: true }) identityProviderType?: string | null;
  @Column({ type: 'varchar', nullable: true }) externalId?: string | null;
  @Column({ type: 'datetime', nullable: true }) createdAt?: Date | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'userId' })
  user?: Relation<User>;

  @ManyToOne(() => IdentityProvider, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'identityProviderId' })
  identityProvider?: Relation<IdentityProvider>;
}
