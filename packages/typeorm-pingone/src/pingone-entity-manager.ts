import { EntityManager } from 'typeorm';
import { PingOneDriverError } from './errors';

const SOFT_DELETE =
  'PingOne has no soft deletion: a deleted user, group or population is gone, and nothing restores it. ' +
  'To keep a user but stop its sign-ins, set enabled = false (repository.update(id, { enabled: false })); to delete, use delete() or remove().';

/** TypeORM's EntityManager, with a fix-it error for the operations PingOne has no counterpart for. */
export class PingOneEntityManager extends EntityManager {
  override async softDelete(..._args: unknown[]): Promise<never> {
    throw new PingOneDriverError('UNSUPPORTED_STATEMENT', `softDelete(): ${SOFT_DELETE}`);
  }

  override async restore(..._args: unknown[]): Promise<never> {
    throw new PingOneDriverError('UNSUPPORTED_STATEMENT', `restore(): ${SOFT_DELETE}`);
  }

  override async softRemove(..._args: unknown[]): Promise<never> {
    throw new PingOneDriverError('UNSUPPORTED_STATEMENT', `softRemove(): ${SOFT_DELETE}`);
  }

  override async recover(..._args: unknown[]): Promise<never> {
    throw new PingOneDriverError('UNSUPPORTED_STATEMENT', `recover(): ${SOFT_DELETE}`);
  }
}

/** Why `lock` can't work: PingOne has no row locks and no version number. */
export function lockError(mode: unknown): PingOneDriverError {
  return new PingOneDriverError(
    'UNSUPPORTED_STATEMENT',
    `Lock mode '${String(mode)}': PingOne has no row locks and no version number, so neither pessimistic nor optimistic locking can be honoured. ` +
      'Remove the lock option. To guard a read-modify-write, re-read the resource and compare its updatedAt (an @UpdateDateColumn) before saving, ' +
      'or make the change with one repository.update().',
  );
}
