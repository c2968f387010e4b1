import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: `depends_on` waits only for start (short syntax or `service_started`) on a dependency that has a healthcheck; or asks `service_healthy` of one that has none (compose refuses to start)
// Passes when: Evidence: `` `depends_on: condition: service_healthy` ``
const rule: Rule = {
  meta: {
    id: 'compose/depends-on-healthy',
    title: 'TODO',
    severity: 'medium',
    family: 'compose',
    target: 'service',
    env: 'all',
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
