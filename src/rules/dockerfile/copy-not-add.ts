import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: ADD of local files; ADD of a URL without `--checksum` is medium
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'dockerfile/copy-not-add',
    title: 'TODO',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3020', 'DS-0005', 'CKV_DOCKER_4', 'CIS-DI-0009'],
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
