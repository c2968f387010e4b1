import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, items, nodeLoc, services, sget } from '../_compose.js';
import { capName, resolve } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';

/** Capabilities that break isolation, with what they allow. */
const DANGEROUS: Record<string, string> = {
  ALL: 'use every capability, close to `privileged: true`',
  SYS_ADMIN: 'mount filesystems and perform dozens of other administrative operations, the classic container escape route',
  NET_ADMIN: 'reconfigure interfaces, routes and firewall rules, and sniff or redirect traffic',
  SYS_PTRACE: 'trace and inject code into other processes',
  SYS_MODULE: 'load kernel modules, i.e. run code in the host kernel',
  DAC_READ_SEARCH: 'bypass file read permissions and open host files by handle (the "shocker" escape)',
  NET_RAW: 'craft raw packets to spoof ARP, DNS or other traffic on the container network',
};

const rule: Rule = {
  meta: {
    id: 'compose/no-dangerous-capabilities',
    title: 'No dangerous added capabilities',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['CIS-5.4'],
    rationale:
      "Linux capabilities split root's power into pieces; Docker grants a small default set. Some pieces are enough to escape or to " +
      'attack the host and neighbours: `SYS_ADMIN` (mount, and much more), `SYS_MODULE` (kernel modules), `SYS_PTRACE` (inject into ' +
      'processes), `DAC_READ_SEARCH` (read any file, open host files by handle), `NET_ADMIN` (rewrite the network), `NET_RAW` (spoof ' +
      'packets), and `ALL`. Names are matched in any case, with or without the `CAP_` prefix.',
    fix: 'Remove the capability from `cap_add`; if the service needs one narrow power (binding port 80), add only that (`NET_BIND_SERVICE`) on top of `cap_drop: [ALL]`.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    cap_add:\n      - SYS_ADMIN\n' },
      good: {
        file: 'docker-compose.yml',
        content: 'services:\n  app:\n    image: alpine:3.20\n    cap_drop:\n      - ALL\n    cap_add:\n      - NET_BIND_SERVICE\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const found: RawResult[] = [];
      const added: string[] = [];
      const list = sget(svc, 'cap_add');
      for (const item of items(list)) {
        const r = resolve(env, item);
        if (!r) continue;
        if (r.value === null) {
          found.push(
            unknown(
              target,
              nodeLoc(item),
              `\`cap_add\` of service \`${svc.name}\` holds \`${r.raw}\`, a variable without a default, so which capability it adds is unknown.`,
            ),
          );
          continue;
        }
        const cap = capName(r.value);
        added.push(cap);
        const what = Object.hasOwn(DANGEROUS, cap) ? DANGEROUS[cap] : undefined;
        if (!what) continue;
        found.push(
          fail(
            target,
            nodeLoc(item),
            `\`cap_add: ${r.raw}\` lets service \`${svc.name}\` ${what}, so a compromise of it can reach the host or its neighbours; remove it and add only the narrow capability the service needs.`,
          ),
        );
      }
      const evidence = added.length ? `\`cap_add: [${added.join(', ')}]\`` : 'no `cap_add`';
      const results = found.length
        ? found
        : [pass(target, list ? nodeLoc(list) : absenceLoc(env, svc), 'no dangerous capability is added', evidence)];
      out.push(...results.map((r) => ({ ...r, environment: env.name })));
    }
    return out;
  },
};

export default rule;
