import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/*
 * What a project users install from needs besides code: a LICENSE that matches the licence package.json claims, a
 * changelog kept with a tool made for it (changesets: config, pending changesets that name real packages, a
 * CHANGELOG.md per published package), and a public CI workflow that runs the same script as the project's CI.
 * The tarballs' README, LICENSE and CHANGELOG are checked in package-tarballs.test.ts.
 */
const root = resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const published = ['pingone-simulator', 'pingone-client', 'typeorm-pingone', 'pingone-sql'];
const nameOf = (dir: string) => (JSON.parse(read(`packages/${dir}/package.json`)) as { name: string }).name;

test('the repository has the MIT LICENSE package.json names, and each package a copy of it', () => {
  expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('MIT');
  expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
  for (const dir of published) {
    expect((JSON.parse(read(`packages/${dir}/package.json`)) as { license: string }).license).toBe('MIT');
    expect({ dir, same: read(`packages/${dir}/LICENSE`) === read('LICENSE') }).toEqual({ dir, same: true });
  }
});

test('changesets keeps the changelog: its config versions the published packages together, every pending changeset names only them', () => {
  const config = JSON.parse(read('.changeset/config.json')) as { fixed: string[][]; access: string; baseBranch: string };
  expect([...config.fixed[0]].sort()).toEqual(published.map(nameOf).sort());
  expect(config.access).toBe('public');
  const names = new Set(published.map(nameOf));
  const pending = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  for (const file of pending) {
    const front = /^---\n([\s\S]*?)\n---\n/.exec(read(`.changeset/${file}`));
    expect({ file, frontMatter: front !== null }).toEqual({ file, frontMatter: true });
    const bumps = parse(front![1]) as Record<string, string>;
    for (const [pkg, bump] of Object.entries(bumps)) {
      expect({ file, pkg, known: names.has(pkg) }).toEqual({ file, pkg, known: true });
      expect(['patch', 'minor', 'major']).toContain(bump);
    }
  }
  for (const dir of published) expect(read(`packages/${dir}/CHANGELOG.md`).split('\n')[0]).toBe(`# ${nameOf(dir)}`);
});

test("the public CI workflow runs .ci/run, the same script as the project's CI", () => {
  const workflows = readdirSync(join(root, '.github/workflows')).filter((f) => /\.ya?ml$/.test(f));
  const runs = workflows.flatMap((f) => {
    const doc = parse(read(`.github/workflows/${f}`)) as { on?: unknown; jobs: Record<string, { steps: { run?: string }[] }> };
    expect(doc.on).toBeDefined();
    return Object.values(doc.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
  });
  expect(runs).toContain('bash .ci/run');
});
