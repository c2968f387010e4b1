import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the script ignores `"$@"`, so `command:` overrides in compose are dropped
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'entrypoint/args-passthrough',
    title: 'TODO',
    severity: 'info',
    family: 'entrypoint',
    target: 'script',
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
