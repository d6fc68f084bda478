// Each test file journals its transactions in a directory of its own (the driver's default directory is shared by
// every process of this user): a journal one test leaves on purpose (a rollback that failed, a crash) is then found
// only by that file's DataSources, never by another file's initialize(). Removed when the file's tests end.
const { mkdtempSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');

const dir = mkdtempSync(join(tmpdir(), 'pingone-journal-test-'));
process.env.TYPEORM_PINGONE_JOURNAL_DIR = join(dir, 'journal');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
