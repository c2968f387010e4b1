import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a service other than the edge proxy publishes a port on all interfaces (merged ports are appended, so a base `8000:8000` survives an overlay)
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'prod/published-ports',
    title: 'TODO',
    severity: 'medium',
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
