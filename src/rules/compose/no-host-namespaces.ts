import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { resolve } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';

/** Service keys that can join a host namespace, and what sharing it exposes. */
const KEYS: { key: string; what: string }[] = [
  { key: 'network_mode', what: "the host's network stack (every host interface and port, and services bound to the host's localhost)" },
  { key: 'pid', what: 'every host process to see (command lines, environments) and signal' },
  { key: 'ipc', what: "the host's shared memory and semaphores" },
  { key: 'uts', what: "the host's hostname to change" },
  { key: 'userns_mode', what: "the host's user namespace, bypassing user-namespace remapping (root in it is root on the host)" },
];

const rule: Rule = {
  meta: {
    id: 'compose/no-host-namespaces',
    title: 'No host namespaces',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['CIS-5.10', 'CIS-5.16', 'CIS-5.17', 'CIS-5.21', 'CIS-5.31'],
    rationale:
      'Namespaces are what make a container a container. `network_mode: host` puts it on the host network (it can reach services ' +
      "bound to the host's localhost and bind any host port), `pid: host` shows it every host process, `ipc: host` shares the host's " +
      'shared memory, `uts: host` lets it rename the host, and `userns_mode: host` turns off user-namespace remapping. Each removes a ' +
      'layer of isolation between a compromised service and the host.',
    fix: 'Remove the `host` setting; publish the ports the service needs with `ports:` and share namespaces only between containers (`pid: service:x`) when truly needed.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    network_mode: host\n    pid: host\n' },
      good: {
        file: 'docker-compose.yml',
        content: 'services:\n  app:\n    image: alpine:3.20\n    ports:\n      - "127.0.0.1:8080:8080"\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const found: RawResult[] = [];
      for (const { key, what } of KEYS) {
        const n = sget(svc, key);
        const r = resolve(env, n);
        if (!n || !r) continue;
        if (r.value === null) {
          found.push(
            unknown(
              target,
              nodeLoc(n),
              `\`${key}\` of service \`${svc.name}\` is set from a variable without a default (\`${r.raw}\`), so whether it shares a host namespace is unknown.`,
            ),
          );
        } else if (r.value.trim().toLowerCase() === 'host') {
          const via = r.interpolated ? ` (\`${r.raw}\` defaults to \`host\`)` : '';
          found.push(
            fail(
              target,
              nodeLoc(n),
              `\`${key}: host\`${via} removes a layer of isolation between service \`${svc.name}\` and the host: it gets ${what}; remove it${key === 'network_mode' ? ' and publish the ports it needs with `ports:`' : ''}.`,
            ),
          );
        }
      }
      const results = found.length ? found : [pass(target, absenceLoc(env, svc), 'no host namespace is shared', 'own namespaces')];
      out.push(...results.map((r) => ({ ...r, environment: env.name })));
    }
    return out;
  },
};

export default rule;
