import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the image has no HEALTHCHECK (or `HEALTHCHECK NONE`) and not every compose service that runs it defines `healthcheck`
// Passes when: HEALTHCHECK present, or provided per service in compose. Evidence: the probe in words, e.g. "Python urllib (no curl needed)", "Node.js HTTP module", "`nginx -t` config test"
const rule: Rule = {
  meta: {
    id: 'dockerfile/healthcheck',
    title: 'TODO',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3057', 'DS-0026', 'CKV_DOCKER_2', 'CIS-DI-0006', 'CIS-4.6'],
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
