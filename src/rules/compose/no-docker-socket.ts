import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a volume mounts `docker.sock` (any path ending in it)
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'compose/no-docker-socket',
    title: 'TODO',
    severity: 'critical',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS docker_socket_mounted_in_container', 'CIS-5.32'],
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
