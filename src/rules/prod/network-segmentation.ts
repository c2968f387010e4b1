import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: networks declare no `ipam` subnet and none is `internal: true`
// Passes when: Evidence: "Dedicated subnet (172.28.0.0/16)"
const rule: Rule = {
  meta: {
    id: 'prod/network-segmentation',
    title: 'TODO',
    severity: 'info',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: [],
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
