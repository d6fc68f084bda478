// Each test file journals its transactions in a directory of its own (the driver's default directory is shared by
// every process of this user): a journal one test leaves on purpose (a rollback that failed, a crash) is then found
// only by that file's DataSources, never by another file's initialize(). The driver creates it at first use; it is
// removed when the file's tests end (a file whose tests are all skipped never creates it).
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
const { randomBytes } = require('node:crypto');

const dir = join(tmpdir(), `pingone-journal-test-${randomBytes(6).toString('hex')}`);
process.env.TYPEORM_PINGONE_JOURNAL_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
