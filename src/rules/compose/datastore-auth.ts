import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a datastore runs without authentication: redis without `--requirepass`/config, `POSTGRES_HOST_AUTH_METHOD=trust`, `MYSQL_ALLOW_EMPTY_PASSWORD`, mongo without root password, elasticsearch `xpack.security.enabled=false`, rabbitmq default `guest`
// Passes when: Evidence: "Password (`--requirepass`)"
const rule: Rule = {
  meta: {
    id: 'compose/datastore-auth',
    title: 'TODO',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: [],
    rationale: 'TODO',
    fix: 'TODO',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
      good: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
    },
  },
  check() {
    return [];
  },
};

export default rule;
