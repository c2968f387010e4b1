import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the final stage's base is a full distro or full language image (`python:3.12`, `node:22`, `ubuntu`, `debian:bookworm`)
// Passes when: base is `*-slim`, `*-alpine`/`alpine`, distroless, `scratch`, chainguard, `ubi*-minimal`, or a stage of this file. Evidence: `` `python:3.12-slim` ``
const rule: Rule = {
  meta: {
    id: 'dockerfile/minimal-base',
    title: 'TODO',
    severity: 'low',
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
