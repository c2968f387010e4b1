import type { PNode } from '../../parse/yaml.js';
import type { RawResult, Rule } from '../../types.js';
import { prodAbsenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { fail, pass } from '../_util.js';
import { asWritten, isUnlimited } from './_limits.js';

/**
 * prod/resource-limits: every production service has a CPU and a memory limit, from
 * `deploy.resources.limits.cpus`/`memory` or the legacy service keys `cpus`/`mem_limit` (compose
 * honours both; the deploy form wins when both are set). `0` (and `-1` for memory) means unlimited.
 * Values are read as written, interpolated ones included (`${API_MEMORY:-1G}` is a limit someone set).
 *
 * Evidence (the report's resource table reads it): `cpus 2.0, memory 2G`.
 */

function pick(svc: Parameters<typeof sget>[0], deployKey: string, legacyKey: string): PNode | undefined {
  return sget(svc, 'deploy', 'resources', 'limits', deployKey) ?? sget(svc, legacyKey);
}

const rule: Rule = {
  meta: {
    id: 'prod/resource-limits',
    title: 'CPU and memory limits in production',
    severity: 'medium',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: ['KICS memory_not_limited', 'cpus_not_limited', 'CIS-5.11', '5.12'],
    rationale:
      'Without limits a container may use every CPU and all the memory of the host. One leaking worker, a traffic spike or a ' +
      'request that triggers a pathological code path then starves every other container on the machine (the database included) ' +
      'and the kernel OOM killer picks its victims at random. A memory limit makes the runaway container the one that is killed ' +
      'and restarted; a CPU limit keeps the rest of the stack responsive. Production is where this matters, so the limits belong ' +
      'in the production overlay.',
    fix: 'Set `deploy.resources.limits` with `cpus` and `memory` on every service in the production compose file (e.g. `cpus: "1.0"`, `memory: 512M`).',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
      good: {
        file: 'docker-compose.yml',
        content:
          "services:\n  app:\n    image: alpine:3.20\n    deploy:\n      resources:\n        limits:\n          cpus: '1.0'\n          memory: 512M\n",
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project, true)) {
      const cpus = pick(svc, 'cpus', 'cpus');
      const mem = pick(svc, 'memory', 'mem_limit');
      const limits = sget(svc, 'deploy', 'resources', 'limits');
      const push = (r: RawResult) => out.push({ ...r, environment: env.name });
      const missing: string[] = [];
      let where = limits ? nodeLoc(limits) : prodAbsenceLoc(env, svc);
      for (const [what, n] of [
        ['CPU', cpus],
        ['memory', mem],
      ] as const) {
        if (!n) missing.push(`${what} limit`);
        else if (isUnlimited(n, what === 'memory')) {
          missing.push(`${what} limit (\`${asWritten(n)}\` means unlimited)`);
          where = nodeLoc(n);
        }
      }
      if (missing.length === 0 && cpus && mem) {
        const evidence = `cpus ${asWritten(cpus)}, memory ${asWritten(mem)}`;
        push(pass(target, nodeLoc(limits ?? cpus), `limited to ${evidence}`, evidence));
        continue;
      }
      push(
        fail(
          target,
          where,
          `Service \`${svc.name}\` has no ${missing.join(' and no ')} in ${env.name}, so a runaway process can take the whole host and starve every other container; ` +
            'set `deploy.resources.limits.cpus` and `.memory` in the production compose file.',
        ),
      );
    }
    return out;
  },
};

export default rule;
