import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: package caches stay in a layer: `pip install` without `--no-cache-dir` (and no `PIP_NO_CACHE_DIR`), `apt-get install` without `rm -rf /var/lib/apt/lists/*` in the same RUN, `apk add` without `--no-cache`, `npm ci/install` without `npm cache clean --force`, `yum/dnf install` without `clean all`; a cache mount (`RUN --mount=type=cache`) counts as clean
// Passes when: Evidence: `` `pip install --no-cache-dir` ``
const rule: Rule = {
  meta: {
    id: 'dockerfile/no-cache-bloat',
    title: 'TODO',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3042', 'DL3009', 'DL3019', 'DL3032', 'DL3040', 'DL3060', 'DS-0025', 'DS-0015', 'DS-0019', 'DKL-DI-0004', 'DKL-DI-0005'],
    rationale: 'TODO',
    fix: 'TODO',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM alpine:3.20\n' },
      good: { file: 'Dockerfile', content: 'FROM alpine:3.20\n' },
    },
  },
  check() {
    return [];
  },
};

export default rule;
