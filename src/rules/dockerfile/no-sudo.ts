import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: RUN uses `sudo`
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'dockerfile/no-sudo',
    title: 'TODO',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3004', 'DS-0010', 'CKV2_DOCKER_1', 'DKL-DI-0001'],
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
