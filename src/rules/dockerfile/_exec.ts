/** The ENTRYPOINT and CMD in effect for an image, following Docker's inheritance rules. Pure. */
import type { DockerfileModel, ExecSpec, Stage } from '../../model/dockerfile.js';
import { maskArgv } from '../../knowledge/secrets.js';
import { stageChain } from '../../model/image.js';

export interface EffectiveExec {
  entrypoint: ExecSpec | null;
  cmd: ExecSpec | null;
  /** True when neither is set in the stage chain, so the external base image's own apply. */
  fromBase: boolean;
}

/**
 * Walks the stage chain from its external root to `stage`: the last ENTRYPOINT and CMD win, and an
 * ENTRYPOINT resets a CMD inherited from a parent stage unless the same stage sets CMD before it
 * (BuildKit's `cmdSet` rule).
 */
export function effectiveExec(df: DockerfileModel, stage: Stage): EffectiveExec {
  const cached = execOf.get(stage);
  if (cached !== undefined && cached.df === df) return cached.exec;
  const exec = readEffectiveExec(df, stage);
  execOf.set(stage, { df, exec });
  return exec;
}

// Three rules (exec-form, init-process, telemetry-disabled) ask it of every image: read once per
// (immutable) stage; callers only read the answer.
const execOf = new WeakMap<Stage, { df: DockerfileModel; exec: EffectiveExec }>();

function readEffectiveExec(df: DockerfileModel, stage: Stage): EffectiveExec {
  let entrypoint: ExecSpec | null = null;
  let cmd: ExecSpec | null = null;
  let any = false;
  for (const s of stageChain(df, stage).reverse()) {
    const specs = [...s.entrypoints, ...s.cmds].sort((a, b) => a.instr.range.line - b.instr.range.line);
    let cmdSet = false;
    for (const spec of specs) {
      any = true;
      if (spec.instr.keyword === 'CMD') {
        cmd = spec;
        cmdSet = true;
      } else {
        entrypoint = spec;
        if (!cmdSet) cmd = null;
      }
    }
  }
  return { entrypoint, cmd, fromBase: !any };
}

/** `["docker-entrypoint.sh", "serve"]` as written in JSON, for evidence. */
/** An exec form as printed (JSON), its secret values masked (`maskArgv`). */
export function argvText(argv: readonly string[]): string {
  return `[${maskArgv(argv)
    .map((a) => JSON.stringify(a))
    .join(', ')}]`;
}

/** The exec form a simple shell-form command would have (`python app.py` → `["python", "app.py"]`), else null. */
export function asJson(spec: ExecSpec): string | null {
  const cmds = spec.script?.commands ?? [];
  if (cmds.length !== 1 || spec.script?.hasErrors) return null;
  const c = cmds[0];
  if (!c.name || c.assignments.length || c.redirects.length || c.pipeline !== null || c.args.some((a) => a.dynamic)) return null;
  if (c.text.trim() !== spec.text.trim()) return null;
  const words = c.name === 'exec' ? c.args.map((a) => a.value) : [c.name, ...c.args.map((a) => a.value)];
  return words.length ? argvText(words) : null;
}
