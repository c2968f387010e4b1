import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a RUN with a pipe under `/bin/sh -c` without `SHELL [..., "-o", "pipefail", ...]` or `set -o pipefail`
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'dockerfile/pipefail',
    title: 'TODO',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL4006'],
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
