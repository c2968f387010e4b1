// Refreshes the quick-start output excerpt in README.md from a real run of the quick-start command
// (`node bin/seaworthy.js check examples/leaky`, no colour): the first target groups and the summary.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const r = spawnSync(process.execPath, ['bin/seaworthy.js', 'check', 'examples/leaky'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
});
const lines = r.stdout.trimEnd().split('\n');
// Two representative groups (a group starts with its heading and ends at a blank line), then the summary.
const SHOW = ['backend/Dockerfile', 'docker-compose.yml#redis'];
const out = [];
for (const heading of SHOW) {
  const start = lines.findIndex((l) => l === heading || l.startsWith(`${heading}  `));
  if (start < 0) throw new Error(`no group ${heading} in the output`);
  const end = lines.indexOf('', start);
  out.push(...lines.slice(start, end < 0 ? undefined : end), '...', '');
}
out.push(...lines.slice(-2));
const block = ['<!-- quickstart-output:start -->', '```text', `$ seaworthy check examples/leaky   # exit ${r.status}`, ...out, '```', '<!-- quickstart-output:end -->'].join('\n');
const readme = readFileSync(new URL('README.md', root), 'utf8');
const next = readme.replace(/<!-- quickstart-output:start -->[\s\S]*?<!-- quickstart-output:end -->/, block);
writeFileSync(new URL('README.md', root), next);
console.log(next === readme ? 'README output unchanged' : 'README output refreshed');
