import { str } from '../../parse/yaml.js';
import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { boolOf } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';

const rule: Rule = {
  meta: {
    id: 'compose/no-privileged',
    title: 'No privileged containers',
    severity: 'critical',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS privileged_containers_enabled', 'CIS-5.5'],
    rationale:
      '`privileged: true` gives the container every capability, every host device, and no seccomp, AppArmor or SELinux confinement: ' +
      'root in such a container can mount the host disk, load kernel modules and take over the host in one command. It is almost never ' +
      'needed; what a service really needs (a device, one capability) can be granted on its own.',
    fix: 'Remove `privileged: true`; grant only what the service needs with `devices:` or a single `cap_add:` entry.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    privileged: true\n' },
      good: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    cap_drop: [ALL]\n' },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const n = sget(svc, 'privileged');
      const b = boolOf(env, n);
      const raw = str(n) ?? '';
      const via = raw.includes('$') ? ` (\`${raw}\` defaults to \`true\`)` : '';
      let r: RawResult;
      if (n && b === true) {
        r = fail(
          target,
          nodeLoc(n),
          `Service \`${svc.name}\` runs privileged${via}: all capabilities, all host devices and no seccomp/AppArmor confinement, so a compromise of it is a compromise of the host; remove \`privileged: true\` and grant only the device or capability it needs.`,
        );
      } else if (n && b === null) {
        r = unknown(
          target,
          nodeLoc(n),
          `\`privileged\` of service \`${svc.name}\` is set from a variable without a default, so whether it runs privileged is unknown.`,
        );
      } else {
        r = pass(target, n ? nodeLoc(n) : absenceLoc(env, svc), 'not privileged', n ? '`privileged: false`' : 'not privileged');
      }
      out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
