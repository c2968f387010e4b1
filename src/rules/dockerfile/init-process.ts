import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: no init reaps zombies and forwards signals: neither tini/dumb-init in ENTRYPOINT nor compose `init: true`
// Passes when: Evidence: "tini", or "`exec` entrypoint" when waived
const rule: Rule = {
  meta: {
    id: 'dockerfile/init-process',
    title: 'TODO',
    severity: 'info',
    family: 'dockerfile',
    target: 'image',
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
