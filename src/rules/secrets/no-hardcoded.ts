import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a secret-like key holds a literal value in the merged prod config (environment, command args like `--requirepass x`, healthcheck args, build args)
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'secrets/no-hardcoded',
    title: 'TODO',
    severity: 'critical',
    family: 'secrets',
    target: 'project',
    env: 'prod',
    aliases: ['KICS passwords_and_secrets'],
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
