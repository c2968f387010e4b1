import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, services } from '../_compose.js';
import { ENGINE_SOCKET, mounts } from '../_compose-mounts.js';
import { fail, pass, unknown } from '../_util.js';

const rule: Rule = {
  meta: {
    id: 'compose/no-docker-socket',
    title: 'Do not mount the Docker socket',
    severity: 'critical',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS docker_socket_mounted_in_container', 'CIS-5.32'],
    rationale:
      'The Docker socket is the Docker Engine API with no authentication: a process that can write to it can start a privileged ' +
      "container that mounts the host's `/` and so owns the host. Mounting it read-only (`:ro`) changes nothing, since `ro` only stops " +
      'the socket file being replaced, not API calls through it. The same goes for the Podman socket. Tools that need the API ' +
      '(reverse proxies, CI runners, monitoring) should go through a filtering proxy that allows only the read-only calls they use.',
    fix: 'Remove the `docker.sock` volume; if the service must read container metadata, give it a socket proxy (e.g. `tecnativa/docker-socket-proxy` with only `CONTAINERS=1`) on an internal network.',
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: 'services:\n  proxy:\n    image: traefik:v3.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n',
      },
      good: {
        file: 'docker-compose.yml',
        content: 'services:\n  proxy:\n    image: traefik:v3.1\n    volumes:\n      - ./traefik.yml:/etc/traefik/traefik.yml:ro\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const found: RawResult[] = [];
      for (const m of mounts(env, svc)) {
        if (m.type === 'tmpfs') continue;
        const src = m.source;
        if (src !== null && ENGINE_SOCKET.test(src.replace(/[/\\]+$/, ''))) {
          const via = m.viaVolume
            ? ` (through the volume \`${m.viaVolume}\`)`
            : m.rawSource && m.rawSource !== src
              ? ` (\`${m.rawSource}\`)`
              : '';
          found.push(
            fail(
              target,
              m.loc,
              `Service \`${svc.name}\` mounts the engine socket \`${src}\`${via}${m.readOnly ? ' (`:ro` does not stop API calls)' : ''}: anything running in it can start a privileged container and take over the host; remove the mount or put a filtering socket proxy in front of the API.`,
            ),
          );
        } else if (src === null && m.rawSource && m.target && ENGINE_SOCKET.test(m.target)) {
          found.push(
            unknown(
              target,
              m.loc,
              `Service \`${svc.name}\` mounts \`${m.rawSource}\` at \`${m.target}\`; the source is a variable without a default, so whether it is the Docker socket is unknown.`,
            ),
          );
        }
      }
      const results = found.length ? found : [pass(target, absenceLoc(env, svc), 'no engine socket is mounted', 'no `docker.sock` mount')];
      out.push(...results.map((r) => ({ ...r, environment: env.name })));
    }
    return out;
  },
};

export default rule;
