import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: `privileged: true`
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'compose/no-privileged',
    title: 'TODO',
    severity: 'critical',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS privileged_containers_enabled', 'CIS-5.5'],
    rationale: 'TODO',
    fix: 'TODO',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
      good: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
    },
  },
  check() {
    return [];
  },
};

export default rule;
