/**
 * entrypoint/args-passthrough: a script used as the ENTRYPOINT (of the image or a compose service)
 * hands its arguments on (`"$@"`, `$@`, `$*`, `${@}`), so a compose `command:`, `docker run IMAGE
 * ARGS` or the image's CMD reach the service. Scripts that only run as CMD are not judged (a
 * `command:` replaces them whole). Pass: at the first use, evidence "`\"$@\"`". Fail: at the final
 * `exec` (where `"$@"` belongs), else line 1. A script that does not parse and has no reference is
 * unknown. Only a use that hands the arguments on counts: `"$@"` as the command or among the arguments
 * of a command that runs something (`exec gosu app "$@"`, `set -- node "$@"`, `main "$@"`), not printed
 * (`echo`, `printf`, `logger`), tested or declared; `ARGS="$@"` counts when `$ARGS` is then handed on.
 * A shell-form ENTRYPOINT naming the script (`ENTRYPOINT /entrypoint.sh`) fails at the ENTRYPOINT when
 * the image's CMD or a compose `command:` gives arguments (the shell gets them, the script does not);
 * the script's pass is then withheld unless another start hands it arguments. Without a CMD or
 * `command:` there is nothing the project passes, and the script is judged alone (dockerfile/exec-form
 * reports the shell form itself).
 */
import { maskCommandLine } from '../../knowledge/secrets.js';
import { baseName } from '../../parse/shell.js';
import { effectiveStart } from '../../model/entrypoint.js';
import type { Project } from '../../model/project.js';
import type { ScriptUse } from '../../model/script.js';
import { scriptPaths } from '../../model/script-paths.js';
import type { ShellCommand, ShellWord } from '../../model/shell.js';
import type { RawResult, Rule } from '../../types.js';
import { services, sget } from '../_compose.js';
import { fail, loc, pass, unknown } from '../_util.js';
import { argvText, asJson } from '../dockerfile/_exec.js';
import {
  cmdLoc,
  code,
  ENTRYPOINT_EXAMPLE_DOCKERFILE,
  errorLoc,
  fileName,
  imageStartSpec,
  lineOneLoc,
  scriptGroups,
  shortText,
  type ScriptGroup,
} from './_scripts.js';

const ARGS_REF = /\$(?:@|\*|\{[@*]\}|\{[@*][^}]*\})/;

/**
 * Commands whose arguments go nowhere a program would see them: output (`echo "called with $@"`),
 * tests, declarations. `"$@"` among their arguments is not passing the arguments on.
 */
const NOT_PASSING = new Set([
  'echo',
  'printf',
  'logger',
  ':',
  'true',
  'false',
  'test',
  '[',
  '[[',
  'local',
  'export',
  'readonly',
  'declare',
  'typeset',
  'shift',
  'return',
  'exit',
  'read',
]);

/** True when the command hands `"$@"` (in `w`) on: as the command itself, or an argument of a command that runs something. */
function passesOn(c: ShellCommand, w: ShellWord): boolean {
  if (w === c.nameWord) return true;
  return !NOT_PASSING.has(baseName(c.name));
}

/**
 * A shell-form ENTRYPOINT (`ENTRYPOINT /entrypoint.sh`) that runs the script while the image's CMD or a
 * compose `command:` (of a service that keeps the image's ENTRYPOINT) gives arguments: Docker runs
 * `/bin/sh -c '/entrypoint.sh'` and hands those arguments to that shell, so the script never sees them.
 * A fail at the ENTRYPOINT; null when the ENTRYPOINT is in exec form or nothing gives arguments.
 */
function shellFormDrop(project: Project, use: ScriptUse): RawResult | null {
  if (use.via !== 'ENTRYPOINT') return null;
  const spec = imageStartSpec(use);
  if (spec?.form !== 'shell' || spec.text.trim() === '') return null;
  const { cmd } = effectiveStart(use.image.dockerfile, use.image.stage);
  const given: string[] = [];
  if (cmd && (cmd.form === 'exec' ? cmd.argv.length > 0 : cmd.text.trim() !== '')) {
    given.push(`the CMD ${code(cmd.form === 'exec' ? shortText(argvText(cmd.argv)) : shortText(maskCommandLine(cmd.text)))}`);
  }
  const names = [
    ...new Set(
      services(project)
        .filter((s) => s.svc.imageModel === use.image && sget(s.svc, 'command') && !sget(s.svc, 'entrypoint'))
        .map((s) => s.svc.name),
    ),
  ];
  if (names.length)
    given.push(`the compose \`command:\` of ${names.length > 1 ? 'services' : 'service'} ${names.map((n) => `\`${n}\``).join(', ')}`);
  if (!given.length) return null;
  const file = fileName(use.script.path);
  const shell = (use.image.stage.shell ?? ['/bin/sh', '-c']).join(' ');
  const json = asJson(spec);
  return fail(
    use.script.path,
    use.refLoc,
    `This ENTRYPOINT is in shell form, so Docker runs it through \`${shell}\` and hands the container's arguments to that shell, not to \`${file}\`: ` +
      `the arguments of ${given.join(' and of ')} never reach the script (its \`"$@"\` is empty) and are silently dropped. ` +
      `Write ${json ? `\`ENTRYPOINT ${json}\`` : `the exec form \`ENTRYPOINT ["${use.imagePath}"]\``} so they are passed to \`${file}\`.`,
  );
}

function judge(project: Project, g: ScriptGroup): RawResult[] {
  const { script, uses } = g;
  const sh = script.script;
  if (!sh) return [];
  if (!uses.some((u) => u.via === 'ENTRYPOINT' || u.via === 'compose entrypoint')) return [];
  const drops: RawResult[] = [];
  const dropped = new Set<ScriptUse>();
  const seen = new Set<string>();
  for (const u of uses) {
    const r = shellFormDrop(project, u);
    if (!r) continue;
    dropped.add(u);
    const k = `${r.location.file}:${r.location.line}:${r.location.column}`;
    if (seen.has(k)) continue;
    seen.add(k);
    drops.push(r);
  }
  // The script's own verdict; a pass only when some start actually hands it arguments.
  const own = judgeScript(g);
  const reached = uses.some((u) => (u.via === 'ENTRYPOINT' || u.via === 'compose entrypoint') && !dropped.has(u));
  return [...drops, ...own.filter((r) => r.status !== 'pass' || reached)];
}

function judgeScript(g: ScriptGroup): RawResult[] {
  const { script } = g;
  const sh = script.script;
  if (!sh) return [];
  const target = script.path;
  const file = fileName(script.path);
  let ref: ShellWord | null = null;
  for (const c of sh.commands) {
    for (const w of c.nameWord ? [c.nameWord, ...c.args] : c.args) {
      if (ARGS_REF.test(w.raw) && passesOn(c, w) && (!ref || w.range.line < ref.range.line)) ref = w;
    }
  }
  if (ref) return [pass(target, loc(script.path, ref.range), `\`${file}\` passes its arguments on with \`${ref.raw}\``, '`"$@"`')];
  // `ARGS="$@"` counts only when `$ARGS` is then handed on the same way.
  const assigned = sh.assignments.find((a) => {
    if (!ARGS_REF.test(a.value)) return false;
    const use = new RegExp(`\\$(?:${a.name}\\b|\\{${a.name}[}:#%/^,@[])`);
    return sh.commands.some((c) => (c.nameWord ? [c.nameWord, ...c.args] : c.args).some((w) => use.test(w.raw) && passesOn(c, w)));
  });
  if (assigned) return [pass(target, loc(script.path, assigned.range), `\`${file}\` keeps its arguments (\`${assigned.name}\`)`, '`"$@"`')];
  if (sh.hasErrors) {
    return [unknown(target, errorLoc(script), `\`${file}\` does not parse, so whether it passes its arguments on cannot be told.`)];
  }
  const execs = sh.stmts ? scriptPaths(sh).ends.filter((e) => e.verdict === 'exec' && e.cmd) : [];
  const last = execs.length ? execs[execs.length - 1].cmd : null;
  const at = last ? cmdLoc(script, last) : lineOneLoc(script);
  return [
    fail(
      target,
      at,
      `\`${file}\` never hands \`"$@"\` on to a program, so the arguments the container is started with — a compose \`command:\`, \`docker run IMAGE ARGS\`, the image's CMD — are silently dropped. ${
        last ? 'Append `"$@"` to this `exec`' : 'End the script with `exec "$@"` (or `exec program "$@"`)'
      } so they reach the service.`,
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'entrypoint/args-passthrough',
    title: 'Entrypoint scripts pass their arguments on',
    severity: 'info',
    family: 'entrypoint',
    target: 'script',
    env: 'all',
    aliases: [],
    rationale:
      'When a script is the ENTRYPOINT, the CMD, a compose `command:` and `docker run IMAGE ARGS` all arrive as its arguments. ' +
      'A script that never uses `"$@"` drops them silently: `command: ["--workers", "4"]` in the production overlay has no effect, ' +
      'and `docker compose run backend sh` does not open a shell. The convention of official images is to end with ' +
      '`exec "$@"` or `exec program ... "$@"`. ' +
      'Only a use that hands the arguments on counts: `echo "called with $@"` prints them and drops them all the same, so arguments of ' +
      '`echo`, `printf`, `logger`, tests and declarations are not a pass, and an assignment (`ARGS="$@"`) counts only when the variable is then handed on. ' +
      'The ENTRYPOINT must be in exec form for the arguments to arrive at all: `ENTRYPOINT /entrypoint.sh` runs `/bin/sh -c /entrypoint.sh`, ' +
      'and the CMD or `command:` become arguments of that shell, so even `exec "$@"` gets none. That is reported at the ENTRYPOINT when the ' +
      "image's CMD or a compose `command:` (of a service that keeps the image's ENTRYPOINT) gives arguments; without either, the project " +
      'passes nothing and only the script is judged (dockerfile/exec-form reports the shell form as such).',
    fix: 'Pass the arguments on at the end: `exec uvicorn app.main:app "$@"`, or `exec "$@"` with the default command in CMD.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: ENTRYPOINT_EXAMPLE_DOCKERFILE,
        extraFiles: { 'docker-entrypoint.sh': '#!/bin/sh\nset -e\nexec uvicorn app.main:app --host 0.0.0.0 --port 8000\n' },
      },
      good: {
        file: 'Dockerfile',
        content: ENTRYPOINT_EXAMPLE_DOCKERFILE,
        extraFiles: { 'docker-entrypoint.sh': '#!/bin/sh\nset -e\nexec uvicorn app.main:app --host 0.0.0.0 --port 8000 "$@"\n' },
      },
    },
  },
  check(project) {
    return scriptGroups(project).flatMap((g) => judge(project, g));
  },
};

export default rule;
