import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a datastore (postgres, mysql/mariadb, redis, mongo, elasticsearch/opensearch, rabbitmq, memcached, etcd, ...) publishes a port on all interfaces
// Passes when: ports absent or bound to `127.0.0.1`
const rule: Rule = {
  meta: {
    id: 'compose/internal-ports',
    title: 'TODO',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['dclint no-unbound-port-interfaces', 'KICS container_traffic_not_bound_to_host_interface', 'CIS-5.14'],
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
