import { Column } from 'typeorm';

/** `name` of a PingOne user (embedded: columns nameGiven, nameFamily, …). */
export class UserName {
  @Column({ type: 'varchar', nullable: true }) formatted?: string | null;
  @Column({ type: 'varchar', nullable: true }) given?: string | null;
  @Column({ type: 'varchar', nullable: true }) middle?: string | null;
  @Column({ type: 'varchar', nullable: true }) family?: string | null;
  @Column({ type: 'varchar', nullable: true }) honorificPrefix?: string | null;
  @Column({ type: 'varchar', nullable: true }) honorificSuffix?: string | null;
}

/** `address` of a PingOne user. */
export class UserAddress {
  @Column({ type: 'varchar', nullable: true }) streetAddress?: string | null;
  @Column({ type: 'varchar', nullable: true }) locality?: string | null;
  @Column({ type: 'varchar', nullable: true }) region?: string | null;
  @Column({ type: 'varchar', nullable: true }) postalCode?: string | null;
  @Column({ type: 'varchar', nullable: true }) countryCode?: string | null;
}

/** `account` of a PingOne user (lock state; `canAuthenticate`). */
export class UserAccount {
  @Column({ type: 'boolean', nullable: true }) canAuthenticate?: boolean | null;
  /** `OK` or `LOCKED` */
  @Column({ type: 'varchar', nullable: true }) status?: string | null;
}

/** `lifecycle` of a PingOne user. */
export class UserLifecycle {
  /** `ACCOUNT_OK` or `VERIFICATION_REQUIRED` */
  @Column({ type: 'varchar', nullable: true }) status?: string | null;
}
