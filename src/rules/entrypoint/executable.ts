import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the script is neither committed executable (git mode 100755, or file mode when not in git) nor made so in the Dockerfile (`chmod +x`, `COPY --chmod=`)
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'entrypoint/executable',
    title: 'TODO',
    severity: 'medium',
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
