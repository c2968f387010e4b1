/**
 * entrypoint/fail-fast: an entrypoint script turns on errexit (`set -e`, `set -o errexit`, `set -eu`,
 * `set -euo pipefail`, or `-e` in the shebang) before it runs anything, so a failed setup step
 * (migration, `cd`, config rendering) stops the container instead of starting a half-prepared service.
 *
 * Top-level statements are read in order. Comments, other `set` options (`set -x`), function
 * definitions and plain assignments without command substitution do not count as commands. A
 * shebang `-e` counts only when some image executes the script directly (`sh /x.sh` ignores it).
 * Fail: at the first command that runs before errexit, or at line 1 when errexit is never set; at the
 * `set -e` when a carriage return follows it (CRLF line endings: sh reads `-e\r` and rejects it; the
 * parser reads the `\r` as a blank, so this is checked on the text), and a CRLF shebang `-e` is no credit.
 * Pass evidence: the command as written, e.g. "`set -e`", "`set -euo pipefail`", "`#!/bin/sh -e`".
 */
import type { Range } from '../../model/dockerfile.js';
import type { ShellCommand, ShellScript, Stmt } from '../../model/shell.js';
import { baseName } from '../../parse/shell.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, loc, pass, unknown } from '../_util.js';
import { CRLF_FIX, code, endsWithCR, fileName, type ScriptGroup, scriptGroups, shortText } from './_scripts.js';

/** Whether a `set` command turns errexit on. */
function setsErrexit(c: ShellCommand): boolean {
  if (baseName(c.name) !== 'set') return false;
  const args = c.args.map((a) => a.value);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a === '-o' && args[i + 1] === 'errexit') return true;
    if (/^-[A-Za-z]*e[A-Za-z]*$/.test(a) && !a.startsWith('--')) return true;
  }
  return false;
}

function within(r: Range, outer: Range): boolean {
  const after = r.line > outer.line || (r.line === outer.line && r.column >= outer.column);
  const before = r.endLine < outer.endLine || (r.endLine === outer.endLine && r.endColumn <= outer.endColumn);
  return after && before;
}

/** The range of a statement that runs something, or null when it runs nothing (comments are not statements). */
function runsSomething(s: Stmt, sh: ShellScript): Range | null {
  switch (s.kind) {
    case 'cmd': {
      const c = sh.commands[s.cmd];
      return baseName(c.name) === 'set' ? null : c.range;
    }
    case 'func':
      return null;
    case 'other': {
      if (s.type === 'variable_assignment' || s.type === 'declaration_command' || s.type === 'variable_assignments') {
        // `X=1` runs nothing; `X=$(curl ...)` runs the substitution.
        return sh.commands.some((c) => c.inSubstitution && within(c.range, s.range)) ? s.range : null;
      }
      return s.range;
    }
    case 'pipeline':
      return s.cmds.length ? sh.commands[s.cmds[0]].range : null;
    case 'andor':
      return runsSomething(s.left, sh) ?? runsSomething(s.right, sh);
    case 'group':
      for (const b of s.body) {
        const r = runsSomething(b, sh);
        if (r) return r;
      }
      return null;
    default:
      return s.range;
  }
}

function judge(g: ScriptGroup): RawResult[] {
  const { script, uses } = g;
  const sh = script.script;
  if (!sh?.stmts) return [];
  const target = script.path;
  const file = fileName(script.path);
  const direct = uses.some((u) => !u.explicitInterpreter);
  const shebangE = !!script.shebang?.args.some(
    (a, i, all) => (/^-[A-Za-z]*e[A-Za-z]*$/.test(a) && !a.startsWith('--')) || (a === '-o' && all[i + 1] === 'errexit'),
  );
  // `#!/bin/sh -e\r` (CRLF): sh gets the option `-e\r` and rejects it, so the shebang `-e` is no credit.
  if (shebangE && direct && script.shebang && !endsWithCR(script, 1)) {
    const text = script.text.split('\n', 1)[0].replace(/\r$/, '').trim();
    return [pass(target, loc(script.path, script.shebang.range), `errexit is on from the shebang \`${text}\``, code(text))];
  }
  let firstCmd: Range | null = null;
  let errexit: ShellCommand | null = null;
  for (const s of sh.stmts) {
    if (s.kind === 'cmd' && setsErrexit(sh.commands[s.cmd])) {
      errexit = sh.commands[s.cmd];
      break;
    }
    firstCmd ??= runsSomething(s, sh);
  }
  const err = sh.hasErrors ? sh.errorRange : null;
  const interpNote =
    shebangE && !direct
      ? ` The \`-e\` of the shebang does not apply: the image runs the script through \`${uses[0]?.explicitInterpreter ?? 'sh'}\`, which ignores the shebang.`
      : '';
  if (errexit) {
    const setText = code(shortText(errexit.text));
    const e = errexit.range;
    if (endsWithCR(script, e.endLine) && script.text.split('\n', e.endLine)[e.endLine - 1].length === e.endColumn) {
      return [
        fail(
          target,
          loc(script.path, e),
          `${setText} is followed by a carriage return (\`${file}\` has CRLF line endings): the shell reads its last option with the \`\\r\` and rejects it (\`set: Illegal option -\`), so errexit is never turned on (dash and busybox sh stop the script right there, bash carries on without it). ${CRLF_FIX}`,
        ),
      ];
    }
    if (!firstCmd) return [pass(target, loc(script.path, errexit.range), `errexit is on (${setText}) before any command runs`, setText)];
    return [
      fail(
        target,
        loc(script.path, firstCmd),
        `This command runs before ${setText} on line ${errexit.range.line}: if it fails, the script carries on and starts the service in a half-prepared container. Move ${setText} to the top, right after the shebang.${interpNote}`,
      ),
    ];
  }
  if (err) {
    return [
      unknown(
        target,
        loc(script.path, err),
        `\`${file}\` has a shell syntax error at line ${err.line} before any \`set -e\`, so whether it fails fast cannot be told; fix the syntax.`,
      ),
    ];
  }
  if (!firstCmd) return [];
  const at = script.shebang ? loc(script.path, script.shebang.range) : loc(script.path, firstCmd);
  return [
    fail(
      target,
      at,
      `\`${file}\` never turns on errexit: a failing step (a migration, a \`cd\`, a config render) is ignored and the service starts anyway. Add \`set -e\` (or \`set -eu\`) right after the shebang.${interpNote}`,
    ),
  ];
}

/** Rule examples: the image of both examples. */
const DOCKERFILE =
  'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';

const rule: Rule = {
  meta: {
    id: 'entrypoint/fail-fast',
    title: 'Entrypoint scripts stop at the first error',
    severity: 'medium',
    family: 'entrypoint',
    target: 'script',
    env: 'all',
    aliases: [],
    rationale:
      'A shell script keeps going after a failed command unless errexit is on. An entrypoint that runs migrations, renders ' +
      'configuration or fixes permissions before starting the service then starts it on a broken setup: the migration failed ' +
      'but the app serves requests against the old schema, the config template was not written but the server starts with ' +
      'defaults. With `set -e` the container exits non-zero instead, which the orchestrator sees and reports. Commands that run ' +
      'before the `set -e` line are not covered. In a script with CRLF (Windows) line endings `set -e` is followed by a carriage ' +
      'return: the shell reads the option `-e\\r` and rejects it (`set: Illegal option -`), so it is reported as a fail at that line, ' +
      'not credited.',
    fix: 'Put `set -e` (or `set -eu`, or `set -euo pipefail` for bash) as the first command after the shebang.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: DOCKERFILE,
        extraFiles: { 'entrypoint.sh': '#!/bin/sh\nalembic upgrade head\nexec uvicorn app.main:app --host 0.0.0.0 "$@"\n' },
      },
      good: {
        file: 'Dockerfile',
        content: DOCKERFILE,
        extraFiles: { 'entrypoint.sh': '#!/bin/sh\nset -e\nalembic upgrade head\nexec uvicorn app.main:app --host 0.0.0.0 "$@"\n' },
      },
    },
  },
  check(project) {
    return scriptGroups(project).flatMap(judge);
  },
};

export default rule;
