import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a secret-like variable is interpolated with a fallback, `${X:-...}` or `${X-...}`, anywhere in the merged prod config (also inside URLs such as `redis://:${REDIS_PASSWORD:-dev}@redis`)
// Passes when: Evidence: `` `${REDIS_PASSWORD}` (no fallback) ``; `${X:?msg}` is the recommended form
const rule: Rule = {
  meta: {
    id: 'secrets/no-default-in-prod',
    title: 'TODO',
    severity: 'high',
    family: 'secrets',
    target: 'project',
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
