import { type PortSpec, parsePort } from '../../compose/merge.js';
import type { Service } from '../../model/compose.js';
import { rootFrom } from '../../model/image.js';
import { parseImageRef } from '../../parse/image-ref.js';
import { parseInterpolation } from '../../parse/interpolate.js';
import type { PNode } from '../../parse/yaml.js';
import type { RawResult, Rule } from '../../types.js';
import { prodAbsenceLoc, items, nodeLoc, services, sget } from '../_compose.js';
import { resolve } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';

/**
 * prod/published-ports: in production only the edge proxy publishes ports on all host interfaces;
 * every other service is reached through it (or binds to loopback for a local tunnel).
 *
 * The edge proxy is recognised by what it runs: an `image:` whose repository's last part is nginx
 * (and `nginx-*`: nginx-unprivileged, nginx-proxy), openresty, traefik, caddy, haproxy, envoy,
 * httpd/apache, kong or varnish, or a service built from such a base (its Dockerfile's root FROM);
 * or by its name, whatever it runs (a custom-built gateway is still the edge): proxy,
 * reverse-proxy, nginx, traefik, caddy, haproxy, envoy, edge, gateway, api-gateway, ingress, lb,
 * load-balancer. Every service recognised so passes, with the ports it publishes as evidence.
 *
 * Ports are judged after merging, and compose appends `ports` from every file (unique by host ip,
 * published port, target and protocol), so a base `8000:8000` survives an overlay's
 * `127.0.0.1:8000:8000`: the base item fails, at the base line. A port with no host ip (`8000:8000`,
 * or just `8000`, which publishes a random host port), `0.0.0.0` or `::` is on all interfaces;
 * `127.0.0.0/8`, `::1` and `localhost` are loopback; another address is a deliberate interface and
 * passes. A host ip from a variable is unknown.
 *
 * `network_mode: host` publishes nothing, yet every port the service listens on is open on the host's
 * interfaces (compose ignores its `ports`): it fails at that value unless the service is the edge proxy,
 * like compose/internal-ports does for datastores.
 */

const EDGE_IMAGE = /^(?:nginx|openresty|traefik|caddy|haproxy|envoy|httpd|apache2?|kong|varnish)(?:$|[-_])/;
const EDGE_NAME =
  /^(?:proxy|reverse[-_]?proxy|nginx|traefik|caddy|haproxy|envoy|edge|gateway|api[-_]?gateway|ingress|lb|load[-_]?balancer)$/i;

function lastPart(name: string | null | undefined): string {
  if (!name) return '';
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Why a service counts as the edge proxy, or null. */
function edgeReason(svc: Service): string | null {
  if (svc.image && !svc.image.includes('$')) {
    const n = lastPart(parseImageRef(svc.image).name);
    if (EDGE_IMAGE.test(n)) return `runs \`${svc.image}\``;
  }
  if (svc.imageModel) {
    const from = rootFrom(svc.imageModel.dockerfile, svc.imageModel.stage);
    if (EDGE_IMAGE.test(lastPart(from.name))) return `is built from \`${from.resolved ?? from.raw}\``;
  }
  if (EDGE_NAME.test(svc.name)) return 'is named as the edge proxy';
  return null;
}

type Binding = { kind: 'all' | 'loopback' | 'address'; spec: PortSpec } | { kind: 'unknown'; why: string };

function binding(item: PNode): Binding | null {
  let spec: PortSpec | null;
  if (item.kind === 'scalar' && typeof item.value === 'string' && item.value.includes('$')) {
    // Replace each variable with a placeholder without `:` so the parts stay where they are.
    const raw = item.value;
    const { uses, errors } = parseInterpolation(raw);
    if (errors.length) return { kind: 'unknown', why: 'it is not a valid interpolation' };
    let text = '';
    let at = 0;
    for (const u of uses.filter((x) => x.depth === 0)) {
      text += `${raw.slice(at, u.start)}\uE000${u.name}\uE000`;
      at = u.end;
    }
    text += raw.slice(at);
    spec = parsePort({ ...item, value: text });
    if (spec?.hostIp.includes('\uE000')) return { kind: 'unknown', why: `its host address comes from a variable (\`${raw}\`)` };
    if (spec)
      spec = {
        ...spec,
        published: spec.published.replace(/\uE000(\w+)\uE000/g, '$${$1}'),
        target: spec.target.replace(/\uE000(\w+)\uE000/g, '$${$1}'),
      };
  } else {
    spec = parsePort(item);
  }
  if (!spec) return null;
  const ip = spec.hostIp.replace(/^\[|\]$/g, '');
  if (ip.includes('$')) return { kind: 'unknown', why: `its host address comes from a variable (\`${ip}\`)` };
  if (ip === '' || ip === '0.0.0.0' || ip === '::') return { kind: 'all', spec };
  if (/^127\./.test(ip) || ip === '::1' || ip === 'localhost') return { kind: 'loopback', spec };
  return { kind: 'address', spec };
}

function show(spec: PortSpec): string {
  const host = spec.hostIp ? `${spec.hostIp.includes(':') ? `[${spec.hostIp}]` : spec.hostIp}:` : '';
  const proto = spec.protocol && spec.protocol !== 'tcp' ? `/${spec.protocol}` : '';
  return spec.published ? `${host}${spec.published}:${spec.target}${proto}` : `${host}${spec.target}${proto}`;
}

const rule: Rule = {
  meta: {
    id: 'prod/published-ports',
    title: 'Only the edge proxy publishes ports in production',
    severity: 'medium',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: [],
    rationale:
      "A port published without a host address listens on every interface of the host, and Docker's iptables rules open it " +
      'even when the host firewall (ufw, firewalld) says otherwise. In production only the edge proxy should be reachable from ' +
      'outside: it terminates TLS, applies rate limits and headers, and hides the application servers behind it. Compose appends ' +
      "`ports` from every file, so an overlay that adds `127.0.0.1:8000:8000` does not remove the base file's `8000:8000`; the " +
      'base mapping has to be removed (or reset with `!reset`). `network_mode: host` publishes nothing but opens every port the ' +
      "service listens on on the host's interfaces, so it is allowed only for the edge proxy.",
    fix: 'Remove the port from the service (reach it through the proxy on the internal network), bind it to loopback (`127.0.0.1:8000:8000`), or replace the base list in the production overlay with `ports: !override [...]`.',
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: 'services:\n  api:\n    image: python:3.12-slim\n    ports:\n      - "8000:8000"\n',
      },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  proxy:\n    image: nginx:1.27-alpine\n    ports:\n      - "80:80"\n  api:\n    image: python:3.12-slim\n    ports:\n      - "127.0.0.1:8000:8000"\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project, true)) {
      const push = (r: RawResult) => out.push({ ...r, environment: env.name });
      const nm = sget(svc, 'network_mode');
      if (nm && resolve(env, nm)?.value === 'host') {
        const edge = edgeReason(svc);
        push(
          edge
            ? pass(
                target,
                nodeLoc(nm),
                `the edge proxy (it ${edge}) listens on the host's interfaces (\`network_mode: host\`)`,
                'edge proxy: `network_mode: host`',
              )
            : fail(
                target,
                nodeLoc(nm),
                `Service \`${svc.name}\` uses \`network_mode: host\` in ${env.name}, so every port it listens on is open on the host's interfaces, bypassing the edge proxy; ` +
                  'put it on a compose network and reach it through the proxy (or publish a port on `127.0.0.1`).',
              ),
        );
        continue;
      }
      const ports = items(sget(svc, 'ports'));
      if (ports.length === 0) {
        push(pass(target, prodAbsenceLoc(env, svc), 'publishes no ports', 'no published ports'));
        continue;
      }
      const edge = edgeReason(svc);
      const judged = ports.map((item) => ({ item, b: binding(item) ?? ({ kind: 'unknown', why: 'it cannot be read' } as Binding) }));
      const open = judged.filter((j) => j.b?.kind === 'all');
      if (edge) {
        const shown = judged.map((j) => (j.b && j.b.kind !== 'unknown' ? `\`${show(j.b.spec)}\`` : null)).filter(Boolean);
        push(
          pass(
            target,
            nodeLoc(ports[0]),
            `the edge proxy (it ${edge}) publishes ${shown.join(', ') || 'its ports'}`,
            `edge proxy: ${shown.join(', ')}`,
          ),
        );
        continue;
      }
      for (const { item, b } of judged) {
        if (b?.kind === 'unknown')
          push(
            unknown(
              target,
              nodeLoc(item),
              `Whether ${item.kind === 'scalar' ? `port \`${String(item.value)}\`` : 'a port'} of service \`${svc.name}\` is published on all interfaces is unknown: ${b.why}.`,
            ),
          );
      }
      for (const { item, b } of open) {
        if (!b || b.kind === 'unknown') continue;
        const loop = judged.find(
          (j) => j.b && j.b.kind === 'loopback' && j.b.spec.target === b.spec.target && j.item.prov.file !== item.prov.file,
        );
        const survives = loop
          ? ` Compose appends \`ports\` from every file, so this mapping from ${item.prov.file} is kept beside the loopback one in ${loop.item.prov.file}.`
          : '';
        const what = b.spec.published ? `\`${show(b.spec)}\`` : `container port \`${b.spec.target}\` on a random host port`;
        push(
          fail(
            target,
            nodeLoc(item),
            `Service \`${svc.name}\` publishes ${what} on all host interfaces in ${env.name}, bypassing the edge proxy (and the host firewall, since Docker opens the port itself); remove it or bind it to \`127.0.0.1\`.${survives}`,
          ),
        );
      }
      if (open.length === 0 && !judged.some((j) => j.b?.kind === 'unknown')) {
        const shown = judged.map((j) => (j.b && j.b.kind !== 'unknown' ? `\`${show(j.b.spec)}\`` : '`?`'));
        const allLoop = judged.every((j) => j.b?.kind === 'loopback');
        push(
          pass(
            target,
            nodeLoc(ports[0]),
            `ports bound to specific addresses: ${shown.join(', ')}`,
            `${allLoop ? 'loopback only' : 'bound to specific addresses'} (${shown.join(', ')})`,
          ),
        );
      }
    }
    return out;
  },
};

export default rule;
