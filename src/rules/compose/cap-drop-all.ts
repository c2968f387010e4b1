import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: no `cap_drop: [ALL]`
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'compose/cap-drop-all',
    title: 'TODO',
    severity: 'low',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS container_capabilities_unrestricted'],
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
