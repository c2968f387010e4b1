import type { Rule } from '../../types.js';
import type { LiveContext, MountFacts } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass } from './_live.js';

/**
 * runtime/sensitive-mounts: `.Mounts` has no container-engine socket (`docker.sock`, `containerd.sock`,
 * `podman.sock`, `crio.sock`: critical even read-only, the API is not read-only) and no bind mount of
 * a sensitive host path (`/`, `/etc`, `/proc`, `/sys`, `/dev`, `/boot`, `/root`, `/lib`, `/usr`,
 * `/var/run`, `/run`, `/var/lib/docker` and below it): critical read-write, high read-only.
 */
const SOCKET = /(?:^|\/)(?:docker|containerd|podman|crio)\.sock$/;
const SENSITIVE = new Set([
  '/',
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/root',
  '/lib',
  '/lib64',
  '/usr',
  '/bin',
  '/sbin',
  '/var/run',
  '/run',
  '/var/lib/docker',
]);

function norm(p: string): string {
  const n = p.replace(/\/+/g, '/');
  return n.length > 1 ? n.replace(/\/$/, '') : n;
}

export function sensitivity(m: MountFacts): 'socket' | 'path' | null {
  if (m.type !== 'bind') return null;
  const src = norm(m.source);
  if (SOCKET.test(src)) return 'socket';
  if (SENSITIVE.has(src) || src.startsWith('/var/lib/docker/')) return 'path';
  return null;
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/sensitive-mounts',
    title: 'No engine socket or sensitive host path is mounted',
    severity: 'critical',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      "Whoever can talk to `/var/run/docker.sock` can start a privileged container that mounts the host's `/`: mounting the socket " +
      'makes the container root on the host, even with `:ro` (the flag protects the socket file, not the API). Bind mounts of `/`, ' +
      "`/etc`, `/proc`, `/sys`, `/dev`, `/root`, `/usr`, `/var/run` or the engine's data root let the container read host secrets or " +
      'rewrite the host. The engine lists the mounts each container really has, overrides and `docker run -v` included.',
    fix: 'Remove the socket mount (use a socket proxy that allows only the calls needed, e.g. tecnativa/docker-socket-proxy) and bind only the specific files or folders the app needs, read-only.',
    examples: {
      bad: composeExample(
        'services:\n  dashboard:\n    image: example/dashboard:1.0\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n',
      ),
      good: composeExample(
        'services:\n  dashboard:\n    image: example/dashboard:1.0\n    volumes:\n      - ./config/dashboard.yml:/app/config.yml:ro\n',
      ),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      const out = [];
      for (const m of c.mounts) {
        const kind = sensitivity(m);
        if (kind === 'socket') {
          out.push(
            fail(
              at,
              `${c.name} mounts the engine socket \`${m.source}\` at \`${m.destination}\`${m.rw ? '' : ' (read-only, which does not make the API read-only)'}: it can start a privileged container and own the host. Remove it or use a filtering socket proxy.`,
            ),
          );
        } else if (kind === 'path') {
          out.push(
            fail(
              at,
              `${c.name} bind-mounts the host's \`${m.source}\` at \`${m.destination}\` ${m.rw ? 'read-write' : 'read-only'}: it can ${m.rw ? 'rewrite' : 'read secrets of'} the host. Mount only the specific file or folder the app needs.`,
              m.rw ? undefined : 'high',
            ),
          );
        }
      }
      if (out.length > 0) return out;
      const binds = c.mounts.filter((m) => m.type === 'bind').length;
      return pass(
        at,
        `${c.name} mounts no engine socket and no sensitive host path.`,
        `no sensitive mounts (${c.mounts.length} mount${c.mounts.length === 1 ? '' : 's'}, ${binds} bind)`,
      );
    });
  },
};

export default rule;
