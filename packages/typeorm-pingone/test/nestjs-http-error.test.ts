import { QueryFailedError } from 'typeorm';
import { PingOneAuthError, PingOneNetworkError, PingOneOutcomeUnknownError, PingOneTimeoutError } from '@typeorm-pingone/client';
import { Group, PingOneDriverError, User } from '../src';
import { pingOneHttpError } from '../src/nestjs';
import { startDriver, type DriverHarness } from './helpers/driver-harness';

/* The HTTP status and body typeorm-pingone/nestjs gives each error a TypeORM call on this driver can throw. */
describe('pingOneHttpError', () => {
  let h: DriverHarness;
  beforeEach(async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
  });
  afterEach(async () => {
    await h.close();
  });

  async function failure(work: () => Promise<unknown>): Promise<unknown> {
    try {
      await work();
    } catch (error) {
      return error;
    }
    throw new Error('expected the call to fail');
  }

  test('PingOne 400 answers: uniqueness is 409, other invalid data 400, with details and correlation id', async () => {
    const users = h.ds.getRepository(User);
    const [first] = await users.find({ take: 1 });
    const dup = await failure(() => users.save(users.create({ username: first.username, email: 'a@example.com' })));
    expect(dup).toBeInstanceOf(QueryFailedError);
    const conflict = pingOneHttpError(dup)!;
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      code: 'INVALID_DATA',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      details: [{ code: 'UNIQUENESS_VIOLATION', target: 'username' }],
    });
    const invalid = pingOneHttpError(await failure(() => users.save(users.create({ username: 'ok.name', email: 'no' }))))!;
    expect(invalid).toMatchObject({ statusCode: 400, body: { error: 'Bad Request', details: [{ target: 'email' }] } });
    for (const answer of [conflict, invalid]) {
      const text = JSON.stringify(answer);
      expect(text).not.toContain(h.sim.credentials.clientSecret);
      expect(text).not.toContain(h.sim.environmentId);
      expect(text).not.toContain('INSERT'); // nothing of QueryFailedError's SQL or parameters
    }
  });

  test.each([
    [429, 429, 'Too Many Requests'],
    [503, 503, 'Service Unavailable'],
    [500, 502, 'Bad Gateway'],
    [403, 502, 'Bad Gateway'],
  ])('PingOne %i on a create becomes %i', async (status, expected, reason) => {
    const users = h.ds.getRepository(User);
    h.sim.faults.failNext(5, { status, retryAfterSeconds: 0, method: 'POST' });
    const answer = pingOneHttpError(await failure(() => users.save(users.create({ username: `s${status}`, email: 'a@example.com' }))))!;
    expect(answer).toMatchObject({
      statusCode: expected,
      body: { statusCode: expected, error: reason, correlationId: expect.any(String) },
    });
    expect(answer.body.message).toContain(expected >= 500 ? `PingOne answered ${status}: ` : 'exceeded your request limit');
    expect(answer.retryAfterSeconds).toBe(expected === 429 || expected === 503 ? 0 : undefined);
  });

  test('client errors without a PingOne answer: timeout 504, network and sign-in failures 502', () => {
    expect(pingOneHttpError(new PingOneTimeoutError('GET', 'https://api.example/v1/x', 100))!.statusCode).toBe(504);
    expect(pingOneHttpError(new PingOneNetworkError('GET', 'https://api.example/v1/x', 'ECONNREFUSED'))!.statusCode).toBe(502);
    expect(pingOneHttpError(new PingOneOutcomeUnknownError('POST', 'https://api.example/v1/x', undefined))!.body.message).toMatch(
      /may or may not have been applied/,
    );
    const auth = pingOneHttpError(new PingOneAuthError('Token request failed for client secret s3cr3t-value', { status: 401 }))!;
    expect(auth).toMatchObject({
      statusCode: 502,
      body: { code: 'AUTH_ERROR', message: 'This service could not sign in to PingOne (token endpoint answered 401).' },
    });
    expect(JSON.stringify(auth)).not.toContain('s3cr3t');
  });

  test("driver errors with no PingOne answer are the app's own: 500 with no internals; other errors are not ours", async () => {
    const unsupported = await failure(() => h.ds.query('SELECT * FROM nowhere'));
    expect(pingOneHttpError(unsupported)).toEqual({
      statusCode: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', code: expect.any(String) },
    });
    expect(pingOneHttpError(new PingOneDriverError('MAPPING_ERROR', 'User.x maps to nothing'))!.body.message).toBe('Internal server error');
    expect(pingOneHttpError(new Error('unrelated'))).toBeUndefined();
    expect(pingOneHttpError('a string')).toBeUndefined();
  });

  test("a required attribute left empty is the caller's 400; a write whose outcome is unknown or partial is a 502", async () => {
    const missing = await failure(() => h.ds.getRepository(User).insert({ email: 'nobody@example.com' }));
    expect(pingOneHttpError(missing)).toMatchObject({
      statusCode: 400,
      body: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/username/) },
    });
    expect(pingOneHttpError(new PingOneDriverError('OUTCOME_UNKNOWN', 'lost'))).toMatchObject({
      statusCode: 502,
      body: { code: 'OUTCOME_UNKNOWN' },
    });
    expect(pingOneHttpError(new PingOneDriverError('PARTIALLY_APPLIED', 'user u1 left enabled'))).toMatchObject({
      statusCode: 502,
      body: { code: 'PARTIALLY_APPLIED' },
    });
    expect(JSON.stringify(pingOneHttpError(new PingOneDriverError('PARTIALLY_APPLIED', 'user u1 left enabled')))).not.toContain('u1');
  });

  test("a read-only attribute in a write is the caller's 400 naming it (issue 30: it was a 500)", async () => {
    const [group] = await h.ds.getRepository(Group).find({ where: { name: 'Engineering' } });
    const moved = await failure(() => h.ds.getRepository(Group).update(group.id, { population: null }));
    expect(pingOneHttpError(moved)).toMatchObject({
      statusCode: 400,
      body: {
        error: 'Bad Request',
        code: 'READ_ONLY_ATTRIBUTE',
        message: expect.stringMatching(/population can't change after it is created/),
      },
    });
    const stamped = await failure(() => h.ds.getRepository(User).insert({ username: 'ro.created', createdAt: new Date() }));
    expect(pingOneHttpError(stamped)).toMatchObject({
      statusCode: 400,
      body: { code: 'READ_ONLY_ATTRIBUTE', message: expect.stringMatching(/createdAt is read-only/) },
    });
  });
});
