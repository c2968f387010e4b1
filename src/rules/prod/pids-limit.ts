import type { RawResult, Rule } from '../../types.js';
import { prodAbsenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { fail, pass } from '../_util.js';
import { asWritten, isUnlimited } from './_limits.js';

/**
 * prod/pids-limit: every production service caps its number of processes, with `pids_limit` or
 * `deploy.resources.limits.pids`. `0` and `-1` mean unlimited. Evidence: `pids 200`.
 */
const rule: Rule = {
  meta: {
    id: 'prod/pids-limit',
    title: 'Process count limit in production',
    severity: 'low',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: ['KICS pids_limit_not_set', 'CIS-5.29'],
    rationale:
      'A container without a PIDs limit can create processes until the host runs out: a fork bomb, a bug that spawns a ' +
      'worker per request, or an attacker with code execution exhausts the kernel process table and every container on the host ' +
      'stops being able to start processes. A limit of a few hundred is far above what a normal service needs and contains the damage ' +
      'to the one container.',
    fix: 'Set `pids_limit: 200` (or `deploy.resources.limits.pids`) on every service in the production compose file.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
      good: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    pids_limit: 200\n' },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project, true)) {
      const n = sget(svc, 'deploy', 'resources', 'limits', 'pids') ?? sget(svc, 'pids_limit');
      let r: RawResult;
      if (!n) {
        r = fail(
          target,
          prodAbsenceLoc(env, svc),
          `Service \`${svc.name}\` has no process limit in ${env.name}, so a fork bomb or a runaway worker can exhaust the host's process table; set \`pids_limit: 200\` in the production compose file.`,
        );
      } else if (isUnlimited(n)) {
        r = fail(
          target,
          nodeLoc(n),
          `\`${asWritten(n)}\` means no process limit for service \`${svc.name}\`, so a fork bomb or a runaway worker can exhaust the host's process table; set a positive limit such as \`pids_limit: 200\`.`,
        );
      } else {
        r = pass(target, nodeLoc(n), `at most ${asWritten(n)} processes`, `pids ${asWritten(n)}`);
      }
      out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
