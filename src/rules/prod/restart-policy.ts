import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: no `restart` (other than `no`) or `deploy.restart_policy`
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'prod/restart-policy',
    title: 'TODO',
    severity: 'low',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: ['KICS restart_policy_on_failure_not_set_to_5'],
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
