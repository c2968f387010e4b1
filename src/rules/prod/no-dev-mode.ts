import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: development settings reach production: `DEBUG=true/1`, `NODE_ENV=development`, `FLASK_DEBUG=1`, `uvicorn --reload`, `next dev`, `npm run dev`, bind mounts of the build context or source tree
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'prod/no-dev-mode',
    title: 'TODO',
    severity: 'medium',
    family: 'prod',
    target: 'service',
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
