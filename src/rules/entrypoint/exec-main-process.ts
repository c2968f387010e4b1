/**
 * entrypoint/exec-main-process: every path through an entrypoint script that starts the service
 * must `exec` it, so the service becomes PID 1 and receives the SIGTERM of `docker stop`.
 *
 * The control flow comes from the path analysis of src/model/script-paths.ts (if/elif/else, case,
 * &&/||, functions, exit; a missing `else` or `*)` is a fall-through path). One result per script:
 * a fail at each command that starts a long-lived program without `exec` (only on the paths where
 * that happens; an `exec "$@"` branch next to it does not fail), else a pass.
 *
 * Evidence format (the report splits it): "`<script file>` with `exec <program>`" when some path
 * execs a literal program (the first one in the script, after unwrapping `gosu app`, `tini --` and
 * a preceding `set --`), e.g. "`docker-entrypoint.sh` with `exec uvicorn`" — read as "`exec uvicorn`
 * for proper PID 1"; "`<script file>` with `exec`" when it execs only the container's command
 * (`exec "$@"`); "signals forwarded with `trap`" for a background job + `wait` under a TERM trap;
 * "`<script file>` starts no long-lived process" when no path starts anything long-lived.
 *
 * Images whose start names a script seaworthy cannot find (`image.unresolvedStarts`) get an
 * `unknown` result at the ENTRYPOINT/CMD (or compose) line naming the program and why.
 */
import { type PathEnd, scriptPaths } from '../../model/script-paths.js';
import { baseName } from '../../parse/shell.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass, unknown } from '../_util.js';
import {
  cmdLoc,
  code,
  ENTRYPOINT_EXAMPLE_DOCKERFILE,
  errorLoc,
  fileName,
  lineOneLoc,
  scriptGroups,
  shortText,
  type ScriptGroup,
} from './_scripts.js';

function failMessage(end: PathEnd): string {
  const cmd = end.cmd;
  const text = cmd ? code(shortText(cmd.text)) : 'the last command';
  const through = end.via ? ` on the path through ${end.via}` : '';
  if (end.verdict === 'wait') {
    const bg = end.program?.name ? code(end.program.name) : end.background ? code(shortText(end.background.text)) : 'a background job';
    return (
      `The script starts ${bg} in the background and ${text} waits for it${through}, with no \`trap\` on TERM: the shell stays PID 1, ` +
      `which ignores SIGTERM without a handler, so \`docker stop\` waits out the grace period and kills everything with SIGKILL. ` +
      `Run one process with \`exec\`, or forward signals (\`trap 'kill -TERM "$pid"' TERM INT\` before the \`wait\`).`
    );
  }
  const p = end.program;
  if (cmd && baseName(cmd.name) === 'exec' && cmd.subshell) {
    const sub = cmd.subshell;
    return (
      `${text} runs inside \`( … )\` (line ${sub.line}${sub.endLine !== sub.line ? `-${sub.endLine}` : ''})${through}: a subshell, so the \`exec\` replaces only the subshell; ` +
      `the script's own shell stays PID 1 and waits for it, the SIGTERM of \`docker stop\` never reaches the program and it is killed with SIGKILL after the grace period. ` +
      `Drop the parentheses so the \`exec\` runs in the script's own shell (e.g. \`cd /app && exec "$@"\` instead of \`( cd /app; exec "$@" )\`).`
    );
  }
  if (p?.keepAlive) {
    return (
      `${text} only keeps the container running${through}: the shell stays PID 1 with \`${p.name}\` as its child, so the SIGTERM of \`docker stop\` ` +
      `reaches neither \`${p.name}\` nor the services started before it in the background or as daemons (\`&\`, \`service … start\`, \`-D\`), which are killed with SIGKILL after the grace period; ` +
      `and nothing watches those services: if one dies, the container keeps running. Start the helpers first, then run the main server in the foreground with \`exec\` ` +
      `(e.g. \`exec nginx -g 'daemon off;'\`), or run them all under a supervisor (supervisord, s6-overlay).`
    );
  }
  const after = ' without `exec`';
  const consequence =
    ': the shell stays PID 1 and the program is its child, so the SIGTERM of `docker stop` never reaches it and it is killed with SIGKILL after the grace period, without a clean shutdown.';
  if (p?.isArgs) {
    return `${text} runs the container's command${after}${through}${consequence} Write \`exec ${p.raw}\`.`;
  }
  if (p && p.name === null) {
    return `${text} runs ${code(p.raw)}${after}${through}${consequence} Write \`exec ${shortText(cmd?.text ?? p.raw, 40)}\`.`;
  }
  const name = p?.name ?? '';
  if (p?.knownServer) {
    return `${text} starts \`${name}\`${after}${through}${consequence} Write \`exec ${shortText(cmd?.text ?? name, 40)}\`.`;
  }
  return (
    `${text} is the last command${through} and runs \`${name}\`${after}; seaworthy takes the last command of a path to be the service${consequence} ` +
    `Write \`exec ${shortText(cmd?.text ?? name, 40)}\` (or, if it is a one-off step, end the path with \`exec "$@"\`).`
  );
}

function judge(g: ScriptGroup): RawResult[] {
  const { script } = g;
  const target = script.path;
  const file = fileName(script.path);
  const sh = script.script;
  if (!sh) return []; // not a shell script (run through an explicit interpreter): no shell to stay PID 1
  if (sh.hasErrors) {
    const at = errorLoc(script);
    return [
      unknown(
        target,
        at,
        `\`${file}\` has a shell syntax error (at line ${at.line}), so its paths cannot be followed reliably; fix the syntax (check with \`sh -n ${file}\`).`,
      ),
    ];
  }
  const paths = scriptPaths(sh);
  const out: RawResult[] = [];
  const seen = new Set<string>();
  for (const e of paths.ends) {
    if (e.verdict !== 'foreground' && e.verdict !== 'wait') continue;
    if (!e.cmd) continue;
    const k = `${e.cmd.range.line}:${e.cmd.range.column}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(fail(target, cmdLoc(script, e.cmd), failMessage(e)));
  }
  if (out.length) return out;
  const sourced = paths.ends.find((e) => e.verdict === 'sourced' && e.cmd);
  if (sourced?.cmd) {
    return [
      unknown(
        target,
        cmdLoc(script, sourced.cmd),
        `A path through \`${file}\` ends by sourcing another file (${code(shortText(sourced.cmd.text))}), which seaworthy does not follow, so whether the service is \`exec\`ed there is unknown; \`exec\` the service in this script, or waive the rule with the reason.`,
      ),
    ];
  }
  if (paths.truncated) {
    return [
      unknown(
        target,
        lineOneLoc(script),
        `\`${file}\` has too many paths to follow completely; no path found so far starts the service without \`exec\`.`,
      ),
    ];
  }
  const execs = paths.ends.filter((e) => e.verdict === 'exec' && e.cmd);
  const named = execs.find((e) => e.program?.name && !e.program.selfReexec);
  if (named?.cmd && named.program?.name) {
    return [
      pass(
        target,
        cmdLoc(script, named.cmd),
        `every path that starts the service \`exec\`s it (\`${named.program.name}\` becomes PID 1 and receives SIGTERM)`,
        `\`${file}\` with \`exec ${named.program.name}\``,
      ),
    ];
  }
  if (execs[0]?.cmd) {
    return [pass(target, cmdLoc(script, execs[0].cmd), 'every path that starts the service `exec`s it', `\`${file}\` with \`exec\``)];
  }
  const fwd = paths.ends.find((e) => e.verdict === 'forwarded' && e.cmd);
  if (fwd?.cmd) {
    return [
      pass(
        target,
        cmdLoc(script, fwd.cmd),
        'the service runs in the background and the shell forwards SIGTERM to it with `trap` before `wait`',
        'signals forwarded with `trap`',
      ),
    ];
  }
  return [
    pass(target, lineOneLoc(script), 'no path through the script starts a long-lived process', `\`${file}\` starts no long-lived process`),
  ];
}

const rule: Rule = {
  meta: {
    id: 'entrypoint/exec-main-process',
    title: 'Entrypoint scripts exec the service',
    severity: 'high',
    family: 'entrypoint',
    target: 'script',
    env: 'all',
    aliases: [],
    rationale:
      'Docker sends SIGTERM to PID 1 on `docker stop` and SIGKILLs it after the grace period. When an entrypoint script starts the ' +
      'server as a child (`uvicorn app` instead of `exec uvicorn app`), the shell stays PID 1: it does not pass the signal on and, ' +
      'as PID 1 without a handler, ignores it. The server never shuts down gracefully (in-flight requests are cut, connections and ' +
      'files are not closed) and every stop or deploy waits out the full timeout. seaworthy follows every path through the script — ' +
      'each branch of `if`/`elif`/`else` and `case`, `&&`/`||`, called functions, `exit` — and judges the command that ends it; a ' +
      "missing `else` or `*)` counts as a path of its own. An `exec` inside `( … )` replaces only that subshell: the script's shell " +
      'stays PID 1, which is reported with the fix of dropping the parentheses. A command that daemonises (`service x start`, ' +
      '`/etc/init.d/x start`, `start-stop-daemon`, `php-fpm -D`, `memcached -d`, `gunicorn -D`, `--daemonize`) returns at once and is ' +
      'never the service (under `exec` it would make PID 1 exit); `tail -f` (`-F`, `--follow`, `tail -f /dev/null`) and `sleep infinity` ' +
      '(`sleep inf`) at the end only keep the container up, with the services unwatched in the background or as daemons, and are reported as such.',
    fix: 'Start the long-lived program with `exec` on every path (`exec uvicorn app.main:app "$@"`, `exec "$@"`, `exec gosu app "$@"`); if the script must supervise background jobs, forward signals with `trap` before `wait`.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: ENTRYPOINT_EXAMPLE_DOCKERFILE,
        extraFiles: {
          'docker-entrypoint.sh':
            '#!/bin/sh\nset -e\nalembic upgrade head\nif [ "$#" -gt 0 ]; then\n  exec "$@"\nelse\n  uvicorn app.main:app --host 0.0.0.0 --port 8000\nfi\n',
        },
      },
      good: {
        file: 'Dockerfile',
        content: ENTRYPOINT_EXAMPLE_DOCKERFILE,
        extraFiles: {
          'docker-entrypoint.sh':
            '#!/bin/sh\nset -e\necho "Running database migrations..."\nalembic upgrade head\necho "Starting uvicorn..."\nexec uvicorn app.main:app --host 0.0.0.0 --port 8000 "$@"\n',
        },
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const g of scriptGroups(project)) out.push(...judge(g));
    const seen = new Set<string>();
    for (const image of project.images) {
      for (const u of image.unresolvedStarts) {
        const k = `${image.name}|${u.program}|${u.refLoc.file}:${u.refLoc.line}|${u.environment ?? ''}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const r = unknown(
          image.name,
          u.refLoc,
          `The ${u.via} of \`${image.name}\` runs \`${u.program}\`, but ${u.reason}, so seaworthy cannot open the script to check that it \`exec\`s the service.`,
        );
        out.push(u.environment ? { ...r, environment: u.environment } : r);
      }
    }
    return out;
  },
};

export default rule;
