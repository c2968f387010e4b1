import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the shebang's interpreter (`bash`, `zsh`, `python`) is missing from the final stage (alpine has no bash; distroless has no shell)
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'entrypoint/interpreter-available',
    title: 'TODO',
    severity: 'high',
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
