import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: commands run before `set -e` (or `set -o errexit`, `#!/bin/sh -e`)
// Passes when: Evidence: `` `set -e` ``
const rule: Rule = {
  meta: {
    id: 'entrypoint/fail-fast',
    title: 'TODO',
    severity: 'medium',
    family: 'entrypoint',
    target: 'script',
    env: 'all',
    aliases: [],
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
