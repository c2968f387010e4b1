import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: `apt-get update`/`apk update`/`yum update` in a RUN without an install in the same RUN (stale cache layer)
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'dockerfile/update-with-install',
    title: 'TODO',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DS-0017', 'CKV_DOCKER_5', 'CIS-DI-0007'],
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
