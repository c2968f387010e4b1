import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a service sits only on the implicit `default` network
// Passes when: Evidence: `` `app-network` ``
const rule: Rule = {
  meta: {
    id: 'compose/dedicated-network',
    title: 'TODO',
    severity: 'low',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS networks_not_set'],
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
