import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a service has no healthcheck (neither compose `healthcheck` nor HEALTHCHECK in the Dockerfile it builds) or disables it
// Passes when: Evidence: the probe and its interval
const rule: Rule = {
  meta: {
    id: 'compose/healthcheck',
    title: 'TODO',
    severity: 'medium',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS healthcheck_not_set', 'CIS-5.27'],
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
