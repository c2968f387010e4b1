import type { Environment } from '../../model/compose.js';
import { get, str } from '../../parse/yaml.js';
import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { resolve } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';

/** A top-level `networks.default` with settings: the project redefines its default network (e.g. `name: app-network`). */
function customDefault(env: Environment): string | null {
  const d = env.networks.get('default');
  if (d?.kind !== 'map' || d.entries.length === 0) return null;
  const name = str(get(d, 'name'));
  return name ? `\`${name}\` (the project's \`default\` network)` : '`default` (configured)';
}

const rule: Rule = {
  meta: {
    id: 'compose/dedicated-network',
    title: 'Services sit on a dedicated network',
    severity: 'low',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS networks_not_set'],
    rationale:
      'A service without `networks:` joins the implicit `default` network, where every other such service of the project can reach all ' +
      'its ports. Declaring networks by role (e.g. `frontend` for the proxy and the app, `backend` for the app and the database) states ' +
      'who may talk to whom, keeps the database unreachable from the proxy, and lets production mark back-end networks `internal: true`. ' +
      "A service with `network_mode: none` or one that shares another service's network (`service:x`) passes; `network_mode: host` is " +
      "`compose/no-host-namespaces`'s concern and gets no result here. A project that configures its `default` network (a top-level " +
      '`networks: default:` with a name or settings) counts as dedicated.',
    fix: 'Declare the networks at the top level (`networks: { app-network: {} }`) and list them on each service (`networks: [app-network]`).',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  app:\n    image: alpine:3.20\n    networks:\n      - app-network\nnetworks:\n  app-network:\n    driver: bridge\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const push = (r: RawResult) => out.push({ ...r, environment: env.name });
      const modeNode = sget(svc, 'network_mode');
      const mode = resolve(env, modeNode);
      if (modeNode && mode) {
        if (mode.value === null) {
          push(
            unknown(
              target,
              nodeLoc(modeNode),
              `\`network_mode\` of service \`${svc.name}\` is a variable without a default (\`${mode.raw}\`), so its network is unknown.`,
            ),
          );
          continue;
        }
        const m = mode.value.trim();
        if (m === 'host') continue;
        if (m === 'bridge' || m === 'default') {
          push(
            fail(
              target,
              nodeLoc(modeNode),
              `\`network_mode: ${m}\` puts service \`${svc.name}\` on Docker's default bridge, shared with every container on the host that has no network of its own; remove it and attach the service to a declared network.`,
            ),
          );
          continue;
        }
        push(pass(target, nodeLoc(modeNode), `network_mode ${m}`, `\`network_mode: ${m}\``));
        continue;
      }
      const nets = sget(svc, 'networks');
      const names = nets?.kind === 'map' ? nets.entries.map((e) => e.key) : [];
      const own = names.filter((n) => n !== 'default');
      const custom = customDefault(env);
      if (nets && own.length) {
        const shown = names.map((n) => (n === 'default' && custom ? custom : `\`${n}\``));
        push(pass(target, nodeLoc(nets), `on ${shown.join(', ')}`, shown.join(', ')));
      } else if (custom) {
        push(pass(target, nets ? nodeLoc(nets) : absenceLoc(env, svc), `on ${custom}`, custom));
      } else if (nets && names.length) {
        push(
          fail(
            target,
            nodeLoc(nets),
            `Service \`${svc.name}\` is only on the project's \`default\` network, which every service without \`networks:\` shares; attach it to a network declared for its role (e.g. \`backend\`).`,
          ),
        );
      } else {
        push(
          fail(
            target,
            absenceLoc(env, svc),
            `Service \`${svc.name}\` has no \`networks:\`, so it sits on the implicit \`default\` network where every other such service can reach all its ports; declare networks by role and list them on the service.`,
          ),
        );
      }
    }
    return out;
  },
};

export default rule;
