import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the runtime user is a name whose UID is unknown
// Passes when: USER is numeric or the user is created with an explicit UID
const rule: Rule = {
  meta: {
    id: 'dockerfile/numeric-uid',
    title: 'TODO',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3066'],
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
