import { type PortSpec, parsePort } from '../../compose/merge.js';
import type { Environment } from '../../model/compose.js';
import { parseInterpolation } from '../../parse/interpolate.js';
import { get, type PNode, type PScalar, str } from '../../parse/yaml.js';
import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, items, nodeLoc, services, sget } from '../_compose.js';
import { resolve } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';
import { serviceDatastore } from './_datastore.js';

/** Stands for a variable without a default inside a port spec. */
const MARK = '\u0001';

/**
 * A string with every variable replaced by its default, and variables without one by a marker (so
 * `${PG_PORT}:5432` still shows that no host IP is given).
 */
function withMarkers(s: string): string {
  const uses = parseInterpolation(s).uses.filter((u) => u.depth === 0);
  let out = s;
  for (const u of [...uses].reverse()) {
    const rep = u.hasDefault ? withMarkers(u.word ?? '') : `${MARK}${u.name}${MARK}`;
    out = out.slice(0, u.start) + rep + out.slice(u.end);
  }
  return out.replace(/\$\$/g, '$');
}

type Binding = { kind: 'all' | 'loopback' | 'specific'; ip: string } | { kind: 'unknown'; why: string };

function classify(ip: string): Binding {
  const v = ip.replace(/^\[|\]$/g, '').trim();
  if (v === '' || v === '0.0.0.0' || v === '::' || v === '*') return { kind: 'all', ip: v };
  if (/^127\./.test(v) || v === '::1' || v.toLowerCase() === 'localhost' || v === '::ffff:127.0.0.1') return { kind: 'loopback', ip: v };
  return { kind: 'specific', ip: v };
}

/** How one `ports:` item binds on the host. */
function binding(env: Environment, item: PNode): { spec: PortSpec | null; bind: Binding } {
  if (item.kind === 'map') {
    const spec = parsePort(item);
    const hostIp = resolve(env, get(item, 'host_ip'));
    if (hostIp && hostIp.value === null) return { spec, bind: { kind: 'unknown', why: `its \`host_ip: ${hostIp.raw}\` has no default` } };
    return { spec, bind: classify(hostIp?.value ?? '') };
  }
  const raw = str(item);
  if (raw === undefined) return { spec: null, bind: { kind: 'unknown', why: 'it cannot be read' } };
  const text = raw.includes('$') ? withMarkers(raw) : raw;
  const synthetic: PScalar = { kind: 'scalar', value: text, style: 'plain', prov: item.prov };
  const spec = parsePort(synthetic);
  if (!spec) return { spec, bind: { kind: 'unknown', why: 'it cannot be read' } };
  if (spec.hostIp.includes(MARK) || (spec.published === '' && spec.target.includes(MARK))) {
    return { spec, bind: { kind: 'unknown', why: 'its host address comes from a variable without a default' } };
  }
  return { spec, bind: classify(spec.hostIp) };
}

function show(item: PNode): string {
  if (item.kind === 'scalar') return `\`${String(item.value)}\``;
  const t = str(get(item, 'target'));
  const p = str(get(item, 'published'));
  return `\`target: ${t ?? '?'}${p ? `, published: ${p}` : ''}\``;
}

const rule: Rule = {
  meta: {
    id: 'compose/internal-ports',
    title: 'Datastores are not published on all interfaces',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['dclint no-unbound-port-interfaces', 'KICS container_traffic_not_bound_to_host_interface', 'CIS-5.14'],
    rationale:
      'A database, cache, search engine or broker only needs to be reachable by the services on its compose network. ' +
      '`ports: ["5432:5432"]` publishes it on every interface of the host, and Docker inserts its port-forwarding rules ahead of ' +
      'ufw/firewalld INPUT rules, so the port is usually open to the whole network or the internet even on a host with a firewall. ' +
      'Exposed Redis, MongoDB and Elasticsearch instances are among the most common sources of data breaches and ransom wipes. ' +
      "Compose appends `ports` when merging, so a base file's `5432:5432` survives an overlay that adds `127.0.0.1:5432:5432`.",
    fix: 'Remove `ports:` from the datastore (services reach it by name on the compose network), or bind it to loopback for local tools: `"127.0.0.1:5432:5432"`.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n' },
      good: {
        file: 'docker-compose.yml',
        content: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const sd = serviceDatastore(env, svc);
      if (!sd) continue;
      const product = sd.ds.product;
      const results: RawResult[] = [];
      const nm = sget(svc, 'network_mode');
      const mode = resolve(env, nm)?.value;
      if (nm && mode === 'host') {
        results.push(
          fail(
            target,
            nodeLoc(nm),
            `\`network_mode: host\` makes ${product} (\`${svc.name}\`) listen directly on the host's interfaces, reachable from the network; ` +
              'use a compose network and reach it by service name.',
          ),
        );
      }
      const portsNode = sget(svc, 'ports');
      const ports = items(portsNode).map((item) => ({ item, ...binding(env, item) }));
      const bound: string[] = [];
      for (const p of ports) {
        if (p.bind.kind === 'all') {
          const loopbackTwin = ports.find(
            (q) => q !== p && q.bind.kind === 'loopback' && q.spec?.target === p.spec?.target && q.item.prov.file !== p.item.prov.file,
          );
          const twin = loopbackTwin
            ? ` ${show(loopbackTwin.item)} in \`${loopbackTwin.item.prov.file}\` is added beside it, not instead of it (compose appends \`ports\` when merging); remove this line or use \`ports: !override\` in the overlay.`
            : ` Remove the mapping (other services reach \`${svc.name}\` over the compose network) or bind it to loopback (\`127.0.0.1:${p.spec?.published || p.spec?.target}:${p.spec?.target}\`).`;
          results.push(
            fail(
              target,
              nodeLoc(p.item),
              `${show(p.item)} publishes ${product} (\`${svc.name}\`) on ${p.spec?.published ? 'all host interfaces' : 'a random port of all host interfaces'}, and Docker's forwarding bypasses host firewall INPUT rules.${twin}`,
            ),
          );
        } else if (p.bind.kind === 'unknown') {
          results.push(
            unknown(
              target,
              nodeLoc(p.item),
              `Whether ${show(p.item)} publishes ${product} (\`${svc.name}\`) on all interfaces is unknown: ${p.bind.why}.`,
            ),
          );
        } else if (!bound.includes(p.bind.ip)) {
          bound.push(p.bind.ip);
        }
      }
      if (results.length === 0) {
        const evidence = bound.length ? `bound to ${bound.join(', ')}` : 'no published ports';
        results.push(
          pass(
            target,
            portsNode ? nodeLoc(portsNode) : absenceLoc(env, svc),
            `${product} (\`${svc.name}\`) is not published on all interfaces`,
            evidence,
          ),
        );
      }
      for (const r of results) out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
