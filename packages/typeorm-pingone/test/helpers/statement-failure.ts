import { QueryFailedError } from 'typeorm';

/** The driver's error a statement fails with (unwrapped from TypeORM's QueryFailedError); throws if it succeeds. */
export async function statementFailure(run: () => Promise<unknown>): Promise<{ code?: string; message: string }> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error('expected the statement to fail');
  const cause =
    error instanceof QueryFailedError
      ? (error.driverError as { code?: string; message: string })
      : (error as { code?: string; message: string });
  return { code: cause.code, message: cause.message };
}
