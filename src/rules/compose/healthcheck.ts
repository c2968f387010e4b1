import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, services } from '../_compose.js';
import { serviceHealthcheck } from '../_compose-health.js';
import { fail, pass, unknown } from '../_util.js';

const rule: Rule = {
  meta: {
    id: 'compose/healthcheck',
    title: 'Every service has a healthcheck',
    severity: 'medium',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS healthcheck_not_set', 'CIS-5.27'],
    rationale:
      "Without a healthcheck Docker only knows that a container's main process is alive, not that it answers: a deadlocked app or a " +
      'database still replaying its log shows as "running", dependants start too early, and nothing restarts it. A healthcheck makes ' +
      '`docker compose ps` show the real state and lets `depends_on: condition: service_healthy` wait for it. The probe can be the ' +
      "service's compose `healthcheck.test` or the HEALTHCHECK of the Dockerfile it builds (compose's own `healthcheck` options then apply " +
      'on top). For an `image:` service compose is the only place seaworthy can see: a public image may define a HEALTHCHECK, but the ' +
      'repository does not say so, and most (postgres, redis, nginx) define none.',
    fix: 'Add a `healthcheck:` with a `test` that probes the service with a program its image has (e.g. `["CMD", "pg_isready", "-U", "app"]`, `["CMD", "redis-cli", "ping"]`), an `interval` and a `timeout`, or a HEALTHCHECK in the Dockerfile it builds; remove `disable: true`.',
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: 'services:\n  db:\n    image: postgres:16\n',
      },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  db:\n    image: postgres:16\n' +
          '    healthcheck:\n      test: ["CMD", "pg_isready", "-U", "postgres"]\n      interval: 10s\n      timeout: 5s\n      retries: 5\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const h = serviceHealthcheck(project, env, svc);
      const at = (r: RawResult): RawResult => ({ ...r, environment: env.name });
      switch (h.state) {
        case 'present':
          out.push(
            at(
              pass(
                target,
                h.location ?? absenceLoc(env, svc),
                `healthcheck from ${h.source === 'compose' ? 'compose' : 'the Dockerfile'}: ${h.evidence}`,
                h.evidence ?? undefined,
              ),
            ),
          );
          break;
        case 'disabled':
          out.push(
            at(
              fail(
                target,
                h.source === 'compose' && h.location ? h.location : absenceLoc(env, svc),
                `In service \`${svc.name}\`, ${h.reason}, so Docker cannot tell a hung service from a healthy one and dependants cannot wait for it; ` +
                  (h.source === 'compose'
                    ? 'remove it and define a `healthcheck.test` that probes the service.'
                    : 'give the service a compose `healthcheck.test` or replace `HEALTHCHECK NONE` with a probe.'),
              ),
            ),
          );
          break;
        case 'absent':
          out.push(
            at(
              fail(
                target,
                absenceLoc(env, svc),
                `Service \`${svc.name}\` has no healthcheck: ${h.reason}, so Docker cannot tell a hung service from a healthy one and \`depends_on: service_healthy\` cannot wait for it; ` +
                  `add a \`healthcheck:\` with a \`test\`, \`interval\` and \`timeout\`${svc.build ? ' (or a HEALTHCHECK in its Dockerfile)' : ''}.`,
              ),
            ),
          );
          break;
        default:
          out.push(
            at(
              unknown(
                target,
                h.location ?? absenceLoc(env, svc),
                `Cannot tell whether service \`${svc.name}\` has a healthcheck: compose defines none and ${h.reason}; a compose \`healthcheck:\` would settle it.`,
              ),
            ),
          );
      }
    }
    return out;
  },
};

export default rule;
