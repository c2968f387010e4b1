import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a bind mount of `/`, `/etc`, `/proc`, `/sys`, `/dev`, `/boot`, `/root`, `/lib`, `/usr`, `/var/run`; read-write is high, `:ro` is medium
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'compose/no-sensitive-mounts',
    title: 'TODO',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS volume_has_sensitive_host_directory', 'CIS-5.6'],
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
