import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every user in a group: direct members, members of nested groups and users its userFilter selects. */
export class GroupTotalCounts {
  @Column({ type: 'int', nullable: true }) users?: number | null;
}

/**
 * A group with PingOne's member totals (`totalMemberCounts.users`, read-only). PingOne returns them only when one
 * group is read with `include=totalMemberCounts`, so a statement that reads them costs one request per group (by id
 * alone when the WHERE pins the ids); `Group` leaves them out, so its reads never pay for them.
 */
@Entity('groups')
export class GroupTotals {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column(() => GroupTotalCounts) totalMemberCounts?: GroupTotalCounts;
}
