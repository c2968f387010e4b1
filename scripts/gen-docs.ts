/**
 * Writes docs/rules/<family>/<name>.md and docs/rules/README.md from the rule metadata, deleting
 * pages of rules that no longer exist. `--check` writes nothing and exits 1 when the docs are stale.
 *
 *   node --import tsx scripts/gen-docs.ts [--check]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffDocs, isFresh, writeDocs } from '../src/docs/sync.js';
import { ALL_RULES } from '../src/rules/all.js';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'rules');
const metas = ALL_RULES.map((r) => r.meta);
const check = process.argv.includes('--check');

if (check) {
  const d = diffDocs(docsDir, metas);
  if (isFresh(d)) {
    process.stdout.write(`docs/rules is up to date (${metas.length} rules).\n`);
  } else {
    const lines = [
      ...d.missing.map((f) => `  missing  docs/rules/${f}`),
      ...d.changed.map((f) => `  changed  docs/rules/${f}`),
      ...d.stale.map((f) => `  stale    docs/rules/${f}`),
    ];
    process.stderr.write(`docs/rules is out of date; run \`npm run docs\`:\n${lines.join('\n')}\n`);
    process.exitCode = 1;
  }
} else {
  const d = writeDocs(docsDir, metas);
  const n = d.missing.length + d.changed.length + d.stale.length;
  process.stdout.write(
    n === 0
      ? `docs/rules is up to date (${metas.length} rules).\n`
      : `docs/rules: ${d.missing.length} created, ${d.changed.length} updated, ${d.stale.length} deleted (${metas.length} rules).\n`,
  );
}
