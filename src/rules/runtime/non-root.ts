import type { Rule } from '../../types.js';
import type { LiveContext, ProcessFacts } from '../../live/model.js';
import { code, composeExample, eachContainer, fail, pass, unknown, whoami } from './_live.js';

/**
 * runtime/non-root: no process of the container runs as UID 0. Read from the engine's `top` (the
 * host's `ps`, no exec into the container); names come from the container's `/etc/passwd`, as
 * `whoami` would print them. Under userns-remap the host UIDs are translated back; under
 * userns-remap or a rootless engine, container root is still a failure (it owns the container's
 * whole file system) but a medium one: it is not root on the host.
 */
const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/non-root',
    title: 'Containers run as a non-root user',
    severity: 'high',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      'A USER line in a Dockerfile is a promise; the running container is the proof. Compose `user:`, an entrypoint that never ' +
      'drops privileges, or an image rebuilt from another base can all leave the app running as root. Root in a container owns ' +
      'its whole file system, can bind any port and is one kernel or runtime bug away from root on the host. This rule reads the ' +
      "UID of every process through the Engine API (what `docker compose exec <service> whoami` would show, without exec'ing " +
      'into the container).',
    fix: 'Run the app as an unprivileged user: `USER appuser` (with a fixed UID) in the Dockerfile or `user: "1001:1001"` in compose; an entrypoint that must start as root drops privileges with `exec gosu appuser "$@"`.',
    examples: {
      bad: composeExample('services:\n  backend:\n    image: example/backend:1.4\n    user: root\n'),
      good: composeExample('services:\n  backend:\n    image: example/backend:1.4\n    user: "1001:1001"\n'),
    },
  },
  check(ctx) {
    const { engine } = ctx.snapshot;
    return eachContainer(ctx, (c, at) => {
      if (!c.processes) return unknown(at, `The processes of ${c.name} could not be read: ${c.processError ?? 'unknown reason'}.`);
      if (c.processes.length === 0) return unknown(at, `The engine listed no processes for ${c.name}.`);
      if (engine.usernsRemap && !engine.usernsRemap.known && c.host.usernsMode !== 'host') {
        return unknown(
          at,
          'The engine remaps user namespaces (userns-remap) but does not say to which host UIDs, so container UIDs cannot be told from host UIDs.',
        );
      }
      const root = c.processes.filter((p) => p.uid === 0);
      const unnamed = c.processes.filter((p) => p.uid === null && (p.hostUser === null || p.hostUser === 'root'));
      if (root.length > 0) {
        const shown = root
          .slice(0, 3)
          .map((p) => code(p.args || `PID ${p.pid ?? '?'}`, 60))
          .join(', ');
        const more = root.length > 3 ? ` and ${root.length - 3} more` : '';
        const remapped = engine.usernsRemap !== null && c.host.usernsMode !== 'host';
        if (remapped || engine.rootless) {
          const how = remapped
            ? `the engine's userns-remap maps it to unprivileged host UID ${engine.usernsRemap?.uid}`
            : 'the engine is rootless, so it maps to the unprivileged user that runs dockerd';
          return fail(
            at,
            `${root.length} of ${c.processes.length} processes run as root (UID 0) in the container (${shown}${more}); ${how}, which limits the damage to the container, but root still owns its whole file system. Set a non-root USER in the Dockerfile or \`user:\` in compose.`,
            'medium',
          );
        }
        return fail(
          at,
          `${root.length} of ${c.processes.length} processes run as root (UID 0) (${shown}${more}): root in a container owns its file system and is one kernel bug away from the host. Set a non-root USER in the Dockerfile or \`user:\` in compose.`,
        );
      }
      if (unnamed.length > 0) return unknown(at, `The engine did not report the UID of ${unnamed.length} process(es) of ${c.name}.`);
      const users = distinct(c.processes.map((p) => whoami(p, c)));
      const host = hostNote(c.processes, engine.usernsRemap !== null && c.host.usernsMode !== 'host');
      return pass(at, `Every process runs as a non-root user (${users.join(', ')}).`, `${users.join(', ')}${host}`);
    });
  },
};

function distinct(xs: string[]): string[] {
  return [...new Set(xs)];
}

function hostNote(ps: ProcessFacts[], remapped: boolean): string {
  if (!remapped) return '';
  const uids = distinct(ps.map((p) => String(p.hostUid)));
  return `; host UID ${uids.join(', ')} (userns-remap)`;
}

export default rule;
