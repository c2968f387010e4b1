import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, services } from '../_compose.js';
import { absolutePath, ENGINE_SOCKET, mounts } from '../_compose-mounts.js';
import { fail, pass } from '../_util.js';

/** Host directories whose bind mount exposes the host, with what they hold. Subpaths count too. */
const SENSITIVE: [dir: string, short: string, long: string][] = [
  ['/etc', 'host configuration', 'host configuration (accounts and password hashes, sudoers, cron jobs, SSH host keys)'],
  ['/proc', 'kernel and process information', "the host's process and kernel information, and kernel settings under /proc/sys"],
  ['/sys', 'kernel and device settings', 'kernel, cgroup and device settings'],
  ['/dev', 'host devices', 'host devices, the disks included'],
  ['/boot', 'boot files', 'the kernel and boot loader'],
  ['/root', "root's home", "root's home (SSH keys, shell history, cloud credentials)"],
  ['/lib', 'host libraries', 'host libraries and kernel modules'],
  ['/lib64', 'host libraries', 'host libraries'],
  ['/usr', 'host programs and data', 'host programs and libraries'],
  ['/var/run', 'host runtime state', 'host runtime state, including the sockets of host daemons (containerd, D-Bus, systemd)'],
  ['/run', 'host runtime state', 'host runtime state, including the sockets of host daemons (containerd, D-Bus, systemd)'],
];

/** Read-only mounts of these files and trees are a common, harmless pattern (time zone, CA certificates, machine id). */
const ALLOWED_FILES = new Set(['/etc/localtime', '/etc/timezone', '/etc/machine-id']);
const ALLOWED_TREES = ['/usr/share/zoneinfo', '/etc/ssl/certs'];

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

function allowed(path: string): boolean {
  return ALLOWED_FILES.has(path) || ALLOWED_TREES.some((t) => under(path, t));
}

/** What mounting `path` exposes, or null when it is not sensitive. */
function sensitive(path: string): { dir: string; short: string; long: string } | null {
  if (path === '/') return { dir: '/', short: "the host's entire filesystem", long: "the host's entire filesystem" };
  // Asked of every bind mount: an index loop, no iterator or destructuring per entry.
  for (let i = 0; i < SENSITIVE.length; i++) {
    const e = SENSITIVE[i];
    if (under(path, e[0])) return { dir: e[0], short: e[1], long: e[2] };
  }
  return null;
}

const rule: Rule = {
  meta: {
    id: 'compose/no-sensitive-mounts',
    title: 'No bind mounts of sensitive host paths',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS volume_has_sensitive_host_directory', 'CIS-5.6'],
    rationale:
      'A bind mount of a system directory hands the container part of the host: `/` or `/etc` read-write lets root in the container add a ' +
      'user, a cron job or an SSH key on the host; `/proc`, `/sys` and `/dev` reach the kernel and the disks; `/var/run` (and `/run`, ' +
      'which it links to) holds the sockets of host daemons. Paths below these directories count too. Read-only (`:ro`, `read_only: true`) ' +
      'mounts are reported at medium severity: they still disclose secrets such as `/etc/shadow` or process environments. Read-only ' +
      'mounts of `/etc/localtime`, `/etc/timezone`, `/etc/machine-id`, `/usr/share/zoneinfo` and `/etc/ssl/certs` are a common and ' +
      'harmless way to share the time zone, machine id and CA certificates, and are not reported (read-write, they are, at medium). ' +
      "The Docker socket is `compose/no-docker-socket`'s concern and is not reported here.",
    fix: 'Mount only the files the service needs, from a project directory (`./config/app.conf:/etc/app.conf:ro`), or use a named volume; where a host path is truly needed (monitoring agents), mount it `:ro` and waive the finding with the reason.',
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: 'services:\n  agent:\n    image: alpine:3.20\n    volumes:\n      - /etc:/host/etc\n      - /proc:/host/proc:ro\n',
      },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  agent:\n    image: alpine:3.20\n    volumes:\n      - ./config:/etc/agent:ro\n      - /etc/localtime:/etc/localtime:ro\n      - agent-data:/var/lib/agent\nvolumes:\n  agent-data:\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const found: RawResult[] = [];
      for (const m of mounts(env, svc)) {
        if (m.type !== 'bind' || m.source === null) continue;
        const path = absolutePath(m.source);
        if (path === null || ENGINE_SOCKET.test(path)) continue;
        const what = sensitive(path);
        if (!what) continue;
        const via = m.viaVolume ? ` through the volume \`${m.viaVolume}\`` : '';
        const to = m.target ? ` at \`${m.target}\`` : '';
        if (allowed(path)) {
          if (m.readOnly) continue;
          found.push(
            fail(
              target,
              m.loc,
              `Service \`${svc.name}\` mounts the host's \`${path}\`${via} read-write, so root in the container can change it for the whole host; add \`:ro\`.`,
              'medium',
            ),
          );
          continue;
        }
        const exact = path === what.dir;
        const named = exact ? `\`${path}\`` : `\`${path}\` (${what.short} under \`${what.dir}\`)`;
        if (m.readOnly) {
          found.push(
            fail(
              target,
              m.loc,
              `Service \`${svc.name}\` bind-mounts the host's ${named}${via}${to}: read-only, but it still discloses ${exact ? what.long : 'host files'} to anything that compromises it; mount only the files it needs, or waive this with the reason.`,
              'medium',
            ),
          );
        } else {
          found.push(
            fail(
              target,
              m.loc,
              `Service \`${svc.name}\` bind-mounts the host's ${named}${via}${to} read-write, so anything that compromises it can ${exact ? `read and change ${what.long}` : 'read and change those host files'}; mount only the files it needs, read-only (\`:ro\`).`,
            ),
          );
        }
      }
      const results = found.length
        ? found
        : [pass(target, absenceLoc(env, svc), 'no sensitive host path is bind-mounted', 'no sensitive host paths')];
      out.push(...results.map((r) => ({ ...r, environment: env.name })));
    }
    return out;
  },
};

export default rule;
