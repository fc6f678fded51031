// `pnpm build`: the production output. Every workspace package's `src/` becomes `dist/` beside it —
// each TypeScript file transpiled on its own (esbuild, no bundling, so paths built from
// `import.meta.url` still find their assets), every other file (static, data, JSON) copied as is.
// Types are checked by `pnpm typecheck`, not here. The packages' `exports` send the `production`
// condition to `dist/`, so run the output with `node --conditions=production packages/portal/dist/main.js`.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isTest = (file) => /\.test\.ts$/.test(file) || file.split(/[\\/]/).includes('__tests__');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const started = Date.now();
let files = 0;
for (const name of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', name, 'src');
  const dist = join(root, 'packages', name, 'dist');
  if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
  rmSync(dist, { recursive: true, force: true });
  const all = walk(src).filter((f) => !isTest(f));
  const sources = all.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  await build({
    entryPoints: sources,
    outbase: src,
    outdir: dist,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  for (const asset of all.filter((f) => !f.endsWith('.ts'))) {
    const to = join(dist, relative(src, asset));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(asset, to);
  }
  files += all.length;
}
console.log(`built ${files} files into packages/*/dist in ${Date.now() - started} ms`);
