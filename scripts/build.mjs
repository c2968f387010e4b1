// Bundles the CLI (start-up time matters: a few bundled files load faster than hundreds of modules).
// ESM code splitting: dist/cli.js holds the argument parsing only, and each command's code (rules,
// parsers, formatters) is in dist/chunks/, loaded by the command's lazy `import()`, so
// `seaworthy --version` or `seaworthy rules` never load the parsers.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const dist = new URL('../dist/', import.meta.url).pathname;

const result = await build({
  // dist/parse-worker.js: the worker thread that takes a share of the parsing (src/model/preparse.ts).
  entryPoints: { cli: 'src/cli/main.ts', 'parse-worker': 'src/model/parse-worker.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  define: { __SEAWORTHY_VERSION__: JSON.stringify(pkg.version) },
  // The tree-sitter wasm files are loaded from node_modules at run time.
  external: ['web-tree-sitter', 'tree-sitter-bash'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

// Chunks of earlier builds (names carry a content hash): removed once this build has written its own.
const written = new Set(Object.keys(result.metafile.outputs).map((f) => basename(f)));
let stale = [];
try {
  stale = readdirSync(join(dist, 'chunks')).filter((f) => !written.has(f));
} catch {}
for (const f of stale) rmSync(join(dist, 'chunks', f), { force: true });
