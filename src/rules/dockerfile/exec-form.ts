import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: ENTRYPOINT or CMD is in shell form (then `/bin/sh -c` is PID 1 and SIGTERM never reaches the app)
// Passes when: both are JSON exec form (CMD may be absent)
const rule: Rule = {
  meta: {
    id: 'dockerfile/exec-form',
    title: 'TODO',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3025', 'JSONArgsRecommended'],
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
