import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: TLS or signature checks turned off: `curl -k/--insecure`, `wget --no-check-certificate`, `pip --trusted-host`, `PIP_TRUSTED_HOST`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `npm config set strict-ssl false`, `GIT_SSL_NO_VERIFY`, `apk --allow-untrusted`, `apt-get --allow-unauthenticated`/`--force-yes`, `--nogpgcheck`, `rpm --nosignature`
// Passes when: 
const rule: Rule = {
  meta: {
    id: 'dockerfile/tls-verification',
    title: 'TODO',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['CKV2_DOCKER_2..16'],
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
