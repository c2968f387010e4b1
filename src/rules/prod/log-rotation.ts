import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: logging does not rotate: driver unset (daemon default unknown) or `json-file` without both `max-size` and `max-file`; `local` rotates by default
// Passes when: Evidence: the "Service / Max Size / Max Files" table
const rule: Rule = {
  meta: {
    id: 'prod/log-rotation',
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
