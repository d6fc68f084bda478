import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

/*
 * Every ```ts block of README.md, docs/*.md and each package's README.md (what npm shows) is type-checked against
 * the workspace packages' sources, so no example drifts from the API again. The blocks of one page form one ES module, in order (a page's later blocks
 * use what its earlier ones declared). A page imports what it uses, as a reader's file must: nothing is added for it
 * (a snippet without its imports sent readers guessing, and `pingOneOptionsFromEnv` from the wrong package). Blocks
 * may each show their imports: the page's imports are merged, one per module. Only the placeholders below stand for
 * values only the reader has. A block that is deliberately incomplete is fenced ```ts fragment: it is skipped, and
 * counted.
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
  'typeorm-pingone/nestjs': 'packages/typeorm-pingone/src/nestjs/index.ts',
  '@typeorm-pingone/client': 'packages/pingone-client/src/index.ts',
  '@typeorm-pingone/simulator': 'packages/pingone-simulator/src/index.ts',
};

interface Block {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly fragment: boolean;
}

function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|typescript)\b\s*(.*)$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    blocks.push({ file, line: i + 2, code: lines.slice(i + 1, end).join('\n'), fragment: /\bfragment\b/.test(fence[2] ?? '') });
    i = end;
  }
  return blocks;
}

/**
 * A page's import lines, merged: one `import { a, b } from 'm'` per module (two blocks may each import from it),
 * side-effect imports once. Everything else stays where it is.
 */
function mergedImports(code: string): { imports: string[]; body: string } {
  const named = new Map<string, Set<string>>();
  const bare = new Set<string>();
  const other: string[] = [];
  const body = code.replace(
    /^import\s+(?:([^'";]*?)\s+from\s+)?['"]([^'"]+)['"];?[ \t]*$/gm,
    (line, clause: string | undefined, from: string) => {
      const braces = clause ? /^\{([^}]*)\}$/.exec(clause.trim()) : null;
      if (!clause) bare.add(from);
      else if (braces) {
        const names = named.get(from) ?? new Set<string>();
        braces[1]
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean)
          .forEach((n) => names.add(n));
        named.set(from, names);
      } else other.push(line);
      return '';
    },
  );
  return {
    imports: [
      ...[...bare].map((m) => `import '${m}';`),
      ...[...named].map(([m, n]) => `import { ${[...n].join(', ')} } from '${m}';`),
      ...new Set(other),
    ],
    body,
  };
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('every TypeScript block in README.md and docs/*.md type-checks against the workspace packages', () => {
  dir = mkdtempSync(join(tmpdir(), 'doc-blocks-'));
  // typeorm and reflect-metadata resolve from the shell's dependencies, NestJS's from the CommonJS example's.
  mkdirSync(join(dir, 'node_modules'));
  const sources = [join(root, 'packages/pingone-sql/node_modules'), join(root, 'examples/nestjs-cjs-app/node_modules')];
  for (const source of sources) {
    for (const entry of readdirSync(source)) {
      if (!existsSync(join(dir, 'node_modules', entry))) symlinkSync(join(source, entry), join(dir, 'node_modules', entry), 'dir');
    }
  }
  const pages = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
    ...readdirSync(join(root, 'packages'))
      .sort()
      .map((p) => `packages/${p}/README.md`)
      .filter((p) => existsSync(join(root, p))),
  ];
  const blocks = pages.flatMap(blocksOf);
  const fragments = blocks.filter((b) => b.fragment);
  const origin = new Map<string, { file: string; line: number }[]>();
  for (const page of pages) {
    const checked = blocks.filter((b) => b.file === page && !b.fragment);
    if (checked.length === 0) continue;
    const lines: string[] = [];
    const map: { file: string; line: number }[] = [];
    const push = (text: string, file: string, line: number) =>
      text.split('\n').forEach((l, k) => {
        lines.push(l);
        map.push({ file, line: line + k });
      });
    const merged = checked.map((b) => ({ block: b, ...mergedImports(b.code) }));
    const imports = mergedImports(merged.flatMap((m) => m.imports).join('\n')).imports;
    push([...imports, 'export {};'].join('\n'), `${page} (its imports, merged)`, 1);
    // each block's lines keep their place (an import line is left empty), so errors point at the page's line
    for (const m of merged) push(m.body, m.block.file, m.block.line);
    const name = `${page.startsWith('packages/') ? `${page.split('/')[1]}.` : ''}${basename(page, '.md')}${page.startsWith('docs/') ? '' : '.readme'}.mts`;
    writeFileSync(join(dir, name), lines.join('\n'));
    origin.set(name, map);
  }
  writeFileSync(join(dir, 'placeholders.d.ts'), PLACEHOLDERS);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        esModuleInterop: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        paths: Object.fromEntries(Object.entries(PACKAGES).map(([n, p]) => [n, [join(root, p)]])),
      },
      include: ['*.mts', 'placeholders.d.ts'],
    }),
  );
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { cwd: dir, encoding: 'utf8' });
  // Errors point at the page and line of the block, not at the generated file.
  const report = tsc.stdout.replace(/^([\w.-]+\.mts)\((\d+),(\d+)\)/gm, (whole, file: string, line: string) => {
    const at = origin.get(file)?.[Number(line) - 1];
    return at ? `${at.file}:${at.line}` : whole;
  });
  console.log(
    `doc code blocks: ${blocks.length - fragments.length} type-checked, ${fragments.length} fragments skipped${fragments.length ? ` (${fragments.map((f) => `${f.file}:${f.line - 1}`).join(', ')})` : ''}`,
  );
  expect(blocks.length - fragments.length).toBeGreaterThan(0);
  expect(report).toBe('');
  expect(tsc.status).toBe(0);
}, 180_000);
