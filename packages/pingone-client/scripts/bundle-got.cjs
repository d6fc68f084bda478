#!/usr/bin/env node
/*
 * got 14 and most of its dependencies are ES modules only. Node ≥ 20.19 require()s them, but jest's CommonJS
 * runtime does not: in a CommonJS app (NestJS 11's `nest new`, its default jest config) the first test that loads
 * the client stopped at got's `export` unless the app copied a list of 20 packages into transformIgnorePatterns.
 * So the published client carries got inside: its one importer, src/http/transport.ts, is compiled here with got
 * and its dependencies bundled into dist/http/transport.js, plain CommonJS, and got is no runtime dependency.
 * Runs after `tsc -b` (which writes the unbundled file); it always starts from the source, so running it twice is
 * the same as once. The licences of what was bundled go to dist/THIRD-PARTY-LICENSES.txt.
 */
const { build } = require('esbuild');
const { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const pkg = join(__dirname, '..');
const out = join(pkg, 'dist/http/transport.js');

/** The package.json that owns a bundled file: the nearest one up the tree with a name. */
function ownerOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8'));
      if (json.name && json.version) return { dir, name: json.name, version: json.version, license: json.license };
    }
  }
  return undefined;
}

function licenceText(dir) {
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  return file ? readFileSync(join(dir, file), 'utf8').trim() : undefined;
}

function writeIfChanged(file, contents) {
  if (existsSync(file) && readFileSync(file).equals(contents)) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

async function main() {
  const result = await build({
    entryPoints: [join(pkg, 'src/http/transport.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none', // the licences are in THIRD-PARTY-LICENSES.txt, whole
    metafile: true,
    write: false,
    logLevel: 'warning',
    banner: { js: '/* @typeorm-pingone/client transport, with got and its dependencies bundled (see ../THIRD-PARTY-LICENSES.txt) */' },
  });
  // Written only when it changed, and by rename: `pnpm pack` runs this (prepack) while tests may be loading dist/.
  for (const file of result.outputFiles) writeIfChanged(file.path, Buffer.from(file.contents));
  const owners = new Map();
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = join(process.cwd(), input);
    if (!file.includes(`${join('node_modules')}`)) continue;
    const owner = ownerOf(file);
    if (owner) owners.set(`${owner.name}@${owner.version}`, owner);
  }
  const sections = [...owners.values()].sort((a, b) => a.name.localeCompare(b.name)).map((o) => {
    const text = licenceText(o.dir);
    if (!text) throw new Error(`bundle-got: ${o.name}@${o.version} ships no licence file; check its licence (${o.license ?? 'none declared'}) before bundling it.`);
    return `${o.name}@${o.version} (${o.license ?? 'see below'})\n\n${text}\n`;
  });
  writeIfChanged(join(pkg, 'dist/THIRD-PARTY-LICENSES.txt'),
    Buffer.from(`dist/http/transport.js bundles these packages (from the npm registry), under their licences:\n\n${sections.join('\n' + '-'.repeat(80) + '\n\n')}`));
  process.stdout.write(`bundle-got: ${relative(process.cwd(), out)} with ${owners.size} packages bundled\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
