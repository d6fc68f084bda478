import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { cleanEnv, packTarballs, root, simulatorEnv, step } from './consumer-project';

/*
 * docs/getting-started.md as a reader follows it, in a folder outside this repository: its package.json and
 * tsconfig.json blocks written as files, its `npm install` lines run (with the tarballs `pnpm pack` made), its ```ts
 * blocks (not the fragments) in order as src/main.ts, then `npm start` with the PINGONE_* variables of a simulator
 * this test starts, as `pnpm simulator` prints them. So the page is complete and runs as written: top-level await
 * under its package.json, every import in its blocks. Needs the npm registry; about a minute.
 */
interface Fenced {
  readonly lang: string;
  readonly fragment: boolean;
  readonly code: string;
}

function fencedBlocks(markdown: string): Fenced[] {
  return [...markdown.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1],
    fragment: /\bfragment\b/.test(m[2]),
    code: m[3],
  }));
}

describe('docs/getting-started.md runs as written', () => {
  let work: string;
  let sim: RunningSimulator | undefined;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'getting-started-'));
  });
  afterAll(async () => {
    try {
      await sim?.close();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('package.json + tsconfig.json + its npm installs + its ts blocks as src/main.ts: npm start reads, explains and writes', async () => {
    const blocks = fencedBlocks(readFileSync(join(root, 'docs/getting-started.md'), 'utf8'));
    const [packageJson, tsconfig] = blocks.filter((b) => b.lang === 'json');
    expect(JSON.parse(packageJson.code)).toMatchObject({ type: 'module', scripts: { start: expect.any(String) } });
    const installs = blocks
      .filter((b) => b.lang === 'sh')
      .flatMap((b) => b.code.split('\n'))
      .filter((l) => /^npm install (?!-g)/.test(l));
    expect(installs).toHaveLength(2); // the tarballs with typeorm and reflect-metadata, then TypeScript

    const packs = join(work, 'packs');
    await packTarballs(['pingone-client', 'typeorm-pingone'], packs);
    const app = join(work, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), packageJson.code);
    writeFileSync(join(app, 'tsconfig.json'), tsconfig.code);
    writeFileSync(
      join(app, 'src/main.ts'),
      blocks
        .filter((b) => b.lang === 'ts' && !b.fragment)
        .map((b) => b.code)
        .join('\n'),
    );
    const env = cleanEnv();
    for (const line of installs) {
      const args = line
        .replace(/\/tmp\/pingone-packs\//g, `${packs}/`)
        .split(/\s+/)
        .slice(1);
      await step(`the page's "${line}"`, 'npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], app, env);
    }

    sim = await startSimulator({ seed: 'demo', users: 40 });
    const output = await step('npm start', 'npm', ['start'], app, cleanEnv(simulatorEnv(sim)));
    expect(output).toMatch(/^\d+ contractors$/m);
    expect(output).toMatch(/^created ada\.\d+ \([0-9a-f-]{36}\) in Administrators$/m);
    const api = sim.requests.api();
    expect(api.some((r) => r.query.filter === 'type eq "Contractor"')).toBe(true);
    expect(api.some((r) => r.method === 'POST' && /\/users$/.test(r.path))).toBe(true);
    expect(api.some((r) => r.method === 'POST' && /\/memberOfGroups$/.test(r.path))).toBe(true);
  }, 600_000);
});
