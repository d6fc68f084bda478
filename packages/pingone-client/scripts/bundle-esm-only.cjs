#!/usr/bin/env node
/*
 * got 14 (and most of its dependencies) and jose 6 are ES modules only. Node ≥ 20.19 require()s them, but jest's
 * CommonJS runtime does not: in a CommonJS app (NestJS 11's `nest new`, its default jest config) the first test
 * that loads the client stopped at got's or jose's `export` unless the app copied a list of 20 packages into
 * transformIgnorePatterns. So the published client carries them inside: each one's only importer (got:
 * src/http/transport.ts, jose: src/auth/client-assertion.ts) is compiled here with that library bundled into the
 * same path under dist/, plain CommonJS, and neither is a runtime dependency. The client's own modules stay
 * outside the bundles (relative imports are left as require()s), so no class or state exists twice.
 * Runs after `tsc -b` (which writes the unbundled files); it always starts from the source, so running it twice is
 * the same as once. The licences of what was bundled go to dist/THIRD-PARTY-LICENSES.txt.
 */
const { build } = require('esbuild');
const { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const pkg = join(__dirname, '..');
/** Each ESM-only library's one importer in src/ (see docs/development.md: one module per library). */
const entries = ['src/http/transport.ts', 'src/auth/client-assertion.ts'];

/** The client's own modules are required from dist/ as tsc wrote them, not copied into a bundle. */
const ownModulesExternal = {
  name: 'own-modules-external',
  setup(b) {
    const src = join(pkg, 'src');
    b.onResolve({ filter: /^\.{1,2}\// }, (args) =>
      args.kind !== 'entry-point' && args.importer.startsWith(src) ? { path: args.path, external: true } : undefined,
    );
  },
};

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
    entryPoints: entries.map((e) => join(pkg, e)),
    outbase: join(pkg, 'src'),
    outdir: join(pkg, 'dist'),
    plugins: [ownModulesExternal],
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
    banner: { js: '/* @typeorm-pingone/client: an ES-module-only library bundled as CommonJS (see ../THIRD-PARTY-LICENSES.txt) */' },
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
  const sections = [...owners.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((o) => {
      const text = licenceText(o.dir);
      if (!text)
        throw new Error(
          `bundle-esm-only: ${o.name}@${o.version} ships no licence file; check its licence (${o.license ?? 'none declared'}) before bundling it.`,
        );
      return `${o.name}@${o.version} (${o.license ?? 'see below'})\n\n${text}\n`;
    });
  writeIfChanged(
    join(pkg, 'dist/THIRD-PARTY-LICENSES.txt'),
    Buffer.from(
      `${entries.map((e) => e.replace(/^src/, 'dist').replace(/ts$/, 'js')).join(' and ')} bundle these packages (from the npm registry), under their licences:\n\n${sections.join('\n' + '-'.repeat(80) + '\n\n')}`,
    ),
  );
  process.stdout.write(`bundle-esm-only: ${entries.length} modules with ${owners.size} packages bundled\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
