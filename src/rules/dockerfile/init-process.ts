import type { ExecSpec } from '../../model/dockerfile.js';
import type { Image } from '../../model/project.js';
import { baseName } from '../../parse/shell.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';
import { effectiveExec } from './_exec.js';

/** Init programs that reap zombies and forward signals, by base name; `/init` is s6-overlay's. */
const INITS = new Set(['tini', 'tini-static', 'dumb-init', 'docker-init', 'catatonit', 's6-svscan']);
const INIT_PATHS = new Set(['/init']);
/**
 * Process supervisors that do init's two jobs as PID 1: supervisord reaps every child it is sent
 * (`waitpid(-1)`) and on SIGTERM stops its programs, phusion's `my_init` likewise for its runit services.
 */
const SUPERVISORS = new Set(['supervisord', 'my_init']);

/** The program an ENTRYPOINT/CMD starts as PID 1 (`exec` unwrapped in shell form), or null. */
function pid1(spec: ExecSpec): string | null {
  if (spec.form === 'exec') return spec.argv[0] ?? null;
  const c = spec.script?.commands.find((x) => !x.inSubstitution);
  if (!c?.name) return null;
  if (c.name === 'exec') return c.args.find((a) => !a.value.startsWith('-'))?.value ?? null;
  return c.name;
}

/** The init or supervisor an ENTRYPOINT/CMD starts as PID 1 (its evidence and what the pass says of it), or null. */
function initOf(spec: ExecSpec | null): { name: string; does: string } | null {
  if (!spec) return null;
  const p = pid1(spec);
  if (p === null) return null;
  const INIT = 'reaping zombies and forwarding signals';
  if (INIT_PATHS.has(p)) return { name: `s6-overlay \`${p}\``, does: INIT };
  const b = baseName(p);
  if (INITS.has(b)) return { name: b, does: INIT };
  if (SUPERVISORS.has(b)) return { name: b, does: 'a process supervisor that reaps zombies and stops its programs on SIGTERM' };
  return null;
}

function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const target = image.name;
  const { entrypoint, cmd } = effectiveExec(df, image.stage);
  const spec = entrypoint ?? cmd;
  const init = initOf(spec);
  if (init && spec) {
    return [pass(target, loc(df.path, spec.instr.range), `\`${init.name}\` runs as PID 1, ${init.does}`, init.name)];
  }
  const services = image.services;
  if (services.length > 0 && services.every((s) => s.init === true)) {
    return [
      pass(target, fromLoc(image), "every compose service running this image sets `init: true` (Docker's tini)", 'compose `init: true`'),
    ];
  }
  return [
    fail(
      target,
      fromLoc(image),
      'No init process: neither tini/dumb-init in ENTRYPOINT nor compose `init: true`, so the app runs as PID 1, which does not reap zombie children and gets no default SIGTERM handling; set `init: true` on the compose service or use `ENTRYPOINT ["tini", "--", ...]`.',
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/init-process',
    title: 'An init process runs as PID 1',
    severity: 'info',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'PID 1 in a container has two jobs the kernel gives to init: reaping orphaned (zombie) child processes and handling signals, for which it has ' +
      'no default actions (an app that installs no SIGTERM handler ignores `docker stop`). Most apps are not written for that role. A tiny init such ' +
      "as tini or dumb-init (or compose `init: true`, which injects Docker's tini) takes PID 1, forwards signals to the app and reaps zombies. An " +
      'entrypoint script that `exec`s a signal-aware server covers signals but not reaping, which is why this rule is informational and often waived. ' +
      'Accepted as PID 1: tini, dumb-init, docker-init, catatonit, s6-svscan and s6-overlay `/init`, and the process supervisors supervisord and ' +
      "phusion's `my_init`, which do both jobs for the programs they run (supervisord reaps any child and stops its programs on SIGTERM). runit's " +
      '`runsvdir` and `runit` are not: on SIGTERM `runsvdir` exits at once without stopping its services, and `runit` ignores SIGTERM (`docker stop` ' +
      'waits and then kills everything), so such an image needs tini or `init: true` in front of them.',
    fix: 'Set `init: true` on the compose services that run the image, or install tini and use `ENTRYPOINT ["tini", "--", "docker-entrypoint.sh"]`.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "server.js"]\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM node:22-alpine\nRUN apk add --no-cache tini\nWORKDIR /app\nCOPY . .\nUSER node\nENTRYPOINT ["/sbin/tini", "--"]\nCMD ["node", "server.js"]\n',
      },
    },
  },
  check(project) {
    return project.images.flatMap(check);
  },
};

export default rule;
