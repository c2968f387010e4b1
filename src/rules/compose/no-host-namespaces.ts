import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: `network_mode: host`, `pid: host`, `ipc: host`, `uts: host`, `userns_mode: host`
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'compose/no-host-namespaces',
    title: 'TODO',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['CIS-5.10', '5.16', '5.17', '5.21', '5.31'],
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
