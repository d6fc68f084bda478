import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

/*
 * Every ```ts block of README.md and docs/*.md is type-checked against the workspace packages' sources, so no
 * example drifts from the API again. The blocks of one page form one ES module, in order (a page's later blocks
 * use what its earlier ones declared; an import repeated verbatim counts once). A page may use the workspace packages' exports without importing them (the
 * check adds the imports it lacks) and the placeholders below for values only the reader has. A block that is
 * deliberately incomplete is fenced ```ts fragment: it is skipped, and counted.
 */
const root = resolve(__dirname, '../../..');
const PLACEHOLDERS = `
declare const environmentId: string;
declare const clientId: string;
declare const clientSecret: string;
declare const nativeAppId: string;
declare const id: string;
declare const popId: string;
declare const admins: import('typeorm-pingone').Group;
`;
const PACKAGES: Readonly<Record<string, string>> = {
  'typeorm-pingone': 'packages/typeorm-pingone/src/index.ts',
  '@typeorm-pingone/client': 'packages/pingone-client/src/index.ts',
  '@typeorm-pingone/simulator': 'packages/pingone-simulator/src/index.ts',
};

interface Block { readonly file: string; readonly line: number; readonly code: string; readonly fragment: boolean }

function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|typescript)\b\s*(.*)$/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    blocks.push({ file, line: i + 2, code: lines.slice(i + 1, end).join('\n'), fragment: /\bfragment\b/.test(fence[2] ?? '') });
    i = end;
  }
  return blocks;
}

/** Value exports of a workspace package's index (types are imported only when named, which pages do themselves). */
function exportsOf(index: string): string[] {
  const text = readFileSync(join(root, index), 'utf8');
  return [...text.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(','))
    .map((s) => s.trim()).filter((s) => s && !s.startsWith('type '))
    .map((s) => s.split(/\s+as\s+/).pop()!.trim());
}

/** Imports for the workspace exports a page uses but neither imports nor declares. */
function missingImports(code: string): string[] {
  const declared = new Set([
    ...[...code.matchAll(/import\s*\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim().split(/\s+as\s+/).pop()!.replace(/^type\s+/, ''))),
    ...[...code.matchAll(/\b(?:const|let|class|function)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!),
  ]);
  return Object.entries(PACKAGES).flatMap(([name, index]) => {
    const used = exportsOf(index).filter((e) => !declared.has(e) && new RegExp(`\\b${e.replace('$', '\\$')}\\b`).test(code));
    return used.length ? [`import { ${used.join(', ')} } from '${name}';`] : [];
  });
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('every TypeScript block in README.md and docs/*.md type-checks against the workspace packages', () => {
  dir = mkdtempSync(join(tmpdir(), 'doc-blocks-'));
  // typeorm and reflect-metadata resolve from the shell's dependencies, which include the workspace packages.
  symlinkSync(join(root, 'packages/pingone-sql/node_modules'), join(dir, 'node_modules'), 'dir');
  const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
  const blocks = pages.flatMap(blocksOf);
  const fragments = blocks.filter((b) => b.fragment);
  const origin = new Map<string, { file: string; line: number }[]>();
  for (const page of pages) {
    const checked = blocks.filter((b) => b.file === page && !b.fragment);
    if (checked.length === 0) continue;
    const lines: string[] = [];
    const map: { file: string; line: number }[] = [];
    const push = (text: string, file: string, line: number) => text.split('\n').forEach((l, k) => { lines.push(l); map.push({ file, line: line + k }); });
    push([...missingImports(checked.map((b) => b.code).join('\n')), 'export {};'].join('\n'), `${page} (added imports)`, 1);
    // A block may repeat an import of an earlier block of its page (so it reads whole on its own): keep the first.
    const imported = new Set<string>();
    for (const b of checked) push(b.code.split('\n').map((l) => (/^import\s/.test(l) ? (imported.has(l) ? '' : (imported.add(l), l)) : l)).join('\n'), b.file, b.line);
    const name = `${basename(page, '.md')}${page.startsWith('docs/') ? '' : '.readme'}.mts`;
    writeFileSync(join(dir, name), lines.join('\n'));
    origin.set(name, map);
  }
  writeFileSync(join(dir, 'placeholders.d.ts'), PLACEHOLDERS);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', lib: ['ES2023'], module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true,
      experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')],
      paths: Object.fromEntries(Object.entries(PACKAGES).map(([n, p]) => [n, [join(root, p)]])),
    },
    include: ['*.mts', 'placeholders.d.ts'],
  }));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { cwd: dir, encoding: 'utf8' });
  // Errors point at the page and line of the block, not at the generated file.
  const report = tsc.stdout.replace(/^([\w.-]+\.mts)\((\d+),(\d+)\)/gm, (whole, file: string, line: string) => {
    const at = origin.get(file)?.[Number(line) - 1];
    return at ? `${at.file}:${at.line}` : whole;
  });
  console.log(`doc code blocks: ${blocks.length - fragments.length} type-checked, ${fragments.length} fragments skipped${fragments.length ? ` (${fragments.map((f) => `${f.file}:${f.line - 1}`).join(', ')})` : ''}`);
  expect(blocks.length - fragments.length).toBeGreaterThan(0);
  expect(report).toBe('');
  expect(tsc.status).toBe(0);
}, 180_000);
