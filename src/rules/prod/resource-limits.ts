import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: a service lacks a CPU or a memory limit (`deploy.resources.limits.cpus/memory`, or `cpus`/`mem_limit`)
// Passes when: Evidence: cpus and memory per service
const rule: Rule = {
  meta: {
    id: 'prod/resource-limits',
    title: 'TODO',
    severity: 'medium',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: ['KICS memory_not_limited', 'cpus_not_limited', 'CIS-5.11', '5.12'],
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
