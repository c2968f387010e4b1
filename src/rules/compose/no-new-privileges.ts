import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: `security_opt` lacks `no-new-privileges:true`
// Passes when: Evidence: `` `no-new-privileges:true` ``
const rule: Rule = {
  meta: {
    id: 'compose/no-new-privileges',
    title: 'TODO',
    severity: 'medium',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS no_new_privileges_not_set', 'CIS-5.26'],
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
