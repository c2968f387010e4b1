import type { DockerfileModel, Instr, Range, Stage } from '../../model/dockerfile.js';
import { posix } from 'node:path';
import { stageChain } from '../../model/image.js';
import { substitute } from '../../parse/substitute.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, loc, pass } from '../_util.js';
import { stageLabel } from './_from.js';

/** Range of the `AS name` word of a FROM, or the whole FROM. */
function stageNameRange(stage: Stage): Range {
  const args = stage.from.instr.args;
  const n = args.length;
  if (n >= 3 && args[n - 2].value.toUpperCase() === 'AS') return args[n - 1].range;
  return stage.from.instr.range;
}

function copyFromProblems(df: DockerfileModel, stage: Stage): { message: string; range: Range }[] {
  const out: { message: string; range: Range }[] = [];
  for (const c of stage.copies) {
    if (c.from === null || c.fromStage !== null) continue;
    const flag = c.instr.flags.find((f) => f.name === 'from');
    const range = flag?.range ?? c.instr.range;
    const value = substitute(c.from, stage.vars).value;
    if (value === null) continue; // unresolved: cannot tell
    const lower = value.toLowerCase();
    if (/^\d+$/.test(lower)) {
      const i = Number(lower);
      const what =
        i >= df.stages.length
          ? `there are only ${df.stages.length} stage(s)`
          : i === stage.index
            ? 'that is this stage itself'
            : 'that stage comes later';
      out.push({
        message: `\`${c.keyword} --from=${c.from}\` names stage ${i}, but ${what}; the build fails. Copy from an earlier stage (by its \`AS\` name).`,
        range,
      });
      continue;
    }
    // A value with `:`/`/`/`@`, or one that is no stage name at all, is an external image.
    if (/[:/@]/.test(lower)) continue;
    const named = df.stages.find((s) => s.name === lower);
    if (!named) continue;
    const what =
      named.index === stage.index
        ? 'the stage it is in'
        : `stage \`${stageLabel(named)}\`, which is defined later (line ${named.from.instr.range.line})`;
    out.push({
      message:
        `\`${c.keyword} --from=${c.from}\` refers to ${what}; a stage can only copy from earlier stages, so Docker pulls an image named ` +
        `\`${lower}\` instead or the build fails. Move the source stage before this one.`,
      range,
    });
  }
  return out;
}

/** Later duplicates of CMD / ENTRYPOINT / HEALTHCHECK in one stage: only the last one takes effect. */
function duplicateInstrs(df: DockerfileModel, stage: Stage): { message: string; range: Range }[] {
  const where = df.stages.length > 1 ? `Stage \`${stageLabel(stage)}\`` : 'The Dockerfile';
  const out: { message: string; range: Range }[] = [];
  const groups: [string, Instr[]][] = [
    ['CMD', stage.cmds.map((x) => x.instr)],
    ['ENTRYPOINT', stage.entrypoints.map((x) => x.instr)],
    ['HEALTHCHECK', stage.healthchecks.map((x) => x.instr)],
  ];
  for (const [kw, instrs] of groups) {
    for (const ins of instrs.slice(1)) {
      out.push({
        message:
          `${where} has more than one ${kw} (first on line ${instrs[0].range.line}); only the last one takes effect, ` +
          `so the earlier ones are dead code that misleads readers. Keep a single ${kw} per stage.`,
        range: ins.range,
      });
    }
  }
  return out;
}

/** A WORKDIR's path as written, without surrounding quotes. */
function workdirPath(ins: Instr): string {
  const t = ins.argsText.trim();
  return /^(["']).*\1$/s.test(t) ? t.slice(1, -1) : t;
}

function isAbsoluteDir(dir: string): boolean {
  return dir.startsWith('/') || /^[A-Za-z]:[\\/]/.test(dir);
}

/**
 * Relative WORKDIRs of a stage. What one resolves to is decided by the last absolute WORKDIR before it
 * in the stage or the stages it is built `FROM` (then the message names it and the path), else by the base image.
 */
function relativeWorkdirs(df: DockerfileModel, stage: Stage): { message: string; range: Range }[] {
  const out: { message: string; range: Range }[] = [];
  // The last absolute WORKDIR so far (and the path the relative ones after it lead to; null once a `$` makes it unsure).
  let anchor: { ins: Instr; stage: Stage; path: string | null } | null = null;
  for (const s of stageChain(df, stage).reverse()) {
    for (const ins of s.instructions) {
      if (ins.keyword !== 'WORKDIR') continue;
      const dir = workdirPath(ins);
      if (dir === '' || dir.startsWith('$') || isAbsoluteDir(dir)) {
        anchor = dir === '' ? anchor : { ins, stage: s, path: dir.includes('$') || !dir.startsWith('/') ? null : posix.normalize(dir) };
        continue;
      }
      if (anchor) anchor.path = anchor.path === null || dir.includes('$') ? null : posix.join(anchor.path, dir);
      if (s !== stage) continue;
      const shown = `\`WORKDIR ${ins.argsText.trim()}\``;
      let message: string;
      if (anchor) {
        const where = `the WORKDIR on line ${anchor.ins.range.line}${anchor.stage === stage ? '' : ` (stage \`${stageLabel(anchor.stage)}\`)`}`;
        const to = anchor.path === null ? '' : ` to ${anchor.path.replace(/(.)\/$/, '$1')}`;
        message =
          `${shown} is relative; it resolves${to} only because of ${where}, and moves if that one changes; ` +
          `write the absolute path${anchor.path === null ? '' : ` (\`WORKDIR ${anchor.path.replace(/(.)\/$/, '$1')}\`)`}.`;
      } else {
        message =
          `${shown} is relative, so it depends on the WORKDIR inherited from the base image and can change when the base changes; ` +
          'use an absolute path (`WORKDIR /app`).';
      }
      out.push({
        message,
        range: ins.args.length
          ? {
              ...ins.args[0].range,
              endLine: ins.args[ins.args.length - 1].range.endLine,
              endColumn: ins.args[ins.args.length - 1].range.endColumn,
            }
          : ins.range,
      });
    }
  }
  return out;
}

function judge(df: DockerfileModel): RawResult[] {
  const target = df.path;
  const problems: { message: string; range: Range }[] = [];
  if (df.stages.length === 0) {
    // Not a Dockerfile at all (or no FROM): one finding, not one per line of a binary file.
    const p = df.problems[0];
    const range = p?.range ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
    return [
      fail(
        target,
        loc(df.path, range),
        `This file has no FROM instruction (${p?.message ?? 'empty'}), so it cannot be built; start it with \`FROM <image>:<tag>\` or rename it.`,
      ),
    ];
  }
  for (const p of df.problems) {
    problems.push({
      message: `${p.message[0].toUpperCase()}${p.message.slice(1)}: Docker rejects this line and the build fails; fix or remove it.`,
      range: p.range,
    });
  }
  const seen = new Map<string, Stage>();
  for (const s of df.stages) {
    if (s.name !== null) {
      const first = seen.get(s.name);
      if (first) {
        problems.push({
          message:
            `Stage name \`${s.name}\` is already used on line ${first.from.instr.range.line}; references to it become ambiguous ` +
            '(BuildKit rejects the file). Give each stage a unique name.',
          range: stageNameRange(s),
        });
      } else seen.set(s.name, s);
    }
    problems.push(...copyFromProblems(df, s), ...duplicateInstrs(df, s), ...relativeWorkdirs(df, s));
  }
  if (problems.length === 0) {
    const first = df.instructions[0]?.range ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
    return [pass(target, loc(df.path, first), 'no structural problems found', 'valid')];
  }
  problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
  return problems.map((p) => fail(target, loc(df.path, p.range), p.message));
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/valid-structure',
    title: 'Dockerfile is structurally valid',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3022', 'DL3023', 'DL3024', 'DL4003', 'DL4004', 'DL3012', 'DL3000', 'DS-0006..0012'],
    rationale:
      'Some Dockerfile mistakes break the build only on a clean machine or change behaviour silently: `COPY --from` a stage that ' +
      'is defined later makes Docker pull an image of that name, duplicate stage names make references ambiguous, a second CMD, ' +
      'ENTRYPOINT or HEALTHCHECK in a stage silently replaces the first, a relative WORKDIR depends on the base image or on an earlier WORKDIR (the message says which, and ' +
      'what it resolves to), and an ' +
      'unknown instruction or an instruction before FROM fails the build. Catching them statically keeps the audit of the other ' +
      'rules meaningful, since they judge the file as written.',
    fix: 'Copy only from earlier stages, give stages unique names, keep one CMD/ENTRYPOINT/HEALTHCHECK per stage, use absolute WORKDIR paths and remove unknown instructions.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content:
          'FROM node:22-slim AS build\nWORKDIR app\nRUN npm ci\n\nFROM node:22-slim\nCOPY --from=build /app /app\nCMD ["node", "a.js"]\nCMD ["node", "b.js"]\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM node:22-slim AS build\nWORKDIR /app\nRUN npm ci\n\nFROM node:22-slim\nCOPY --from=build /app /app\nCMD ["node", "a.js"]\n',
      },
    },
  },
  check(project) {
    return project.dockerfiles.flatMap(judge);
  },
};

export default rule;
