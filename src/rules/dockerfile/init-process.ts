import type { ExecSpec } from '../../model/dockerfile.js';
import type { Image } from '../../model/project.js';
import { baseName } from '../../parse/shell.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';
import { effectiveExec } from './_exec.js';

/** Init programs that reap zombies and forward signals, by base name; `/init` is s6-overlay's. */
const INITS = new Set(['tini', 'tini-static', 'dumb-init', 'docker-init', 'catatonit', 's6-svscan']);
const INIT_PATHS = new Set(['/init']);

/** The program an ENTRYPOINT/CMD starts as PID 1 (`exec` unwrapped in shell form), or null. */
function pid1(spec: ExecSpec): string | null {
  if (spec.form === 'exec') return spec.argv[0] ?? null;
  const c = spec.script?.commands.find((x) => !x.inSubstitution);
  if (!c?.name) return null;
  if (c.name === 'exec') return c.args.find((a) => !a.value.startsWith('-'))?.value ?? null;
  return c.name;
}

function initOf(spec: ExecSpec | null): string | null {
  if (!spec) return null;
  const p = pid1(spec);
  if (p === null) return null;
  if (INIT_PATHS.has(p)) return `s6-overlay \`${p}\``;
  const b = baseName(p);
  return INITS.has(b) ? b : null;
}

function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const target = image.name;
  const { entrypoint, cmd } = effectiveExec(df, image.stage);
  const spec = entrypoint ?? cmd;
  const init = initOf(spec);
  if (init && spec) {
    return [pass(target, loc(df.path, spec.instr.range), `\`${init}\` runs as PID 1, reaping zombies and forwarding signals`, init)];
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
      'entrypoint script that `exec`s a signal-aware server covers signals but not reaping, which is why this rule is informational and often waived.',
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
