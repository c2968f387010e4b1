import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: EXPOSE 22
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'dockerfile/no-ssh-port',
    title: 'TODO',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DS-0004', 'CKV_DOCKER_1'],
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
