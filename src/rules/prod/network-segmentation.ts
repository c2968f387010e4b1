import { get, type PNode } from '../../parse/yaml.js';
import type { Location, RawResult, Rule } from '../../types.js';
import { isTrue, items, nodeLoc, provLoc } from '../_compose.js';
import { fail, pass, unknown } from '../_util.js';

/**
 * prod/network-segmentation (one result per production environment, target: its first file): the
 * production networks are planned, not left to the defaults: a network declares its own subnet
 * (`ipam.config[].subnet`) or is `internal: true` (no route to the outside). Networks that are
 * `external` are defined elsewhere, so when nothing else decides, the answer is unknown.
 *
 * Evidence: "Dedicated subnet (172.28.0.0/16)", "`backend-net` internal", or both joined by "; ".
 * A failure points at the top-level `networks:` key, or at line 1 of the first file when there is none.
 */
const rule: Rule = {
  meta: {
    id: 'prod/network-segmentation',
    title: 'Segmented production networks',
    severity: 'info',
    family: 'prod',
    target: 'project',
    env: 'prod',
    aliases: [],
    rationale:
      'On the default bridge network every container can reach every other one and the outside world. Declaring the production ' +
      "networks makes the topology explicit: a fixed subnet avoids clashes with the host's other networks and lets firewall rules " +
      'and allow-lists name it, and an `internal: true` network for the database and cache tier has no route out, so a compromised ' +
      'container behind it cannot exfiltrate data or fetch tools directly.',
    fix: 'Declare the production networks with a dedicated subnet (`ipam: {config: [{subnet: 172.28.0.0/16}]}`) and put the data tier on an `internal: true` network.',
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: 'services:\n  app:\n    image: alpine:3.20\n    networks: [app-net]\nnetworks:\n  app-net: {}\n',
      },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  app:\n    image: alpine:3.20\n    networks: [app-net]\nnetworks:\n  app-net:\n    ipam:\n      config:\n        - subnet: 172.28.0.0/16\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const compose of project.compose) {
      for (const env of compose.environments) {
        if (!env.isProd) continue;
        const target = env.files[0] ?? env.dir;
        const subnets: PNode[] = [];
        const internal: { name: string; node: PNode }[] = [];
        const external: string[] = [];
        for (const [name, n] of env.networks) {
          for (const c of items(get(get(n, 'ipam'), 'config'))) {
            const s = get(c, 'subnet');
            if (s && s.kind === 'scalar' && s.value !== null) subnets.push(s);
          }
          const i = get(n, 'internal');
          if (i && isTrue(i)) internal.push({ name, node: i });
          const ext = get(n, 'external');
          if (ext && (isTrue(ext) || ext.kind === 'map')) external.push(name);
        }
        const key = env.root.entries.find((e) => e.key === 'networks');
        const where: Location = key ? provLoc(key.keyProv) : { file: target, line: 1, column: 1, endLine: 1, endColumn: 1 };
        let r: RawResult;
        if (subnets.length || internal.length) {
          const parts: string[] = [];
          if (subnets.length)
            parts.push(
              `Dedicated subnet${subnets.length > 1 ? 's' : ''} (${subnets.map((s) => String((s as { value: unknown }).value)).join(', ')})`,
            );
          if (internal.length) parts.push(`${internal.map((x) => `\`${x.name}\``).join(', ')} internal`);
          const evidence = parts.join('; ');
          r = pass(target, nodeLoc(subnets[0] ?? internal[0].node), evidence, evidence);
        } else if (external.length) {
          r = unknown(
            target,
            where,
            `The ${env.name} networks declare no subnet and none is internal, but ${external.map((x) => `\`${x}\``).join(', ')} ${external.length > 1 ? 'are' : 'is'} external (defined outside this project), so how the services are segmented is unknown here.`,
          );
        } else {
          r = fail(
            target,
            where,
            `No ${env.name} network declares a subnet or is \`internal: true\`, so the services share default bridge networks with routes everywhere; declare a network with \`ipam.config[].subnet\` and put the data tier on an \`internal: true\` network.`,
          );
        }
        out.push({ ...r, environment: env.name });
      }
    }
    return out;
  },
};

export default rule;
