// Bundles the CLI into one ESM file (start-up time matters: one file loads faster than hundreds).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  // The tree-sitter wasm files are loaded from node_modules at run time.
  external: ['web-tree-sitter', 'tree-sitter-bash'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
