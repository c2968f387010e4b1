import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: `image:` without tag or `latest` (services with `build:` judged by their Dockerfile instead)
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'compose/pinned-images',
    title: 'TODO',
    severity: 'medium',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['dclint service-image-require-explicit-tag'],
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
