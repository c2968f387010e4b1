import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: no `pids_limit` (or `deploy.resources.limits.pids`)
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'prod/pids-limit',
    title: 'TODO',
    severity: 'low',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: ['KICS pids_limit_not_set', 'CIS-5.29'],
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
