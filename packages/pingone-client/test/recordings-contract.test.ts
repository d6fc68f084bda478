import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PagedList, type Group, type User } from '../src';

/*
 * Contract with real PingOne traffic: every response body in ../shared/reference/real-recordings parses through
 * the client's collection reader and typed resources with nothing lost (unknown keys kept).
 */
const reference = process.env.PINGONE_REFERENCE_DIR
  ? resolve(process.env.PINGONE_REFERENCE_DIR)
  : resolve(__dirname, '../../../../shared/reference');
const recordings = join(reference, 'real-recordings');
const available = existsSync(recordings);
if (!available)
  process.stderr.write(`SKIPPED: "real recordings": ${recordings} is missing, so the real-recording contract tests did not run.\n`);

interface HarEntry {
  request: { url: string };
  response: { status: number; content: { text?: string } };
}

const entries = available
  ? readdirSync(recordings)
      .filter((f) => f.endsWith('.har'))
      .flatMap((file) =>
        (JSON.parse(readFileSync(join(recordings, file), 'utf8')) as { log: { entries: HarEntry[] } }).log.entries.map(
          (e) => [file, e] as const,
        ),
      )
  : [];

// Without the recordings the body is not evaluated (jest refuses test.each over an empty table): one skipped test says so.
if (!available)
  describe('real recordings', () => {
    test.skip(`needs ${recordings}`, () => undefined);
  });
else
  describe('real recordings', () => {
    test('there are recorded responses to check', () => {
      expect(entries.length).toBeGreaterThanOrEqual(10);
    });

    test.each(
      entries.map(
        ([file, e]) =>
          [
            `${file} ${new URL(e.request.url).pathname.split('/').slice(-1)[0]}${new URL(e.request.url).search ? ' (query)' : ''}`,
            e,
          ] as const,
      ),
    )('%s', async (_name, entry) => {
      const body = JSON.parse(entry.response.content.text ?? 'null') as Record<string, unknown>;
      const embedded = body._embedded as Record<string, unknown[]> | undefined;
      if (!embedded) {
        expect(body.id).toEqual(expect.any(String)); // a single resource (an environment)
        return;
      }
      const [plural, raw] = Object.entries(embedded)[0];
      const list = new PagedList<User | Group>(plural, async () => ({ body }));
      const pages = [];
      for await (const page of list.pages()) pages.push(page);
      expect(pages).toHaveLength(1); // recordings hold one page each: no next link
      expect(pages[0].count).toBe(body.count);
      expect(pages[0].size).toBe(body.size);
      expect(pages[0].items).toEqual(raw); // nothing dropped or renamed, unknown keys (e.g. checkSum) included
      for (const item of pages[0].items) expect(typeof item.id).toBe('string');
    });
  });
