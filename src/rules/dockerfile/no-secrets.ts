import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: ENV or ARG with a secret-like name and a literal value; COPY/ADD of secret files (`.env`, `id_rsa`, `*.pem`, `*.key`, `credentials.json`, `.npmrc`/`.pypirc` with tokens) into any stage that the final image copies from
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'dockerfile/no-secrets',
    title: 'TODO',
    severity: 'critical',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3064', 'DS-0031', 'SecretsUsedInArgOrEnv', 'CIS-DI-0010'],
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
