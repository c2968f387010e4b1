import type { ExecSpec } from '../../model/dockerfile.js';
import { baseFacts } from '../../model/image.js';
import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass, unknown } from '../_util.js';
import { argvText, asJson, effectiveExec } from './_exec.js';

function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const target = image.name;
  const { entrypoint, cmd, fromBase } = effectiveExec(df, image.stage);
  const shell = (image.stage.shell ?? ['/bin/sh', '-c']).join(' ');
  const out: RawResult[] = [];
  const json = (spec: ExecSpec, kw: string) => {
    const j = asJson(spec);
    return j
      ? `\`${kw} ${j}\``
      : `the JSON form \`${kw} ["program", "arg"]\` (with \`exec\` in a wrapper script if shell features are needed)`;
  };
  if (entrypoint && entrypoint.form === 'shell' && entrypoint.text !== '') {
    out.push(
      fail(
        target,
        loc(df.path, entrypoint.instr.range),
        `ENTRYPOINT is in shell form, so \`${shell}\` is PID 1: SIGTERM from \`docker stop\` never reaches the app (it is killed after the timeout) and CMD or compose \`command:\` are ignored; write ${json(entrypoint, 'ENTRYPOINT')}.`,
      ),
    );
  }
  if (cmd && cmd.form === 'shell' && cmd.text !== '') {
    const why =
      entrypoint && entrypoint.form === 'exec'
        ? `ENTRYPOINT ${argvText(entrypoint.argv)} receives \`${shell} <command>\` as its arguments instead of the intended ones`
        : entrypoint
          ? 'it is ignored by the shell-form ENTRYPOINT and would run under a shell as PID 1 once that is fixed'
          : `\`${shell}\` is PID 1, so SIGTERM from \`docker stop\` never reaches the app and it is killed after the timeout`;
    out.push(fail(target, loc(df.path, cmd.instr.range), `CMD is in shell form: ${why}; write ${json(cmd, 'CMD')}.`));
  }
  if (out.length) return out;
  const spec = entrypoint ?? cmd;
  if (spec) {
    const kw = spec === entrypoint ? 'ENTRYPOINT' : 'CMD';
    return [
      pass(
        target,
        loc(df.path, spec.instr.range),
        `${kw} is in exec form, so the app is PID 1 and receives signals`,
        `exec form \`${argvText(spec.argv)}\``,
      ),
    ];
  }
  const facts = baseFacts(df, image.stage);
  if (fromBase && facts && facts !== 'unresolved') {
    return [pass(target, fromLoc(image), "no ENTRYPOINT or CMD: the base image's exec-form defaults apply", "base image's exec-form CMD")];
  }
  return [
    unknown(
      target,
      fromLoc(image),
      "No ENTRYPOINT or CMD in the final stage chain and the base image is not in seaworthy's knowledge, so the form of the inherited command is unknown.",
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/exec-form',
    title: 'ENTRYPOINT and CMD use the exec (JSON) form',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3025', 'JSONArgsRecommended'],
    rationale:
      'In shell form (`CMD uvicorn app:app`) Docker runs the command as `/bin/sh -c "..."`, so the shell is PID 1 and the app is its child. ' +
      '`docker stop` sends SIGTERM to PID 1; `sh` does not forward it, so the app never starts a graceful shutdown, in-flight requests are cut ' +
      'and the container is SIGKILLed after the stop timeout. A shell-form ENTRYPOINT also ignores CMD and compose `command:`, and a shell-form ' +
      'CMD after an exec-form ENTRYPOINT is passed to it as the arguments `/bin/sh -c ...`.',
    fix: 'Write ENTRYPOINT and CMD as JSON arrays (`CMD ["uvicorn", "app.main:app"]`); when shell features are needed, put them in an entrypoint script that ends with `exec "$@"`.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD uvicorn app.main:app --host 0.0.0.0\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY docker-entrypoint.sh /usr/local/bin/\nCOPY . .\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n',
      },
    },
  },
  check(project) {
    return project.images.flatMap(check);
  },
};

export default rule;
