import { PingOneAttribute } from '../mapping/pingone-attribute';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';

/**
 * An application of every protocol PingOne lists (`protocol`: OPENID_CONNECT, SAML, WS_FED, EXTERNAL_LINK; `type`:
 * WEB_APP, NATIVE_APP, SINGLE_PAGE_APP, WORKER, SERVICE, PORTAL_LINK_APP, …), in one table, read-only. Its client
 * secret is never a column (the client drops it). `accessGroups`: the groups whose members may use it
 * (`accessControl.group.groups`, JSON), with `accessGroupType` ANY_GROUP or ALL_GROUPS.
 */
@Entity('applications')
export class Application {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) description?: string | null;
  @Column({ type: 'varchar' }) protocol!: string;
  @Column({ type: 'varchar' }) type!: string;
  @Column({ type: 'boolean', nullable: true }) enabled?: boolean | null;
  @Column({ type: 'varchar', nullable: true }) homePageUrl?: string | null;
  @Column({ type: 'varchar', nullable: true }) clientId?: string | null;
  @Column({ type: 'varchar', nullable: true }) tokenEndpointAuthMethod?: string | null;
  @Column({ type: 'simple-array', nullable: true }) grantTypes?: string[] | null;
  @Column({ type: 'simple-array', nullable: true }) redirectUris?: string[] | null;
  @Column({ type: 'varchar', nullable: true }) spEntityId?: string | null;
  @Column({ type: 'varchar', nullable: true }) domainName?: string | null;
  @PingOneAttribute('accessControl.group.type') @Column({ type: 'varchar', nullable: true }) accessGroupType?: string | null;
  @PingOneAttribute('accessControl.group.groups') @Column({ type: 'simple-json', nullable: true }) accessGroups?: { id: string }[] | null;
  @PingOneAttribute('accessControl.role.type') @Column({ type: 'varchar', nullable: true }) accessRoleType?: string | null;
  @Column({ type: 'datetime', nullable: true }) createdAt?: Date | null;
  @Column({ type: 'datetime', nullable: true }) updatedAt?: Date | null;
}

/** An application's grant of a resource's scopes (`/applications/{id}/grants`), read-only, per application. */
@Entity('application_grants')
export class ApplicationGrant {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) applicationId!: string;
  @Column({ type: 'varchar', nullable: true }) resourceId?: string | null;
  @Column({ type: 'simple-json', nullable: true }) scopes?: { id: string }[] | null;

  @ManyToOne(() => Application, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'applicationId' })
  application?: Relation<Application>;
}

/** An attribute an application's tokens or assertions carry (`/applications/{id}/attributes`), read-only, per application. */
@Entity('application_attribute_mappings')
export class ApplicationAttributeMapping {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) applicationId!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar', nullable: true }) value?: string | null;
  @Column({ type: 'boolean', nullable: true }) required?: boolean | null;
  @Column({ type: 'varchar', nullable: true }) mappingType?: string | null;

  @ManyToOne(() => Application, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'applicationId' })
  application?: Relation<Application>;
}
