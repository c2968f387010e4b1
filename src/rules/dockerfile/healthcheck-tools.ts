import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a healthcheck that runs in this image (its HEALTHCHECK, or the compose `healthcheck.test` of a service built from it or using it, after merging the environment) calls a program the final stage does not have: `curl`/`wget`/`nc`/`bash` on `*-slim` Debian images (no curl, no wget), `curl`/`bash` on alpine (busybox has wget), anything shell-form on distroless/scratch; unless a RUN in the final stage installs it or a COPY brings it
// Passes when: every program the probe needs is present. Evidence: "no curl needed"
const rule: Rule = {
  meta: {
    id: 'dockerfile/healthcheck-tools',
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
