import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the build would fail or behave surprisingly: `COPY --from` an unknown or later stage, duplicate stage names, more than one CMD/ENTRYPOINT/HEALTHCHECK in a stage, relative WORKDIR, unparsable instruction
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'dockerfile/valid-structure',
    title: 'TODO',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3022', 'DL3023', 'DL3024', 'DL4003', 'DL4004', 'DL3012', 'DL3000', 'DS-0006..0012'],
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
