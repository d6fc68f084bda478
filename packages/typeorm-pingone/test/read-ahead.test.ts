import { readAhead } from '../src/executor/request-pool';

/*
 * readAhead asks for the next page as soon as the current one is handed over, so a caller decoding a page never
 * delays the next request; on an early exit or a failure nothing is left running.
 */
function source(pages: number, failAt?: number) {
  const log: string[] = [];
  let closed = false;
  const iterable: AsyncIterable<number> = {
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return {
        next: async () => {
          const n = i++;
          log.push(`request ${n}`);
          await new Promise((resolve) => setImmediate(resolve));
          if (n === failAt) throw new Error(`page ${n} failed`);
          log.push(`response ${n}`);
          return n < pages ? { value: n, done: false } : { value: undefined, done: true };
        },
        return: async () => {
          closed = true;
          log.push('closed');
          return { value: undefined, done: true };
        },
      };
    },
  };
  return { iterable, log, closed: () => closed };
}

test('the next page is requested before the caller works on the current one', async () => {
  const s = source(3);
  const seen: number[] = [];
  for await (const page of readAhead(s.iterable)) {
    s.log.push(`decode ${page}`);
    seen.push(page);
  }
  expect(seen).toEqual([0, 1, 2]);
  expect(s.log).toEqual([
    'request 0',
    'response 0',
    'request 1',
    'decode 0',
    'response 1',
    'request 2',
    'decode 1',
    'response 2',
    'request 3',
    'decode 2',
    'response 3',
  ]);
});

test('an early exit waits for the page in flight, then closes the list', async () => {
  const s = source(5);
  for await (const page of readAhead(s.iterable)) if (page === 1) break;
  expect(s.log).toEqual(['request 0', 'response 0', 'request 1', 'response 1', 'request 2', 'response 2', 'closed']);
  expect(s.closed()).toBe(true);
});

test('a failed page is thrown to the caller, after the pages before it', async () => {
  const s = source(5, 2);
  const seen: number[] = [];
  await expect(
    (async () => {
      for await (const page of readAhead(s.iterable)) seen.push(page);
    })(),
  ).rejects.toThrow('page 2 failed');
  expect(seen).toEqual([0, 1]);
});
