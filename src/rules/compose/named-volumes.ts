import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a datastore keeps its data in the container (no volume on its data dir: data lost on recreate is medium)
// Passes when: Evidence: "`postgres_data` named volume"
const rule: Rule = {
  meta: {
    id: 'compose/named-volumes',
    title: 'TODO',
    severity: 'low',
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
