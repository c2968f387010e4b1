import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a FROM has no tag or uses `latest` (ARG defaults resolved; `FROM ${BASE}` with no default is reported as unknown, not as pass)
// Passes when: every external FROM has an explicit version tag or digest
const rule: Rule = {
  meta: {
    id: 'dockerfile/pinned-base',
    title: 'TODO',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3006', 'DL3007', 'DS-0001', 'CKV_DOCKER_7', 'DKL-DI-0006'],
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
