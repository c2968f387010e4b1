/**
 * Healthcheck probes, shared by `dockerfile/healthcheck`, `dockerfile/healthcheck-tools` and the
 * compose healthcheck rules: find the effective HEALTHCHECK of an image, describe a probe in words
 * for the report, and judge whether every program a probe runs exists in the image.
 *
 * A probe is the command of a Dockerfile `HEALTHCHECK CMD` or of a compose `healthcheck.test`
 * (`["CMD", ...]` → exec form with the argv after `CMD`; `["CMD-SHELL", "..."]` or a string → shell
 * form with the parsed script). Ranges are in the caller's file. Pure: no I/O.
 */
import type { BaseImageFacts } from '../knowledge/base-images.js';
import { imageProgram } from '../knowledge/programs.js';
import type { DockerfileModel, HealthcheckInstr, Range, Stage } from '../model/dockerfile.js';
import { baseFacts, hasTool, rootFrom, stageChain, type ToolPresence } from '../model/image.js';
import type { ShellCommand, ShellScript } from '../model/shell.js';
import { baseName } from '../parse/shell.js';
import { maskCommandSecrets } from '../knowledge/secrets.js';

export interface Probe {
  form: 'exec' | 'shell';
  /** exec form: the program and its arguments. */
  argv?: string[];
  /** exec form: the range of each argv string. */
  argvRanges?: Range[];
  /** shell form (or exec form `sh -c`): the parsed script. */
  script?: ShellScript | null;
  /** The whole probe command: the fallback location. */
  range: Range;
}

/** The HEALTHCHECK in effect for a stage: the last one in the stage or, failing that, in the stages it is built FROM. */
export function effectiveHealthcheck(df: DockerfileModel, stage: Stage): HealthcheckInstr | null {
  for (const s of stageChain(df, stage)) {
    const hc = s.healthchecks[s.healthchecks.length - 1];
    if (hc) return hc;
  }
  return null;
}

/** The probe of a Dockerfile HEALTHCHECK, null for `HEALTHCHECK NONE` or one without CMD. */
export function probeOf(hc: HealthcheckInstr): Probe | null {
  if (hc.none || !hc.cmd) return null;
  const c = hc.cmd;
  if (c.form === 'exec') return { form: 'exec', argv: c.argv, argvRanges: c.argvRanges, script: c.script, range: c.instr.range };
  return { form: 'shell', script: c.script, range: c.instr.range };
}

/** Shell builtins and keywords: not programs the image must ship. */
const BUILTINS = new Set([
  'exit',
  'test',
  '[',
  '[[',
  'echo',
  'printf',
  'true',
  'false',
  'set',
  'cd',
  'export',
  'read',
  'return',
  ':',
  '.',
  'source',
  'eval',
  'shift',
  'unset',
  'local',
  'trap',
  'wait',
  'kill',
  'type',
  'ulimit',
  'umask',
  'let',
  'pwd',
  'break',
  'continue',
  'readonly',
  'exec',
  'command',
  'getopts',
  'alias',
  'hash',
  'times',
]);

/** Builtins that run their first non-option argument as a program. */
const RUNS_ARG = new Set(['exec', 'command']);

/** Utilities present wherever a POSIX shell userland is (Debian coreutils/grep/sed/mawk, busybox). */
const CORE_UTILS = new Set([
  'cat',
  'grep',
  'egrep',
  'fgrep',
  'sed',
  'awk',
  'head',
  'tail',
  'wc',
  'cut',
  'tr',
  'sleep',
  'timeout',
  'env',
  'ls',
  'date',
  'stat',
  'find',
  'sort',
  'xargs',
  'nice',
  'nohup',
  'basename',
  'dirname',
  'expr',
  'tee',
  'touch',
  'rm',
  'mkdir',
  'id',
  'whoami',
  'uname',
]);

/** Utilities that run another program given in their arguments: how many leading non-option args to skip. */
const WRAPPERS: Record<string, number> = { timeout: 1, nice: 0, nohup: 0, env: 0 };

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** Program name as a tool of the knowledge tables: basename, `python3.12` → `python`, `nodejs` → `node`. */
export function toolName(program: string): string {
  const b = baseName(program);
  if (/^python[0-9.]*$/.test(b)) return 'python';
  if (b === 'nodejs') return 'node';
  if (/^pip[0-9.]*$/.test(b)) return 'pip';
  return b;
}

/** One program a probe needs. */
export interface ProgramNeed {
  /** As written (`curl`, `/nodejs/bin/node`). */
  name: string;
  /** Normalized (`python3` → `python`). */
  tool: string;
  range: Range;
}

/** The programs a command runs, unwrapping `exec X`, `command X`, `timeout 5 X`, `env A=1 X` (nested too). */
function innerPrograms(cmd: ShellCommand): { name: string; range: Range }[] {
  const out: { name: string; range: Range }[] = [];
  if (!cmd.name || !cmd.nameWord) return out;
  let name = cmd.name;
  let range = cmd.nameWord.range;
  let args = cmd.args;
  for (;;) {
    const b = baseName(name);
    if (!BUILTINS.has(b)) out.push({ name, range });
    const skip = RUNS_ARG.has(b) ? 0 : Object.hasOwn(WRAPPERS, b) ? WRAPPERS[b] : undefined;
    if (skip === undefined) return out;
    let skipped = 0;
    let next = -1;
    for (let i = 0; i < args.length; i++) {
      const v = args[i].value;
      if (v.startsWith('-')) {
        if (b === 'timeout' && (v === '-s' || v === '-k')) i++;
        continue;
      }
      if (b === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) continue;
      if (skipped < skip) {
        skipped++;
        continue;
      }
      next = i;
      break;
    }
    if (next < 0 || args[next].dynamic) return out;
    name = args[next].value;
    range = args[next].range;
    args = args.slice(next + 1);
  }
}

function scriptPrograms(script: ShellScript): ProgramNeed[] {
  const out: ProgramNeed[] = [];
  for (const c of script.commands) {
    for (const p of innerPrograms(c)) {
      out.push({ name: p.name, tool: toolName(p.name), range: p.range });
    }
  }
  return out;
}

/**
 * Every program the probe runs in the container, in order. Shell form needs the shell itself
 * (`/bin/sh -c`, or the stage's SHELL when given), pointed at the first command word.
 */
function probePrograms(probe: Probe, shell: string[] | null = null): ProgramNeed[] {
  if (probe.form === 'exec') {
    const argv = probe.argv ?? [];
    if (argv.length === 0) return [];
    const range = probe.argvRanges?.[0] ?? probe.range;
    const out: ProgramNeed[] = [{ name: argv[0], tool: toolName(argv[0]), range }];
    if (probe.script && SHELLS.has(baseName(argv[0]))) out.push(...scriptPrograms(probe.script));
    return out;
  }
  const script = probe.script;
  const first = script?.commands.find((c) => c.nameWord)?.nameWord?.range ?? probe.range;
  const sh = shell?.[0] ?? '/bin/sh';
  const out: ProgramNeed[] = [{ name: sh, tool: toolName(sh), range: first }];
  if (script) out.push(...scriptPrograms(script));
  return out;
}

/** Whether the image (final stage `stage`) has a program, with the knowledge of programs.ts on top of `hasTool`. */
export function programPresence(df: DockerfileModel, stage: Stage, program: string): ToolPresence {
  const tool = toolName(program);
  const h = hasTool(df, stage, tool);
  if (h.present === true) return h;
  const from = rootFrom(df, stage);
  if (from.name) {
    const k = imageProgram(from.name, tool);
    if (k === true) return { present: true, reason: `\`${from.resolved}\` ships \`${tool}\`` };
    if (Array.isArray(k)) {
      if (k.includes(program)) return { present: true, reason: `\`${from.resolved}\` ships \`${program}\`` };
      if (!program.startsWith('/')) {
        return {
          present: false,
          reason: `\`${from.resolved}\` has \`${tool}\` only at ${k.map((p) => `\`${p}\``).join(', ')}, which is not on PATH`,
        };
      }
    }
  }
  if (CORE_UTILS.has(tool) && h.present === null) {
    const facts = baseFacts(df, stage);
    const sh = hasTool(df, stage, 'sh');
    if (sh.present === true && facts && facts !== 'unresolved' && facts.variant !== 'distroless' && facts.variant !== 'scratch') {
      return { present: true, reason: `part of the shell userland of \`${from.resolved}\`` };
    }
    if (sh.present === false) return { present: false, reason: `\`${from.resolved ?? from.raw}\` has no shell userland` };
  }
  return h;
}

export interface ProgramJudgement extends ProgramNeed {
  presence: ToolPresence;
}

export interface ProbeJudgement {
  status: 'pass' | 'fail' | 'unknown';
  programs: ProgramJudgement[];
  /** fail: the first missing program; unknown: the first undecided one. */
  culprit: ProgramJudgement | null;
  /** Where a finding points: the culprit's word, else the probe. */
  range: Range;
  /** One or two sentences: what, why, fix (fail); what could not be decided (unknown); what was found (pass). */
  message: string;
  /** pass: e.g. "no curl needed", "`wget` (busybox)", "`curl` installed by `curl`". */
  evidence: string | null;
}

/**
 * Judges a probe against the image whose final stage is `stage`: every program it needs must be
 * there (base image knowledge, packages installed by RUNs in the stage chain, files COPY'd in).
 */
export function judgeProbe(df: DockerfileModel, stage: Stage, probe: Probe): ProbeJudgement {
  const shell = probe.form === 'shell' ? stage.shell : null;
  const programs: ProgramJudgement[] = probePrograms(probe, shell).map((p) => ({ ...p, presence: programPresence(df, stage, p.name) }));
  const from = rootFrom(df, stage);
  const image = from.resolved ?? from.raw;
  const missing = programs.find((p) => p.presence.present === false);
  if (missing) {
    return {
      status: 'fail',
      programs,
      culprit: missing,
      range: missing.range,
      message: `The healthcheck runs \`${missing.name}\`, but ${missing.presence.reason}: every probe fails and the container is reported unhealthy. ${suggestion(df, stage, missing, probe.form === 'shell' && missing === programs[0])}`,
      evidence: null,
    };
  }
  const undecided = programs.find((p) => p.presence.present === null);
  if (undecided) {
    return {
      status: 'unknown',
      programs,
      culprit: undecided,
      range: undecided.range,
      message: `Cannot tell whether \`${image}\` has \`${undecided.name}\`, which the healthcheck runs: ${undecided.presence.reason}.`,
      evidence: null,
    };
  }
  return {
    status: 'pass',
    programs,
    culprit: null,
    range: probe.range,
    message: `Every program the healthcheck runs is in the image: ${programs.map((p) => `\`${p.name}\` (${p.presence.reason})`).join(', ')}.`,
    evidence: programsEvidence(df, stage, programs),
  };
}

function programsEvidence(df: DockerfileModel, stage: Stage, programs: ProgramJudgement[]): string {
  const facts = baseFacts(df, stage);
  const busybox = isBusyboxBase(facts);
  for (const tool of ['curl', 'wget', 'nc']) {
    const p = programs.find((x) => x.tool === tool);
    if (!p) continue;
    const reason = p.presence.reason;
    if (/ ships `/.test(reason)) {
      return busybox && tool !== 'curl' ? `\`${tool}\` (busybox)` : `\`${tool}\` (in the base image)`;
    }
    return `\`${tool}\` ${reason}`;
  }
  return 'no curl needed';
}

function isBusyboxBase(facts: BaseImageFacts | null | 'unresolved'): boolean {
  return !!facts && facts !== 'unresolved' && facts.tools.busybox === true;
}

function suggestion(df: DockerfileModel, stage: Stage, missing: ProgramJudgement, isShell: boolean): string {
  if (isShell) {
    return 'Use the exec form with a program the image has, e.g. `HEALTHCHECK CMD ["/app/healthcheck"]`.';
  }
  if (['curl', 'wget', 'nc', 'bash'].includes(missing.tool)) {
    if (programPresence(df, stage, 'python').present === true) {
      return 'Probe with Python instead (`python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/health\')"`) or install the program in the final stage.';
    }
    if (programPresence(df, stage, 'node').present === true) {
      return 'Probe with Node.js instead (`node -e "fetch(\'http://localhost:3000/health\').then(r => process.exit(r.ok ? 0 : 1))"`) or install the program in the final stage.';
    }
    if (missing.tool !== 'wget' && programPresence(df, stage, 'wget').present === true) {
      return 'Use the `wget -q --spider` the image has, or install the program in the final stage.';
    }
  }
  return `Install \`${missing.tool}\` in the final stage or COPY the program in.`;
}

const MAX_TEXT = 60;

function short(text: string): string {
  const t = text
    .replace(/\s*\\\r?\n\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t;
}

/** The main command of a probe: the first program that is not a builtin (after unwrapping `exec` and the like). */
function mainCommand(probe: Probe): { name: string; args: string[]; text: string } | null {
  if (probe.form === 'exec' && probe.argv && probe.argv.length) {
    const argv = probe.argv;
    if (!(probe.script && SHELLS.has(baseName(argv[0])))) {
      return { name: baseName(argv[0]), args: argv.slice(1), text: argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ') };
    }
  }
  for (const c of probe.script?.commands ?? []) {
    if (!c.name || c.inSubstitution) continue;
    const inner = innerPrograms(c);
    const p = inner.find((x) => !CORE_UTILS.has(baseName(x.name))) ?? inner[0];
    if (!p) continue;
    if (p.name === c.name) return { name: baseName(c.name), args: c.args.map((a) => a.value), text: c.text };
    const i = c.args.findIndex((a) => a.range === p.range);
    return {
      name: baseName(p.name),
      args: c.args.slice(i + 1).map((a) => a.value),
      text: c.args
        .slice(i)
        .map((a) => a.raw)
        .join(' '),
    };
  }
  return null;
}

/**
 * The probe in words, for report evidence: "Python urllib (no curl needed)", "Node.js HTTP module",
 * "`nginx -t` config test", "`curl -f http://localhost:8000/health`", "busybox `wget`", ...
 * With the image (`df`, `stage`), `wget` from a busybox base is called busybox `wget`.
 */
export function describeProbe(probe: Probe, df?: DockerfileModel, stage?: Stage): string {
  // Evidence is printed: mask secret-looking arguments (`-pS3cret`, `--password=x`, URL credentials).
  return maskCommandSecrets(describeUnmasked(probe, df, stage));
}

function describeUnmasked(probe: Probe, df?: DockerfileModel, stage?: Stage): string {
  const m = mainCommand(probe);
  if (!m) return `\`${short(probe.script?.text ?? (probe.argv ?? []).join(' '))}\``;
  const tool = toolName(m.name);
  const argAfter = (...flags: string[]) => {
    const i = m.args.findIndex((a) => flags.includes(a));
    return i >= 0 ? (m.args[i + 1] ?? '') : null;
  };
  if (tool === 'python') {
    const code = argAfter('-c');
    if (code !== null) {
      if (/urllib/.test(code)) return 'Python urllib (no curl needed)';
      if (/\brequests\b/.test(code)) return 'Python requests (no curl needed)';
      if (/http\.client/.test(code)) return 'Python http.client (no curl needed)';
      if (/\bhttpx\b/.test(code)) return 'Python httpx (no curl needed)';
      if (/\bsocket\b/.test(code)) return 'Python socket check (no curl needed)';
      if (/^\s*(import|from)\s/.test(code)) return 'Python import verification';
      return 'Python one-liner (no curl needed)';
    }
    const mod = argAfter('-m');
    if (mod) {
      // `python -m celery -A tasks inspect ping` asks the worker itself: say so.
      const i = m.args.indexOf('inspect');
      if (mod === 'celery' && i >= 0 && m.args[i + 1] === 'ping') return '`celery inspect ping` (no curl needed)';
      return `Python module \`${mod}\` (no curl needed)`;
    }
    const file = m.args.find((a) => !a.startsWith('-'));
    return file ? `Python script \`${baseName(file)}\` (no curl needed)` : 'Python (no curl needed)';
  }
  if (tool === 'node') {
    const code = argAfter('-e', '--eval', '-p', '--print');
    if (code !== null) {
      if (/\bfetch\s*\(/.test(code)) return 'Node.js fetch (no curl needed)';
      if (/\bnet\b/.test(code) && !/\bhttps?\b/.test(code)) return 'Node.js socket check (no curl needed)';
      return 'Node.js HTTP module';
    }
    const file = m.args.find((a) => !a.startsWith('-'));
    return file ? `Node.js script \`${baseName(file)}\`` : 'Node.js';
  }
  if (tool === 'nginx' && m.args.includes('-t')) return '`nginx -t` config test';
  if (tool === 'wget' && df && stage) {
    const p = programPresence(df, stage, 'wget');
    if (p.present === true && / ships `/.test(p.reason) && isBusyboxBase(baseFacts(df, stage))) return 'busybox `wget`';
  }
  if (tool === 'nc' && m.args.some((a) => /^-[a-y]*z/.test(a))) return '`nc -z` port check';
  return `\`${short(m.text)}\``;
}
