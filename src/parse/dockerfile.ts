/**
 * Builds the Dockerfile model (src/model/dockerfile.ts) from text, once. Uses the Dockerfile syntax
 * (./dockerfile-syntax.ts: instructions, arguments and ranges as dockerfile-ast gives them), and the
 * shell parser for RUN bodies, shell-form CMD/ENTRYPOINT and HEALTHCHECK commands. Requires
 * `await initShell()` beforehand.
 */
import type {
  CopyInstr,
  DockerfileModel,
  ExecSpec,
  Flag,
  FromRef,
  HealthcheckInstr,
  Instr,
  Range,
  Resolved,
  RunInstr,
  Stage,
  UserInstr,
  VarDecl,
  VarValue,
  Word,
} from '../model/dockerfile.js';
import type { ShellCommand, ShellScript, ShellWord } from '../model/shell.js';
import { lineStarts } from './lines.js';
import { type FromSyntax, type InstructionSyntax, parseDockerfileSyntax } from './dockerfile-syntax.js';
import { baseName, parseShell } from './shell.js';
import { substitute } from './substitute.js';
import { parseImageRef } from './image-ref.js';

const KNOWN = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** The 0-based start position of a range. */
export function startOf(r: Range): { line: number; character: number } {
  return { line: r.line - 1, character: r.column - 1 };
}

/** Offsets of each line start, to slice the document by position. */
export function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}

/**
 * Text of an instruction from a position to its end, continuation lines made shell-friendly: what
 * the shell parser is given (also by the parse floor, bench/parse-floor.mjs).
 */
export function instructionSlicer(text: string, offsets: number[], escapeChar: string): Slicer {
  const off = (p: { line: number; character: number }) => (offsets[p.line] ?? text.length) + p.character;
  return (start, ins) => {
    const end = { line: ins.range.endLine - 1, character: ins.range.endColumn - 1 };
    let s = text.slice(off(start), off(end));
    if (escapeChar === '`') s = s.replace(/`(\r?\n)/g, '\\$1');
    // Docker drops comment and empty lines inside continued instructions; bash would end the
    // command there. Blank them to spaces + a continuation, keeping every position.
    const parts = s.split('\n');
    for (let i = 1; i < parts.length; i++) {
      const prev = parts[i - 1].replace(/\r$/, '');
      if (!prev.endsWith('\\')) continue;
      const t = parts[i].trim();
      if (t === '' || t.startsWith('#')) {
        const len = parts[i].replace(/\r$/, '').length;
        parts[i] = `${' '.repeat(Math.max(0, len - 1))}\\`;
      }
    }
    return parts.join('\n');
  };
}

/**
 * `RUN <<EOF … EOF` (`text` from the heredoc marker on): the heredoc's body and the interpreter its
 * shebang names (`sh` without one); null when `text` does not start a heredoc.
 */
export function heredocScript(text: string): { body: string; shebang: string[] | null; interpreter: string } | null {
  const firstLineEnd = text.indexOf('\n');
  const firstLine = (firstLineEnd < 0 ? text : text.slice(0, firstLineEnd)).trim();
  const hd = HEREDOC_START.exec(firstLine);
  if (!hd || firstLineEnd < 0) return null;
  const lines = text.slice(firstLineEnd + 1).split('\n');
  const endIdx = lines.findIndex((l) => (hd[1] ? l.trim() : l.replace(/\r$/, '')) === hd[3]);
  const body = (endIdx >= 0 ? lines.slice(0, endIdx) : lines).join('\n');
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body);
  const interpreter = m ? (m[1].endsWith('/env') ? (m[2] ?? '') : m[1]) : 'sh';
  return { body, shebang: m ? (m[1].endsWith('/env') ? [m[2] ?? ''] : [m[1]]) : null, interpreter };
}

/** Whether a heredoc's interpreter is a POSIX-like shell (its body is parsed as shell). */
export function isShellInterpreter(interpreter: string): boolean {
  return /(^|\/)(sh|bash|ash|dash|zsh)$/.test(interpreter);
}

/**
 * A Dockerfile's skeleton: its stages with their FROMs (resolved with the global ARGs, as the full
 * parse resolves them), its global ARGs, instructions, comments and problems, and nothing of what the
 * instructions of a stage do (no RUN, COPY, USER, … models, no stage variables, no shell parsed). For
 * what needs only that (the CI facts of a repository checked in parts), at a fraction of the cost.
 */
export function parseDockerfileSkeleton(path: string, text: string): DockerfileModel {
  return parseDockerfile(path, text, true);
}

/** `skeleton`: the instructions of a stage are listed but not modelled (parseDockerfileSkeleton). */
export function parseDockerfile(path: string, text: string, skeleton = false): DockerfileModel {
  const syntax = parseDockerfileSyntax(text);
  const offsets = lineOffsets(text);
  const lines = text.split(/\r?\n/);
  const escapeChar = syntax.escapeChar;

  const model: DockerfileModel = {
    path,
    text,
    lines,
    directives: syntax.directives.map((d) => ({ name: d.name.toLowerCase(), value: d.value, range: d.range })),
    comments: syntax.comments.map((c) => ({ text: c.content, range: c.range })),
    globalArgs: [],
    declarations: [],
    instructions: [],
    stages: [],
    problems: [],
  };

  const sliceFrom = instructionSlicer(text, offsets, escapeChar);

  let stage: Stage | null = null;
  const globals = new Map<string, VarValue>();

  for (const ins of syntax.instructions) {
    const keyword = ins.keyword;
    const flags: Flag[] = ins.flags.map((f) => ({ name: f.name.toLowerCase(), value: f.value, range: f.range }));
    const instr: Instr = {
      keyword,
      range: ins.range,
      keywordRange: ins.keywordRange,
      argsText: ins.argsText ?? '',
      flags,
      args: ins.args,
      stage: stage ? stage.index : -1,
    };

    if (!KNOWN.has(keyword)) {
      model.problems.push({ message: `unknown instruction \`${keyword}\``, range: instr.keywordRange });
    }

    if (keyword === 'FROM') {
      stage = newStage(model, ins.from as FromSyntax, instr, globals);
      model.instructions.push(instr);
      continue;
    }
    model.instructions.push(instr);

    if (!stage) {
      if (keyword === 'ARG') {
        declare(model, ins, instr, 'ARG', globals);
        for (const v of argDecls(ins, globals, 'global-arg')) {
          globals.set(v.name, v);
          model.globalArgs.push(v);
        }
      } else if (KNOWN.has(keyword)) {
        model.problems.push({ message: `\`${keyword}\` before the first FROM`, range: instr.keywordRange });
      }
      continue;
    }

    stage.instructions.push(instr);
    if (skeleton) continue;
    const vars = stage.vars;
    switch (keyword) {
      case 'ARG':
        declare(model, ins, instr, 'ARG', vars);
        for (const v of argDecls(ins, vars, 'arg')) {
          // `ARG X` inside a stage re-imports the global default.
          const g = globals.get(v.name);
          if (v.value === null && g && !ins.property?.value) vars.set(v.name, { ...v, value: g.value });
          else vars.set(v.name, v);
        }
        break;
      case 'ENV':
        declare(model, ins, instr, 'ENV', vars);
        for (const p of ins.properties) {
          const name = p.name;
          const rawValue = p.value ?? '';
          const r = substitute(rawValue, vars);
          vars.set(name, { name, value: r.value, source: 'env', range: p.range });
        }
        break;
      case 'USER': {
        const raw = ins.argsContent ?? '';
        const resolved = substitute(raw.trim(), vars);
        let user: string | null = null;
        let group: string | null = null;
        if (resolved.value !== null) {
          const [u, g] = resolved.value.split(':');
          user = u || null;
          group = g ?? null;
        }
        const ui: UserInstr = { instr, raw: raw.trim(), resolved, user, group };
        stage.users.push(ui);
        break;
      }
      case 'RUN':
        stage.runs.push(runInstr(ins, instr, sliceFrom, vars, stage));
        break;
      case 'CMD':
      case 'ENTRYPOINT': {
        const spec = execSpec(ins, instr, sliceFrom);
        if (spec) (keyword === 'CMD' ? stage.cmds : stage.entrypoints).push(spec);
        break;
      }
      case 'HEALTHCHECK':
        stage.healthchecks.push(healthcheck(ins, instr, sliceFrom, flags));
        break;
      case 'COPY':
      case 'ADD':
        stage.copies.push(copyInstr(model, keyword, ins, instr, flags, stage));
        break;
      case 'EXPOSE':
        for (const a of instr.args) {
          const r = substitute(a.value, vars);
          stage.exposes.push({ value: r.value ?? a.value, range: a.range });
        }
        break;
      case 'SHELL': {
        const argv = jsonArgv(instr.argsText);
        if (argv) stage.shell = argv;
        break;
      }
      case 'WORKDIR': {
        const r = substitute((ins.argsContent ?? '').trim(), vars);
        const wd = r.value;
        if (wd === null) stage.workdir = null;
        else stage.workdir = wd.startsWith('/') || !stage.workdir ? wd : `${stage.workdir.replace(/\/$/, '')}/${wd}`;
        break;
      }
    }
  }

  if (model.stages.length === 0 && model.problems.length === 0) {
    model.problems.push({ message: 'no FROM instruction', range: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
  }
  return model;
}

/**
 * Records each ARG/ENV property as written (before the instruction updates `vars`): every property of
 * the instruction, for ARG too (`ARG A=1 B=2` declares both, though only a one-argument ARG sets a variable).
 */
function declare(model: DockerfileModel, ins: InstructionSyntax, instr: Instr, keyword: 'ARG' | 'ENV', vars: Map<string, VarValue>): void {
  for (const p of ins.properties) {
    const raw = p.value;
    const decl: VarDecl = {
      name: p.name,
      keyword,
      raw,
      value: raw === null ? null : substitute(raw, vars).value,
      stage: instr.stage,
      range: p.range,
      nameRange: p.nameRange,
      valueRange: p.valueRange,
      instr,
    };
    model.declarations.push(decl);
  }
}

function argDecls(ins: InstructionSyntax, vars: Map<string, VarValue>, source: VarValue['source']): VarValue[] {
  const p = ins.property;
  if (!p) return [];
  const raw = p.value;
  const value = raw === null ? null : substitute(raw, vars).value;
  return [{ name: p.name, value, source, range: p.range }];
}

function newStage(model: DockerfileModel, from: FromSyntax, instr: Instr, globals: Map<string, VarValue>): Stage {
  const index = model.stages.length;
  const image = from.image ?? '';
  const imageRange = from.imageRange;
  const resolved = substitute(image, globals);
  const nameArg = from.buildStage;
  const platform = from.platform;
  const lower = resolved.value?.toLowerCase() ?? null;
  let stageRef: number | null = null;
  if (lower) {
    const s = model.stages.find((st) => st.name === lower);
    if (s) stageRef = s.index;
  }
  const ref = lower && stageRef === null ? parseImageRef(resolved.value as string) : null;
  const fromRef: FromRef = {
    raw: image,
    resolved: resolved.value,
    unresolved: resolved.unresolved,
    name: ref?.name ?? null,
    tag: ref?.tag ?? null,
    digest: ref?.digest ?? null,
    platform,
    stageRef,
    scratch: lower === 'scratch',
    imageRange: imageRange ?? instr.range,
    instr,
  };
  const parent = stageRef !== null ? model.stages[stageRef] : null;
  const vars = new Map<string, VarValue>();
  if (parent) {
    // ENV is inherited from the parent stage; ARGs are not.
    for (const [k, v] of parent.vars) if (v.source === 'env') vars.set(k, v);
  }
  const stage: Stage = {
    index,
    name: nameArg ? nameArg.toLowerCase() : null,
    from: fromRef,
    parent: stageRef,
    instructions: [],
    vars,
    users: [],
    healthchecks: [],
    entrypoints: [],
    cmds: [],
    copies: [],
    runs: [],
    exposes: [],
    shell: parent?.shell ?? null,
    workdir: parent?.workdir ?? null,
    createdUsers: new Map(),
  };
  instr.stage = index;
  model.stages.push(stage);
  return stage;
}

/** JSON exec form: an array of strings, else null. */
export function jsonArgv(text: string): string[] | null {
  const t = text.replace(/\\\r?\n/g, ' ').trim();
  if (!t.startsWith('[')) return null;
  try {
    const v = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  } catch {
    /* shell form */
  }
  return null;
}

export type Slicer = (start: { line: number; character: number }, ins: InstructionSyntax) => string;

function execSpec(ins: InstructionSyntax, instr: Instr, sliceFrom: Slicer): ExecSpec | null {
  if (ins.args.length === 0) {
    return { instr, form: 'shell', argv: [], argvRanges: [], script: null, text: '' };
  }
  const start = startOf(ins.args[0].range);
  const text = sliceFrom(start, ins);
  return execSpecFromText(instr, text, start, ins);
}

function execSpecFromText(instr: Instr, text: string, start: { line: number; character: number }, ins: InstructionSyntax): ExecSpec {
  const argv = jsonArgv(text);
  if (argv) {
    return { instr, form: 'exec', argv, argvRanges: ins.jsonStrings, script: null, text: text.trim() };
  }
  const script = parseShell(text, { line: start.line + 1, column: start.character + 1 });
  return { instr, form: 'shell', argv: [], argvRanges: [], script, text: text.trim() };
}

function healthcheck(ins: InstructionSyntax, instr: Instr, sliceFrom: Slicer, flags: Flag[]): HealthcheckInstr {
  const options: Record<string, string> = {};
  for (const f of flags) if (f.value !== null) options[f.name] = f.value;
  const args = ins.args;
  const sub = args[0]?.value.toUpperCase();
  if (sub === 'NONE') return { instr, none: true, cmd: null, options };
  if (sub === 'CMD' && args.length > 1) {
    const start = startOf(args[1].range);
    const text = sliceFrom(start, ins);
    const argv = jsonArgv(text);
    const argvRanges = argv ? jsonStringRanges(text, start) : [];
    const cmd: ExecSpec = argv
      ? {
          instr,
          form: 'exec',
          argv,
          argvRanges,
          script: shellCArgv(argv, argvRanges),
          text: text.trim(),
        }
      : {
          instr,
          form: 'shell',
          argv: [],
          argvRanges: [],
          script: parseShell(text, { line: start.line + 1, column: start.character + 1 }),
          text: text.trim(),
        };
    return { instr, none: false, cmd, options };
  }
  return { instr, none: false, cmd: null, options };
}

/** Ranges of the JSON string tokens (quotes included) of `text`, which starts at `start` in the file. */
function jsonStringRanges(text: string, start: { line: number; character: number }): Range[] {
  const out: Range[] = [];
  let line = start.line + 1;
  let col = start.character + 1;
  let open: { line: number; column: number } | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (open === null) {
      if (ch === '"') open = { line, column: col };
    } else if (ch === '\\' && text[i + 1] !== undefined && text[i + 1] !== '\n' && text[i + 1] !== '\r') {
      // An escape inside the string: skip the escaped character.
      i++;
      col += 2;
      continue;
    } else if (ch === '"') {
      out.push({ line: open.line, column: open.column, endLine: line, endColumn: col + 1 });
      open = null;
    }
    if (ch === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return out;
}

const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', 'ash', '/bin/ash', 'dash', '/usr/bin/sh', '/usr/bin/bash']);

/** Whether an exec form is `["sh", "-c", "script", …]` (a HEALTHCHECK's `CMD`). */
export function isShellC(argv: string[]): boolean {
  return argv.length >= 3 && SHELLS.has(argv[0]) && argv[1] === '-c';
}

/** The parsed script of an exec form `["sh", "-c", "script"]`, else null. */
function shellCArgv(argv: string[], ranges: Range[]): ShellScript | null {
  if (!isShellC(argv)) return null;
  const r = ranges[2];
  return parseShell(argv[2], r ? { line: r.line, column: r.column + 1 } : undefined);
}

const HEREDOC_START = /^<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2\s*$/;

function runInstr(ins: InstructionSyntax, instr: Instr, sliceFrom: Slicer, vars: Map<string, VarValue>, stage: Stage): RunInstr {
  const mounts: Record<string, string>[] = [];
  for (const f of instr.flags) {
    if (f.name === 'mount' && f.value) {
      const m: Record<string, string> = {};
      for (const kv of f.value.split(',')) {
        const i = kv.indexOf('=');
        if (i < 0) m[kv] = 'true';
        else m[kv.slice(0, i)] = kv.slice(i + 1);
      }
      mounts.push(m);
    }
  }
  const args = ins.args;
  const run: RunInstr = { instr, execForm: false, script: null, mounts, heredoc: false, shell: stage.shell ?? ['/bin/sh', '-c'] };
  if (args.length === 0) return run;
  const start = startOf(args[0].range);
  const text = sliceFrom(start, ins);
  const argv = jsonArgv(text);
  if (argv) {
    run.execForm = true;
    const ranges = ins.jsonStrings;
    const s = execShellScriptIndex(argv);
    if (s !== null && ranges[s]) {
      run.shell = argv.slice(0, s);
      run.script = parseShell(argv[s], { line: ranges[s].line, column: ranges[s].column + 1 });
    } else {
      run.shell = [];
      run.script = execFormScript(argv, ranges, instr, text);
    }
  } else {
    const hd = heredocScript(text);
    if (hd) {
      // RUN <<EOF ... EOF: the body is the script (unless it names another interpreter).
      run.heredoc = true;
      if (hd.shebang) run.shell = hd.shebang;
      if (isShellInterpreter(hd.interpreter)) run.script = parseShell(hd.body, { line: start.line + 2, column: 1 });
    } else {
      run.script = parseShell(text, { line: start.line + 1, column: start.character + 1 });
    }
  }
  if (run.script) {
    attachShellC(run.script, 0);
    collectCreatedUsers(run.script, vars, stage);
  }
  return run;
}

/**
 * Parses the literal script of each `sh -c 'script'` in a RUN script (`sudo bash -ec "..."`, `xargs sh
 * -c '...'`, nested ones too) into `ShellWord.script`, so the rules that follow commands see the ones it
 * runs. Any word naming a shell is tried; whether it runs is for the rules to say (after unwrapping).
 * A dynamic script (`sh -c "$CMD"`, `sh -c "$(curl ...)"`) is not: its text is not what runs.
 */
function attachShellC(script: ShellScript, depth: number): void {
  if (depth > 3) return;
  for (const c of script.commands) {
    // The command's words are its name and its arguments: the array is made only for a command that names a shell.
    const first = c.nameWord ? -1 : 0;
    for (let j = first; j < c.args.length; j++) {
      const w = j < 0 ? (c.nameWord as ShellWord) : c.args[j];
      // Every shell's name ends in `sh`: most words are ruled out before taking their base name.
      if (w.dynamic || !w.value.endsWith('sh') || !EXEC_SHELLS.has(baseName(w.value))) continue;
      const words = c.nameWord ? [c.nameWord, ...c.args] : c.args;
      const k = j - first;
      const s = execShellScriptIndex(words.slice(k).map((x) => x.value));
      const sw = s === null ? undefined : words[k + s];
      if (sw && !sw.dynamic && sw.script === undefined) {
        sw.script = nestedScript(sw);
        attachShellC(sw.script, depth + 1);
      }
      break;
    }
  }
}

/**
 * The script a word holds, parsed, its ranges placed in the file: each character of the script is
 * traced back to its place in the word as written (quotes and backslash escapes taken off as the
 * shell does). When that tracing does not give back the word's value, every range is the word's own.
 */
function nestedScript(w: ShellWord): ShellScript {
  const script = parseShell(w.value);
  const at = unquotedOffsets(w.raw);
  let place: (r: Range) => Range;
  if (at && at.value === w.value) {
    const starts = lineStarts(w.value);
    const offset = (line: number, column: number) => (starts[line - 1] ?? w.value.length) + column - 1;
    const inFile = (k: number) => {
      const nl = w.raw.lastIndexOf('\n', k - 1);
      if (nl < 0) return { line: w.range.line, column: w.range.column + k };
      let line = w.range.line;
      for (let i = w.raw.indexOf('\n'); i >= 0 && i < k; i = w.raw.indexOf('\n', i + 1)) line++;
      return { line, column: k - nl };
    };
    place = (r) => {
      const s = offset(r.line, r.column);
      const e = offset(r.endLine, r.endColumn);
      const a = inFile(s < w.value.length ? at.at[s] : w.raw.length);
      const b = inFile(e > 0 ? at.at[e - 1] + 1 : (at.at[0] ?? 0));
      return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
    };
  } else place = () => ({ ...w.range });
  placeRanges(script, place, new Set());
  return script;
}

/** A word's value with quotes and escapes taken off, and where each of its characters is in the word; null for `$'...'`. */
function unquotedOffsets(raw: string): { value: string; at: number[] } | null {
  let value = '';
  const at: number[] = [];
  const take = (i: number) => {
    value += raw[i];
    at.push(i);
  };
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch === "'") {
      const j = raw.indexOf("'", i + 1);
      if (j < 0) return null;
      for (let k = i + 1; k < j; k++) take(k);
      i = j + 1;
    } else if (ch === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        // A backslash-newline stays in the value (src/parse/shell.ts keeps it; the script's parse reads it as a continuation).
        if (raw[i] === '\\' && i + 1 < raw.length && '$`"\\'.includes(raw[i + 1])) {
          take(i + 1);
          i += 2;
        } else take(i++);
      }
      if (i >= raw.length) return null;
      i++;
    } else if (ch === '\\' && i + 1 < raw.length) {
      if (raw[i + 1] !== '\n') take(i + 1);
      i += 2;
    } else if (ch === '$' && (raw[i + 1] === "'" || raw[i + 1] === '"')) return null;
    else take(i++);
  }
  return { value, at };
}

/** Replaces every range in a freshly parsed script (each object once). */
function placeRanges(o: unknown, place: (r: Range) => Range, seen: Set<object>): void {
  if (typeof o !== 'object' || o === null || seen.has(o)) return;
  seen.add(o);
  if (Array.isArray(o)) {
    for (const x of o) placeRanges(x, place, seen);
    return;
  }
  const r = o as Record<string, unknown>;
  if (typeof r.line === 'number' && typeof r.column === 'number' && typeof r.endLine === 'number' && typeof r.endColumn === 'number') {
    Object.assign(r, place(r as unknown as Range));
    return;
  }
  for (const k of Object.keys(r)) placeRanges(r[k], place, seen);
}

/** Shells whose `-c` takes a script (exec forms, `sh -c '...'` in a RUN). */
export const EXEC_SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

/**
 * Exec form `["/bin/bash", "-o", "pipefail", "-c", "script"]`: the index of the script string, or null
 * when argv is not a POSIX shell given `-c` (options such as `-e`, `-o pipefail`, `-ec` may come first).
 */
export function execShellScriptIndex(argv: string[]): number | null {
  if (!EXEC_SHELLS.has(argv[0]?.replace(/^.*\//, '') ?? '')) return null;
  let c = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-o' || a === '+o' || a === '-O' || a === '+O') {
      i++;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(a)) {
      if (a[0] === '-' && a.includes('c')) c = true;
      continue;
    }
    return c ? i : null;
  }
  return null;
}

/** A one-command script for an exec-form RUN that is not `sh -c`. */
function execFormScript(argv: string[], ranges: Range[], instr: Instr, text: string): ShellScript {
  const word = (v: string, i: number) => ({ value: v, raw: JSON.stringify(v), range: ranges[i] ?? instr.range, dynamic: false });
  const cmd: ShellCommand = {
    name: argv[0] ?? '',
    nameWord: argv.length ? word(argv[0], 0) : null,
    args: argv.slice(1).map((a, i) => word(a, i + 1)),
    assignments: [],
    range: instr.range,
    text,
    pipeline: null,
    pipelineIndex: 0,
    inSubstitution: false,
    nested: false,
    subshell: null,
    redirects: [],
  };
  return { commands: argv.length ? [cmd] : [], pipelines: [], assignments: [], hasErrors: false, errorRange: null, text };
}

// Options of useradd/adduser (shadow, Debian adduser, busybox) that take a value.
const USER_OPTS_WITH_VALUE = new Set([
  '-u',
  '--uid',
  '-g',
  '--gid',
  '-G',
  '--groups',
  '-d',
  '--home',
  '--home-dir',
  '-s',
  '--shell',
  '-c',
  '--comment',
  '--gecos',
  '-k',
  '--skel',
  '-K',
  '--key',
  '-e',
  '--expiredate',
  '-f',
  '--inactive',
  '-p',
  '--password',
  '-b',
  '--base-dir',
  '--ingroup',
  '-h',
  '--firstuid',
  '--lastuid',
  '-Z',
  '--selinux-user',
  '-R',
  '--root',
  '-P',
  '--prefix',
  '--add-extra-groups',
  '--comment',
]);

function collectCreatedUsers(script: ShellScript, vars: Map<string, VarValue>, stage: Stage): void {
  for (const c of script.commands) {
    const n = c.name.replace(/^.*\//, '');
    if (n !== 'useradd' && n !== 'adduser') continue;
    let uid: string | null = null;
    const positional: string[] = [];
    for (let i = 0; i < c.args.length; i++) {
      const a = c.args[i].value;
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) {
        if (a.slice(0, eq) === '--uid') uid = a.slice(eq + 1);
        continue;
      }
      if (USER_OPTS_WITH_VALUE.has(a)) {
        if (a === '-u' || a === '--uid') uid = c.args[i + 1]?.value ?? null;
        i++;
        continue;
      }
      if (/^-u\d+$/.test(a)) {
        uid = a.slice(2);
        continue;
      }
      // Combined short options (`-ms /bin/bash`, `-rmu 1001`, `-Du 1001`): the last one may take the next word.
      if (/^-[A-Za-z]{2,}$/.test(a) && USER_OPTS_WITH_VALUE.has(`-${a[a.length - 1]}`)) {
        if (a.endsWith('u')) uid = c.args[i + 1]?.value ?? null;
        i++;
        continue;
      }
      if (a.startsWith('-')) continue;
      positional.push(a);
    }
    // `adduser user group` adds an existing user to a group: not a creation.
    if (positional.length !== 1) continue;
    const name = substitute(positional[0], vars).value;
    if (!name) continue;
    let uidNum: number | null = null;
    if (uid !== null) {
      const r = substitute(uid, vars).value;
      if (r !== null && /^\d+$/.test(r)) uidNum = Number(r);
    }
    stage.createdUsers.set(name, { uid: uidNum, range: c.range });
  }
}

function copyInstr(
  model: DockerfileModel,
  keyword: 'COPY' | 'ADD',
  ins: InstructionSyntax,
  instr: Instr,
  flags: Flag[],
  stage: Stage,
): CopyInstr {
  const flag = (n: string) => flags.find((f) => f.name === n)?.value ?? null;
  const from = flag('from');
  let fromStage: number | null = null;
  if (from !== null) {
    const lower = substitute(from, stage.vars).value?.toLowerCase() ?? from.toLowerCase();
    if (/^\d+$/.test(lower)) {
      const i = Number(lower);
      if (i < stage.index) fromStage = i;
    } else {
      const s = model.stages.find((st) => st.name === lower && st.index < stage.index);
      if (s) fromStage = s.index;
    }
  }
  let words: Word[] = instr.args;
  const argv = jsonArgv(instr.argsText);
  if (argv) {
    const ranges = ins.jsonStrings;
    words = argv.map((v, i) => ({ value: v, range: ranges[i] ?? instr.range }));
  }
  const heredoc = words.some((w) => w.value.startsWith('<<'));
  const sources = heredoc ? [] : words.slice(0, -1);
  return {
    instr,
    keyword,
    sources,
    dest: words.length > 1 || heredoc ? words[words.length - 1] : null,
    from,
    fromStage,
    chown: flag('chown'),
    chmod: flag('chmod'),
    checksum: flag('checksum'),
    heredoc,
  };
}

export type { Resolved };
