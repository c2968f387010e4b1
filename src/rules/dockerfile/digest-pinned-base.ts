import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a FROM has a tag but no `@sha256:` digest
// Passes when: digest present
const rule: Rule = {
  meta: {
    id: 'dockerfile/digest-pinned-base',
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
