import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a `.env` file (not `.env.example`/`.sample`/`.template`) is tracked by git or not covered by `.gitignore`
// Passes when: Evidence: "`.env` gitignored"
const rule: Rule = {
  meta: {
    id: 'secrets/env-file-ignored',
    title: 'TODO',
    severity: 'high',
    family: 'secrets',
    target: 'repository',
    env: 'all',
    aliases: [],
    rationale: 'TODO',
    fix: 'TODO',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM alpine:3.20\n' },
      good: { file: 'Dockerfile', content: 'FROM alpine:3.20\n' },
    },
  },
  check() {
    return [];
  },
};

export default rule;
