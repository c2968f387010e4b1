import type { Environment, Service } from '../../model/compose.js';
import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, items, nodeLoc, services, sget } from '../_compose.js';
import { mounts } from '../_compose-mounts.js';
import { boolOf, resolve } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';

/** Writable scratch space the service gets: `tmpfs:` entries and `type: tmpfs` volumes. */
function tmpfsTargets(env: Environment, svc: Service): string[] {
  const out: string[] = [];
  const t = sget(svc, 'tmpfs');
  for (const n of t?.kind === 'seq' ? items(t) : t ? [t] : []) {
    const v = resolve(env, n);
    const path = (v?.value ?? v?.raw)?.split(':')[0];
    if (path && !out.includes(path)) out.push(path);
  }
  for (const m of mounts(env, svc)) if (m.type === 'tmpfs' && m.target && !out.includes(m.target)) out.push(m.target);
  return out;
}

const rule: Rule = {
  meta: {
    id: 'compose/read-only-rootfs',
    title: 'Read-only root filesystem',
    severity: 'low',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['CIS-5.13'],
    rationale:
      "With a writable root filesystem, an attacker who gets code execution in the container can replace the application's " +
      'files, drop tools and persistence scripts, or edit configuration the process reads later, and the change lives as long as ' +
      'the container. `read_only: true` makes the image layers immutable at run time; the few paths a service really writes ' +
      '(`/tmp`, a cache or PID directory) are given as `tmpfs` mounts or volumes, which also documents them.',
    fix: 'Add `read_only: true` to the service and mount the paths it writes as `tmpfs:` (e.g. `/tmp`) or volumes.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
      good: {
        file: 'docker-compose.yml',
        content: 'services:\n  app:\n    image: alpine:3.20\n    read_only: true\n    tmpfs:\n      - /tmp\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const n = sget(svc, 'read_only');
      const b = boolOf(env, n);
      let r: RawResult;
      if (n && b === true) {
        const tmp = tmpfsTargets(env, svc);
        const evidence = tmp.length ? `\`read_only: true\` with tmpfs ${tmp.map((p) => `\`${p}\``).join(', ')}` : '`read_only: true`';
        r = pass(target, nodeLoc(n), 'the root filesystem is read-only', evidence);
      } else if (n && b === null) {
        r = unknown(
          target,
          nodeLoc(n),
          `\`read_only\` of \`${svc.name}\` comes from a variable without a default, so whether its root filesystem is read-only is unknown.`,
        );
      } else {
        r = fail(
          target,
          n ? nodeLoc(n) : absenceLoc(env, svc),
          `Service \`${svc.name}\` has a writable root filesystem, so an attacker with code execution can modify its files and drop tools; ` +
            'set `read_only: true` and mount the paths it writes as `tmpfs` or volumes.',
        );
      }
      out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
