import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the final stage installs or runs a build toolchain: compilers and `-dev` packages (`gcc`, `g++`, `build-essential`, `make`, `libpq-dev`...), `npm ci`/`npm install` with dev deps followed by a build, `go build`, `cargo build`, `mvn package`, `python -m build`, `pip wheel`
// Passes when: the build happens in an earlier stage and the final stage copies artifacts (`COPY --from`). A single-stage image that builds nothing passes. Evidence: `` `builder` → `runtime` stages ``
const rule: Rule = {
  meta: {
    id: 'dockerfile/multi-stage',
    title: 'TODO',
    severity: 'medium',
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
