import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the final stage's effective user is root: no USER in it or in the stages it inherits from (`FROM builder`), or USER root/0/`root:x`, resolving ARG/ENV (`USER ${APP_USER}`)
// Passes when: last USER is non-root; or the base is known to default to non-root (`*:nonroot` distroless, `nginxinc/nginx-unprivileged`, chainguard); or the entrypoint script drops privileges with `exec gosu/su-exec/setpriv`; or every compose service using it sets `user:` non-root. Evidence: `` `appuser` (UID 1001) ``, the UID read from the `useradd -u`/`adduser --uid`/numeric USER
const rule: Rule = {
  meta: {
    id: 'dockerfile/non-root-user',
    title: 'TODO',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3002', 'DS-0002', 'CKV_DOCKER_3', 'CKV_DOCKER_8', 'CIS-DI-0001', 'CIS-4.1'],
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
