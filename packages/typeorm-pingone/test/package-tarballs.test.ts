import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/*
 * `pnpm pack` of every published package holds its build, whatever state dist/ is in (prepack builds), and every
 * file package.json points at: main, types, exports targets and bins. Workspace ranges are replaced by versions.
 * Each tarball carries its README (about that package) and the repository's MIT LICENSE, and its CHANGELOG; the
 * client carries got and jose bundled (no ESM-only import left for jest to trip on) with the bundled packages' licences.
 */
const root = resolve(__dirname, '../../..');
const packages = ['pingone-simulator', 'pingone-client', 'typeorm-pingone', 'pingone-sql'];

interface Manifest {
  readonly name: string;
  readonly main?: string;
  readonly types?: string;
  readonly exports?: unknown;
  readonly bin?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly license?: string;
}

function targets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports && typeof exports === 'object') return Object.values(exports).flatMap(targets);
  return [];
}

describe('package tarballs', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'pack-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test.each(packages)('%s packs its build and every file its package.json names', (name) => {
    const dir = join(root, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const printed = execFileSync('pnpm', ['pack', '--pack-destination', out], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tarball = printed.trim().split('\n').at(-1)!.trim();
    expect(tarball).toMatch(/\.tgz$/);
    const files = new Set(
      execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((f) => f.replace(/^package\//, '')),
    );
    const named = [manifest.main, manifest.types, ...targets(manifest.exports), ...Object.values(manifest.bin ?? {})]
      .filter((f): f is string => f !== undefined)
      .map((f) => f.replace(/^\.\//, ''));
    for (const file of ['package.json', 'dist/index.js', 'dist/index.d.ts', ...named])
      expect({ file, packed: files.has(file) }).toEqual({ file, packed: true });
    expect([...files].filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
    const packed = JSON.parse(execFileSync('tar', ['xzf', tarball, '-O', 'package/package.json'], { encoding: 'utf8' })) as Manifest;
    expect(Object.entries(packed.dependencies ?? {}).filter(([, range]) => range.startsWith('workspace:'))).toEqual([]);

    const read = (file: string) => execFileSync('tar', ['xzf', tarball, '-O', `package/${file}`], { encoding: 'utf8' });
    for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) expect({ file, packed: files.has(file) }).toEqual({ file, packed: true });
    expect(read('README.md').split('\n')[0]).toMatch(new RegExp(`^# ${manifest.name.replace(/[/@]/g, '\\$&')}\\b`));
    expect(read('LICENSE')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
    expect(packed.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
    expect(read('CHANGELOG.md').split('\n')[0]).toBe(`# ${manifest.name}`);
    if (name === 'pingone-client') {
      // each ESM-only library bundled into its one importer; the client's own modules required, not copied in
      for (const [lib, file, own] of [
        ['got', 'dist/http/transport.js', './network-failure'],
        ['jose', 'dist/auth/client-assertion.js', undefined],
      ] as const) {
        expect(packed.dependencies?.[lib]).toBeUndefined();
        const code = read(file);
        // (a library's own doc comments, bundled with it, show `import … from 'lib'`: only code at a line's start counts)
        expect(code).not.toMatch(new RegExp(`\\brequire\\(\\s*["']${lib}["']\\s*\\)|^import\\b[^\\n]*["']${lib}["']`, 'm'));
        expect(read('dist/THIRD-PARTY-LICENSES.txt')).toMatch(new RegExp(`^${lib}@\\d+\\.\\d+\\.\\d+ \\(MIT\\)$`, 'm'));
        if (own) expect(code).toContain(`require("${own}")`);
      }
    }
  });
});
