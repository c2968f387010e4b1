import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a value reachable in prod (literal or default) is a known weak value (`password`, `changeme`, `secret`, `admin`, `root`, `example`, `dev_only_password`, `postgres`, ...) or shorter than 12 characters
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'secrets/weak-values',
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
