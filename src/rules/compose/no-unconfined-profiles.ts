import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { fail, pass, unknown } from '../_util.js';
import { type SecurityOpt, securityOpts } from './_security-opt.js';

/** Options that switch off a kernel confinement layer, and what that means. */
const UNCONFINED: { name: string; value: string; what: string }[] = [
  {
    name: 'seccomp',
    value: 'unconfined',
    what: 'turns off the seccomp filter, so every system call (`mount`, `keyctl`, `bpf`, `unshare`...) reaches the kernel',
  },
  {
    name: 'apparmor',
    value: 'unconfined',
    what: 'turns off the AppArmor profile that keeps the container away from `/proc` and `/sys` writes and mounts',
  },
  { name: 'label', value: 'disable', what: 'turns off SELinux separation between this container and the host and other containers' },
  {
    name: 'systempaths',
    value: 'unconfined',
    what: 'unmasks `/proc` and `/sys` paths (`/proc/kcore`, `/proc/sysrq-trigger`...) that Docker hides from containers',
  },
];

function unconfined(o: SecurityOpt): (typeof UNCONFINED)[number] | undefined {
  return UNCONFINED.find((u) => u.name === o.name && o.value !== null && o.value.toLowerCase() === u.value);
}

/** What the pass shows: the profiles that apply. */
function evidence(opts: SecurityOpt[]): string {
  const custom = opts.filter((o) => (o.name === 'seccomp' || o.name === 'apparmor') && o.value);
  if (custom.length === 0) return 'default seccomp and AppArmor profiles';
  return custom.map((o) => `\`${o.name}:${o.value}\``).join(', ');
}

const rule: Rule = {
  meta: {
    id: 'compose/no-unconfined-profiles',
    title: 'Keep seccomp, AppArmor and SELinux confinement',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['CIS-5.22'],
    rationale:
      'Docker confines every container with a seccomp filter (about 50 rarely needed system calls blocked), an AppArmor profile ' +
      'or SELinux label, and masked `/proc`/`/sys` paths. These layers are what stop many container escapes that exploit kernel ' +
      'bugs reachable through obscure system calls or writable kernel interfaces. `seccomp:unconfined`, `apparmor:unconfined`, ' +
      '`label:disable` and `systempaths=unconfined` remove them for the whole container, usually to make one tool work; a ' +
      'custom profile that allows just that call keeps the rest.',
    fix: 'Remove the `unconfined`/`disable` option; if the service really needs a blocked call, ship a custom seccomp profile (`seccomp:./seccomp.json`) that allows only it.',
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: 'services:\n  app:\n    image: alpine:3.20\n    security_opt:\n      - seccomp:unconfined\n',
      },
      good: {
        file: 'docker-compose.yml',
        content: 'services:\n  app:\n    image: alpine:3.20\n    security_opt:\n      - no-new-privileges:true\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const opts = securityOpts(env, svc);
      const results: RawResult[] = [];
      for (const o of opts) {
        const u = unconfined(o);
        if (u) {
          results.push(
            fail(
              target,
              nodeLoc(o.node),
              `\`${o.raw}\` on \`${svc.name}\` ${u.what}, weakening the isolation between a compromised process and the host; remove it, or use a custom profile that allows only what the service needs.`,
            ),
          );
        } else if (o.name === null) {
          results.push(
            unknown(
              target,
              nodeLoc(o.node),
              `\`${o.raw}\` comes from a variable without a default, so whether it disables a confinement profile is unknown.`,
            ),
          );
        }
      }
      if (results.length === 0) {
        const so = sget(svc, 'security_opt');
        results.push(pass(target, so ? nodeLoc(so) : absenceLoc(env, svc), 'no confinement profile is disabled', evidence(opts)));
      }
      for (const r of results) out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
