// Bundles the CLI (start-up time matters: one bundled file loads faster than hundreds of modules).
//
// dist/seaworthy.cjs: the whole CLI as one CommonJS file, which bin/seaworthy.js runs with a V8 code
// cache (bin/run-bundle.js). Each command's code is still initialised only when the command runs
// (esbuild turns the commands' lazy `import()`s into lazy module initialisers), so
// `seaworthy --version` or `seaworthy rules` never run the parsers' or rules' module code.
// dist/seaworthy.cjs.cache: V8's code cache for it, recorded after warm-up runs of `check` on
// examples/ (the bytecode of every function they compiled). Without it (no examples/, a failed
// warm-up) the CLI works the same, compiling as it goes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import runBundle from '../bin/run-bundle.js';

const { stampBundle } = runBundle;

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { __SEAWORTHY_VERSION__: JSON.stringify(pkg.version) },
  // The tree-sitter wasm files are loaded from node_modules at run time.
  external: ['web-tree-sitter', 'tree-sitter-bash'],
};

// Files of earlier builds (the ES module CLI and its chunks).
rmSync(join(dist, 'chunks'), { recursive: true, force: true });
for (const f of existsSync(dist) ? readdirSync(dist) : []) if (/^cli\.js(\.map)?$/.test(f)) rmSync(join(dist, f));

const shim = join(root, 'node_modules', '.cache', 'seaworthy-build', 'import-meta-url.js');
mkdirSync(dirname(shim), { recursive: true });
writeFileSync(shim, "export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;\n");
const cli = join(dist, 'seaworthy.cjs');
await build({
  ...common,
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: cli,
  format: 'cjs',
  // No `import()` is left in the bundle (bin/run-bundle.js runs it as a script): the externals are
  // `require`d, the commands' modules initialised lazily.
  supported: { 'dynamic-import': false },
  define: { ...common.define, 'import.meta.url': 'importMetaUrl' },
  inject: [shim],
});

// The cache is made for this build only (bin/run-bundle.js).
stampBundle(cli);

// The code cache: the first warm-up writes it, the second (another format) adds what it compiles.
const cache = `${cli}.cache`;
rmSync(cache, { force: true });
const examples = join(root, 'examples');
if (existsSync(examples)) {
  for (const format of ['json', 'text']) {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'seaworthy.js'), 'check', examples, '--format', format], {
      env: { ...process.env, SEAWORTHY_CODE_CACHE: 'write' },
      stdio: 'ignore',
    });
    // check exits 1 on the examples' findings; anything else is a failed warm-up.
    if (r.status !== 0 && r.status !== 1) {
      rmSync(cache, { force: true });
      process.stderr.write(`build: warm-up run failed (${r.signal ?? r.status}); dist/seaworthy.cjs runs without a code cache\n`);
      break;
    }
  }
}
