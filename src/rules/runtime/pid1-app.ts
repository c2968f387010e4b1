import type { Rule } from '../../types.js';
import type { LiveContext } from '../../live/model.js';
import { baseName } from '../../parse/shell.js';
import { code, composeExample, eachContainer, fail, pass, unknown } from './_live.js';

/**
 * runtime/pid1-app: PID 1 of the container is the app or an init, not a shell. PID 1 is the process
 * whose PID is the container's `State.Pid`, found in the engine's `top`.
 *
 * A shell is `sh`, `bash`, `ash`, `dash`, `zsh`, `ksh`, `mksh` (also as `busybox sh`), whether it runs
 * `-c '...'` or a script that did not `exec` the app. An init is tini/docker-init, dumb-init,
 * catatonit, s6 (`s6-svscan`, s6-overlay's `/init`), runit, supervisord, systemd, `init`.
 */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox-sh']);
const INITS = new Set([
  'tini',
  'tini-static',
  'docker-init',
  'dumb-init',
  'catatonit',
  's6-svscan',
  'runsvdir',
  'runit',
  'supervisord',
  'systemd',
  'init',
]);

/** A program's name without its folder and a login shell's leading `-` (`-bash`). */
function programName(p: string): string {
  return baseName(p).replace(/^-/, '');
}

/** What PID 1 is, from its command line. */
export function classifyPid1(args: string): { kind: 'shell' | 'init' | 'app'; program: string } {
  const words = args.trim().split(/\s+/);
  let program = programName(words[0] ?? '');
  if (program === 'busybox' && words[1]) program = programName(words[1]);
  if (SHELLS.has(program)) return { kind: 'shell', program };
  if (INITS.has(program) || words[0] === '/init') return { kind: 'init', program };
  return { kind: 'app', program };
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/pid1-app',
    title: 'PID 1 is the app or an init, not a shell',
    severity: 'medium',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      'PID 1 receives the SIGTERM of `docker stop` and must reap orphaned children. A shell as PID 1 (`sh -c "node server.js"`, or ' +
      'an entrypoint script that does not `exec` the app) does neither: the app never hears the signal, so every stop or deploy waits ' +
      'out the timeout and ends in SIGKILL, dropping requests and leaving half-written files; zombies pile up. Shell-form CMD and ' +
      'wrapper scripts are the usual cause, and only the running container shows which process really became PID 1.',
    fix: 'Use the exec form (`CMD ["node", "server.js"]`), end entrypoint scripts with `exec "$@"`, or run an init (`init: true` in compose, or tini as the ENTRYPOINT).',
    examples: {
      bad: composeExample('services:\n  worker:\n    image: example/worker:2.0\n    command: sh -c "python worker.py"\n'),
      good: composeExample('services:\n  worker:\n    image: example/worker:2.0\n    init: true\n    command: ["python", "worker.py"]\n'),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      if (!c.processes) return unknown(at, `The processes of ${c.name} could not be read: ${c.processError ?? 'unknown reason'}.`);
      if (!c.pid1) return unknown(at, `PID 1 of ${c.name} (host PID ${c.pid ?? '?'}) is not in the engine's process list.`);
      const args = c.pid1.args;
      if (!args) return unknown(at, `The engine did not report the command of PID 1 of ${c.name}.`);
      const { kind, program } = classifyPid1(args);
      if (kind === 'shell') {
        return fail(
          at,
          `PID 1 is the shell \`${program}\` (${code(args)}), not the app: it does not forward SIGTERM, so \`docker stop\` waits for the timeout and kills the app, and orphans are not reaped. Use the exec form, \`exec\` the app from the entrypoint script, or \`init: true\`.`,
        );
      }
      if (kind === 'init')
        return pass(at, `PID 1 is the init \`${program}\`, which forwards signals and reaps children.`, `init ${code(args)}`);
      return pass(at, `PID 1 is the app itself (${code(args)}).`, code(args));
    });
  },
};

export default rule;
