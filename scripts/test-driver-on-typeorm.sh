#!/usr/bin/env bash
# Runs the driver's type-check and test suite against another TypeORM release (default 1.0.0, the lower end of the peer range), in a temporary copy of
# the repository, so the typeorm peer range in packages/typeorm-pingone/package.json is one the suite really passes.
# The repository itself keeps building with its pinned devDependency. Usage: scripts/test-driver-on-typeorm.sh [version]
set -euo pipefail
version="${1:-1.0.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
copy="$(mktemp -d -t typeorm-"$version".XXXXXX)"
trap 'rm -rf "$copy"' EXIT

# Tracked files only: no node_modules, no dist, nothing left over from the main run.
git -C "$root" ls-files -z | (cd "$root" && xargs -0 tar cf -) | tar xf - -C "$copy"
cd "$copy"
node -e '
  const fs = require("fs");
  const file = "packages/typeorm-pingone/package.json";
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.devDependencies.typeorm = process.argv[1];
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$version"
pnpm install --no-frozen-lockfile --prefer-offline --reporter=silent
installed=$(node -p 'require("./packages/typeorm-pingone/node_modules/typeorm/package.json").version')
[ "$installed" = "$version" ] || { echo "expected typeorm $version in the driver, got $installed"; exit 1; }
echo "driver on typeorm $installed: type-check and tests"
pnpm exec tsc -b packages/pingone-simulator packages/pingone-client packages/typeorm-pingone
node scripts/run-jest.cjs --selectProjects typeorm-pingone -- packages/typeorm-pingone
