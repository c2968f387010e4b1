import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: some path through the script ends by running the long-lived process without `exec` (so the shell stays PID 1 and SIGTERM is lost); every branch of `if`/`case` is followed
// Passes when: every path that starts the service `exec`s it. Evidence: `` `docker-entrypoint.sh` with `exec` ``, `` `exec uvicorn` for proper PID 1 ``
const rule: Rule = {
  meta: {
    id: 'entrypoint/exec-main-process',
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
