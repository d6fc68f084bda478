import { PingOneAttribute } from '../mapping/pingone-attribute';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An audit event (`/activities`), read-only. PingOne keeps the last 14 days here and requires a `recordedAt` range:
 * bounds the WHERE doesn't give are the edges of that window. Pushed to PingOne: the range, and one of action type,
 * actor, resource id or type, correlation id (plus the population); the query goes in a POST body, so the personal
 * data of the filter stays out of URLs. `resources*` are the first affected resource; `resources` all of them (JSON).
 */
@Entity('audit_activities')
export class AuditActivity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'datetime' }) recordedAt!: Date;
  @Column({ type: 'varchar', nullable: true }) correlationId?: string | null;
  @PingOneAttribute('action.type') @Column({ type: 'varchar', nullable: true }) actionType?: string | null;
  @PingOneAttribute('action.description') @Column({ type: 'varchar', nullable: true }) actionDescription?: string | null;
  @PingOneAttribute('actors.user.id') @Column({ type: 'varchar', nullable: true }) actorUserId?: string | null;
  @PingOneAttribute('actors.user.name') @Column({ type: 'varchar', nullable: true }) actorUserName?: string | null;
  @PingOneAttribute('actors.client.id') @Column({ type: 'varchar', nullable: true }) actorClientId?: string | null;
  @PingOneAttribute('resources.id') @Column({ type: 'varchar', nullable: true }) resourceId?: string | null;
  @PingOneAttribute('resources.type') @Column({ type: 'varchar', nullable: true }) resourceType?: string | null;
  @PingOneAttribute('resources.name') @Column({ type: 'varchar', nullable: true }) resourceName?: string | null;
  @PingOneAttribute('resources.population.id') @Column({ type: 'varchar', nullable: true }) resourcePopulationId?: string | null;
  @PingOneAttribute('result.status') @Column({ type: 'varchar', nullable: true }) resultStatus?: string | null;
  @Column({ type: 'simple-json', nullable: true }) resources?: Record<string, unknown>[] | null;
}
