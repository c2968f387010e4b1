import type { Rule } from '../../types.js';
import type { ContainerFacts, LiveContext, PortFacts } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass } from './_live.js';

/**
 * runtime/ports-bound: an internal service publishes no port on every host interface (HostIp
 * `0.0.0.0`, `::` or empty). Every service but the edge proxy is internal; the edge proxy is known by
 * its image (nginx, openresty, traefik, caddy, haproxy, envoy, httpd/apache, kong, varnish: the same
 * list as prod/published-ports) or its service name (proxy, gateway, ingress, lb...). Loopback
 * (`127.0.0.0/8`, `::1`) and a specific address pass.
 */
const EDGE_IMAGE = /^(?:nginx|openresty|traefik|caddy|haproxy|envoy|httpd|apache2?|kong|varnish)(?:$|[-_])/;
const EDGE_NAME =
  /^(?:proxy|reverse[-_]?proxy|nginx|traefik|caddy|haproxy|envoy|edge|gateway|api[-_]?gateway|ingress|lb|load[-_]?balancer)$/i;

function repoName(image: string): string {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const last = noDigest.slice(lastSlash + 1);
  return last.split(':')[0].toLowerCase();
}

export function edgeReason(c: ContainerFacts): string | null {
  if (c.image && EDGE_IMAGE.test(repoName(c.image))) return `runs \`${c.image}\``;
  if (c.service && EDGE_NAME.test(c.service)) return `is the \`${c.service}\` service`;
  return null;
}

function allInterfaces(p: PortFacts): boolean {
  return p.hostIp === '' || p.hostIp === '0.0.0.0' || p.hostIp === '::' || p.hostIp === '[::]';
}

function hostIp(p: PortFacts): string {
  const ip = p.hostIp || '0.0.0.0';
  return ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
}

function loopback(p: PortFacts): boolean {
  return /^127\./.test(p.hostIp) || p.hostIp === '::1' || p.hostIp === '[::1]' || p.hostIp === 'localhost';
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/ports-bound',
    title: 'Internal services do not publish ports on every interface',
    severity: 'medium',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      "A port published as `5432:5432` listens on every interface of the host, and Docker's iptables rules let it through host " +
      'firewalls such as ufw: the database, cache or admin API is on the internet. Only the edge proxy should publish to the world; ' +
      'internal services talk over the compose network, and a port needed for local debugging binds to 127.0.0.1. The engine shows ' +
      'the bindings that are really open.',
    fix: 'Remove `ports:` from internal services (they reach each other on the compose network), or bind to loopback: `"127.0.0.1:5432:5432"`.',
    examples: {
      bad: composeExample('services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n'),
      good: composeExample('services:\n  db:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"\n'),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      const published = c.ports.filter((p) => p.hostPort !== '');
      if (published.length === 0) return pass(at, `${c.name} publishes no ports.`, 'no published ports');
      const open = published.filter(allInterfaces);
      const show = (ps: PortFacts[]) => [...new Set(ps.map((p) => `${hostIp(p)}:${p.hostPort}→${p.containerPort}`))].join(', ');
      if (open.length === 0) {
        const lo = published.every(loopback);
        return pass(at, `${c.name} publishes ports on ${lo ? 'loopback' : 'specific addresses'} only.`, show(published));
      }
      const edge = edgeReason(c);
      if (edge) return pass(at, `${c.name} ${edge}: the edge proxy publishes to every interface by design.`, `edge proxy: ${show(open)}`);
      const ports = [...new Set(open.map((p) => p.containerPort))];
      return fail(
        at,
        `${c.name} publishes ${ports.map((p) => `\`${p}\``).join(', ')} on every host interface (${show(open)}): Docker's iptables rules bypass host firewalls, so this internal service is reachable from the network. Drop \`ports:\` or bind to 127.0.0.1.`,
      );
    });
  },
};

export default rule;
