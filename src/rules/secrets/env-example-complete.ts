import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a variable that compose requires (used without default) is missing from every `.env.example`-style file
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'secrets/env-example-complete',
    title: 'TODO',
    severity: 'low',
    family: 'secrets',
    target: 'project',
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
