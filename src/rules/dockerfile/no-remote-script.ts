import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: `curl ... | sh`, `wget -O- ... | bash` and the like
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'dockerfile/no-remote-script',
    title: 'TODO',
    severity: 'high',
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
