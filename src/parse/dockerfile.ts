/**
 * Builds the Dockerfile model (src/model/dockerfile.ts) from text, once. Uses dockerfile-ast for
 * instructions and ranges, and the shell parser for RUN bodies, shell-form CMD/ENTRYPOINT and
 * HEALTHCHECK commands. Requires `await initShell()` beforehand.
 */
import {
  type Arg,
  Argument,
  type Argument as AstArgument,
  DockerfileParser,
  type Env,
  type Flag as AstFlag,
  type From,
  Instruction,
  type ModifiableInstruction,
} from 'dockerfile-ast';
import type { Position as LspPosition, Range as LspRange } from 'vscode-languageserver-types';
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
import type { ShellCommand, ShellScript } from '../model/shell.js';
import { parseShell } from './shell.js';
import { substitute } from './substitute.js';
import { parseImageRef } from './image-ref.js';

// dockerfile-ast recomputes an instruction's arguments from its text on every call of
// `getRawArguments()`, and its own getters call it again and again: constructing a RUN/CMD/COPY…
// (JSONInstruction) calls it 4 times, the parser once more for heredocs, `getFlags`, `getArguments`,
// `getArgumentsRange`, `getRawArgumentsContent` once each. An instruction's document, ranges and
// escape character are fixed when it is constructed, so the result never changes: it is computed once
// per instruction, by `rawArguments` below. Callers get a fresh array each time
// (ModifiableInstruction.getArguments shifts the flags off the array it gets); the Argument objects
// are immutable and shared.
const RAW_ARGS = Symbol('seaworthy.rawArguments');

/** The parts of a dockerfile-ast Instruction that `getRawArguments` reads (private in its typings). */
interface AstInstruction {
  document: { getText(): string; offsetAt(p: LspPosition): number; positionAt(offset: number): LspPosition };
  escapeChar: string;
  getInstructionRange(): LspRange;
  getTextContent(): string;
  getRawArguments(): AstArgument[];
  [RAW_ARGS]?: AstArgument[];
}

const astGetRawArguments = (Instruction.prototype as unknown as AstInstruction).getRawArguments;
(Instruction.prototype as unknown as AstInstruction).getRawArguments = function (this: AstInstruction): AstArgument[] {
  let args = this[RAW_ARGS];
  if (args === undefined) {
    args = rawArguments(this);
    this[RAW_ARGS] = args;
  }
  return args.slice();
};

/**
 * dockerfile-ast 0.7.1's `Instruction.getRawArguments`, the same state machine step for step, without
 * its cost: it appended each argument's characters one at a time (`escapedArg + char`) and called
 * `Util.isWhitespace` per character. Here an argument's
 * value is taken as slices of the text (every character it appends is a character of the text, and
 * runs of consecutive ones are joined), and characters are compared by code. Same values, same
 * ranges (test/model/dockerfile-args.test.ts compares both on the fixtures and random instructions).
 */
function rawArguments(ins: AstInstruction): AstArgument[] {
  const doc = ins.document;
  const args: AstArgument[] = [];
  const range = ins.getInstructionRange();
  const extra = doc.offsetAt(range.end) - doc.offsetAt(range.start);
  const content = ins.getTextContent();
  const fullArgs = content.substring(extra);
  const offset = doc.offsetAt(range.start) + extra;
  const esc = ins.escapeChar;
  const escCode = esc.length === 1 ? esc.charCodeAt(0) : -1;
  const n = fullArgs.length;
  let start = false;
  let comment = false;
  let found = -1;
  let escapedWhitespaceDetected = false;
  let escaping = false;
  let escapeMarker = -1;
  // The argument's value so far: `done` + fullArgs[segStart, segEnd).
  let done = '';
  let segStart = -1;
  let segEnd = -1;
  const append = (s: number, e: number) => {
    if (segStart !== -1 && segEnd === s) {
      segEnd = e;
      return;
    }
    if (segStart !== -1) done += fullArgs.slice(segStart, segEnd);
    segStart = s;
    segEnd = e;
  };
  const push = (from: number, to: number) => {
    const value = segStart === -1 ? done : done + fullArgs.slice(segStart, segEnd);
    args.push(new Argument(value, { start: doc.positionAt(offset + from), end: doc.positionAt(offset + to) }));
    done = '';
    segStart = -1;
  };
  for (let i = 0; i < n; i++) {
    const c = fullArgs.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10) {
      if (escaping) {
        escapedWhitespaceDetected = true;
        if (c === 13 || c === 10) {
          // reached a newline, any previously detected whitespace should be ignored
          escapedWhitespaceDetected = false;
          if (comment) {
            comment = false;
            start = true;
          }
        }
        continue;
      }
      if (found !== -1) {
        push(found, escapeMarker === -1 ? i : escapeMarker);
        escapeMarker = -1;
        found = -1;
      }
    } else if (c === escCode) {
      const next = i + 1 < n ? fullArgs.charCodeAt(i + 1) : -1;
      if (next === 32 || next === 9) {
        for (let j = i + 2; j < n; j++) {
          const d = fullArgs.charCodeAt(j);
          if (d === 32 || d === 9) continue;
          if (d === 13 || d === 10) {
            if (d === 13) j++; // as dockerfile-ast: a \r is taken as \r\n
            comment = false;
            escaping = true;
            start = true;
            if (found !== -1) escapeMarker = i;
            i = j;
            break;
          }
          escapeMarker = i;
          if (found === -1) i = j - 1;
          break;
        }
      } else if (next === 13) {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i += 2;
      } else if (next === 10) {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i++;
      } else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) {
          push(found, escapeMarker);
          found = -1;
        }
        escapeMarker = -1;
        escapedWhitespaceDetected = false;
        escaping = false;
        if (next === 36 /* $ */) append(i, i + 2);
        else if (next === -1) break;
        else append(i + 1, i + 2);
        if (found === -1) found = i;
        i++;
      }
    } else if (!comment) {
      if (start && c === 35 /* # */) {
        comment = true;
      } else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) {
          push(found, escapeMarker);
          found = -1;
        }
        escapedWhitespaceDetected = false;
        escaping = false;
        escapeMarker = -1;
        append(i, i + 1);
        if (found === -1) found = i;
      }
      // non-whitespace character detected, reset
      start = false;
    }
  }
  if (found !== -1) push(found, escapeMarker === -1 ? n : escapeMarker);
  return args;
}

/** For tests: whether `rawArguments` gives what dockerfile-ast's own `getRawArguments` gives, for every instruction of `text`. */
export function rawArgumentsAgree(text: string): boolean {
  const same = (a: AstArgument[], b: AstArgument[]) =>
    a.length === b.length && a.every((x, i) => x.getValue() === b[i].getValue() && JSON.stringify(x.getRange()) === JSON.stringify(b[i].getRange()));
  const check = (ins: Instruction): boolean => {
    const i = ins as unknown as AstInstruction;
    if (!same(rawArguments(i), astGetRawArguments.call(i))) return false;
    const trigger = 'getTriggerInstruction' in ins ? (ins as unknown as { getTriggerInstruction(): Instruction | null }).getTriggerInstruction() : null;
    return trigger ? check(trigger) : true;
  };
  return DockerfileParser.parse(text).getInstructions().every(check);
}

const KNOWN = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

export function toRange(r: LspRange): Range {
  return { line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** Offsets of each line start, to slice the document by position. */
function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}

export function parseDockerfile(path: string, text: string): DockerfileModel {
  const ast = DockerfileParser.parse(text);
  const offsets = lineOffsets(text);
  const lines = text.split(/\r?\n/);
  const escapeChar = ast.getEscapeCharacter();
  const off = (p: { line: number; character: number }) => (offsets[p.line] ?? text.length) + p.character;

  const model: DockerfileModel = {
    path,
    text,
    lines,
    directives: ast.getDirectives().map((d) => ({
      name: d.getDirective()?.toString() ?? d.getName().toLowerCase(),
      value: d.getValue(),
      range: toRange(d.getRange()),
    })),
    comments: ast.getComments().map((c) => ({ text: c.getContent(), range: toRange(c.getRange()) })),
    globalArgs: [],
    declarations: [],
    instructions: [],
    stages: [],
    problems: [],
  };

  /** Text of an instruction from a position to its end, continuation lines made shell-friendly. */
  const sliceFrom = (start: { line: number; character: number }, instr: Instruction): string => {
    const end = instr.getRange().end;
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

  let stage: Stage | null = null;
  const globals = new Map<string, VarValue>();

  for (const ins of ast.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    const flags: Flag[] =
      'getFlags' in ins
        ? (ins as ModifiableInstruction).getFlags().map((f: AstFlag) => ({
            name: f.getName().toLowerCase(),
            value: f.getValue(),
            range: toRange(f.getRange()),
          }))
        : [];
    const instr: Instr = {
      keyword,
      range: toRange(ins.getRange()),
      keywordRange: toRange(ins.getInstructionRange()),
      argsText: ins.getRawArgumentsContent() ?? '',
      flags,
      args: ins.getArguments().map((a) => ({ value: a.getValue(), range: toRange(a.getRange()) })),
      stage: stage ? stage.index : -1,
    };

    if (!KNOWN.has(keyword)) {
      model.problems.push({ message: `unknown instruction \`${ins.getKeyword()}\``, range: instr.keywordRange });
    }

    if (keyword === 'FROM') {
      stage = newStage(model, ins as From, instr, globals);
      model.instructions.push(instr);
      continue;
    }
    model.instructions.push(instr);

    if (!stage) {
      if (keyword === 'ARG') {
        declare(model, ins as Arg, instr, 'ARG', globals);
        for (const v of argDecls(ins as Arg, globals, 'global-arg')) {
          globals.set(v.name, v);
          model.globalArgs.push(v);
        }
      } else if (KNOWN.has(keyword)) {
        model.problems.push({ message: `\`${keyword}\` before the first FROM`, range: instr.keywordRange });
      }
      continue;
    }

    stage.instructions.push(instr);
    const vars = stage.vars;
    switch (keyword) {
      case 'ARG':
        declare(model, ins as Arg, instr, 'ARG', vars);
        for (const v of argDecls(ins as Arg, vars, 'arg')) {
          // `ARG X` inside a stage re-imports the global default.
          const g = globals.get(v.name);
          if (v.value === null && g && !(ins as Arg).getProperty()?.getValue()) vars.set(v.name, { ...v, value: g.value });
          else vars.set(v.name, v);
        }
        break;
      case 'ENV':
        declare(model, ins as Env, instr, 'ENV', vars);
        for (const p of (ins as Env).getProperties()) {
          const name = p.getName();
          const rawValue = p.getValue() ?? '';
          const r = substitute(rawValue, vars);
          vars.set(name, { name, value: r.value, source: 'env', range: toRange(p.getRange()) });
        }
        break;
      case 'USER': {
        const raw = ins.getArgumentsContent() ?? '';
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
        const r = substitute((ins.getArgumentsContent() ?? '').trim(), vars);
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

/** Records each ARG/ENV property as written (before the instruction updates `vars`). */
function declare(model: DockerfileModel, ins: Arg | Env, instr: Instr, keyword: 'ARG' | 'ENV', vars: Map<string, VarValue>): void {
  const props = ins instanceof Object && 'getProperties' in ins ? (ins as Env).getProperties() : [(ins as Arg).getProperty()];
  for (const p of props) {
    if (!p) continue;
    const raw = p.getValue();
    const valueRange = p.getValueRange();
    const decl: VarDecl = {
      name: p.getName(),
      keyword,
      raw,
      value: raw === null ? null : substitute(raw, vars).value,
      stage: instr.stage,
      range: toRange(p.getRange()),
      nameRange: toRange(p.getNameRange()),
      valueRange: valueRange ? toRange(valueRange) : null,
      instr,
    };
    model.declarations.push(decl);
  }
}

function argDecls(ins: Arg, vars: Map<string, VarValue>, source: VarValue['source']): VarValue[] {
  const p = ins.getProperty();
  if (!p) return [];
  const raw = p.getValue();
  const value = raw === null ? null : substitute(raw, vars).value;
  return [{ name: p.getName(), value, source, range: toRange(p.getRange()) }];
}

function newStage(model: DockerfileModel, from: From, instr: Instr, globals: Map<string, VarValue>): Stage {
  const index = model.stages.length;
  const image = from.getImage() ?? '';
  const imageRange = from.getImageRange();
  const resolved = substitute(image, globals);
  const nameArg = from.getBuildStage();
  const platform = from.getPlatformFlag()?.getValue() ?? null;
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
    imageRange: imageRange ? toRange(imageRange) : instr.range,
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

type Slicer = (start: { line: number; character: number }, instr: Instruction) => string;

function execSpec(ins: Instruction, instr: Instr, sliceFrom: Slicer): ExecSpec | null {
  const argsRange = ins.getArgumentsRange();
  if (!argsRange) {
    return { instr, form: 'shell', argv: [], argvRanges: [], script: null, text: '' };
  }
  const text = sliceFrom(argsRange.start, ins);
  return execSpecFromText(instr, text, argsRange.start, ins);
}

function execSpecFromText(
  instr: Instr,
  text: string,
  start: { line: number; character: number },
  ins: Instruction,
): ExecSpec {
  const argv = jsonArgv(text);
  if (argv) {
    const ranges: Range[] =
      'getJSONStrings' in ins
        ? (ins as unknown as { getJSONStrings(): { getRange(): LspRange }[] }).getJSONStrings().map((s) => toRange(s.getRange()))
        : [];
    return { instr, form: 'exec', argv, argvRanges: ranges, script: null, text: text.trim() };
  }
  const script = parseShell(text, { line: start.line + 1, column: start.character + 1 });
  return { instr, form: 'shell', argv: [], argvRanges: [], script, text: text.trim() };
}

function healthcheck(ins: Instruction, instr: Instr, sliceFrom: Slicer, flags: Flag[]): HealthcheckInstr {
  const options: Record<string, string> = {};
  for (const f of flags) if (f.value !== null) options[f.name] = f.value;
  const args = ins.getArguments();
  const sub = args[0]?.getValue().toUpperCase();
  if (sub === 'NONE') return { instr, none: true, cmd: null, options };
  if (sub === 'CMD' && args.length > 1) {
    const start = args[1].getRange().start;
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

/** The parsed script of an exec form `["sh", "-c", "script"]`, else null. */
function shellCArgv(argv: string[], ranges: Range[]): ShellScript | null {
  if (argv.length < 3 || !SHELLS.has(argv[0]) || argv[1] !== '-c') return null;
  const r = ranges[2];
  return parseShell(argv[2], r ? { line: r.line, column: r.column + 1 } : undefined);
}

const HEREDOC_START = /^<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2\s*$/;

function runInstr(ins: Instruction, instr: Instr, sliceFrom: Slicer, vars: Map<string, VarValue>, stage: Stage): RunInstr {
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
  const args = ins.getArguments();
  const run: RunInstr = { instr, execForm: false, script: null, mounts, heredoc: false, shell: stage.shell ?? ['/bin/sh', '-c'] };
  if (args.length === 0) return run;
  const start = args[0].getRange().start;
  const text = sliceFrom(start, ins);
  const argv = jsonArgv(text);
  if (argv) {
    run.execForm = true;
    const ranges = (
      'getJSONStrings' in ins
        ? (ins as unknown as { getJSONStrings(): { getRange(): LspRange }[] }).getJSONStrings().map((s) => toRange(s.getRange()))
        : []
    ) as Range[];
    const s = execShellScriptIndex(argv);
    if (s !== null && ranges[s]) {
      run.shell = argv.slice(0, s);
      run.script = parseShell(argv[s], { line: ranges[s].line, column: ranges[s].column + 1 });
    } else {
      run.shell = [];
      run.script = execFormScript(argv, ranges, instr, text);
    }
  } else {
    const firstLineEnd = text.indexOf('\n');
    const firstLine = (firstLineEnd < 0 ? text : text.slice(0, firstLineEnd)).trim();
    const hd = HEREDOC_START.exec(firstLine);
    if (hd && firstLineEnd >= 0) {
      // RUN <<EOF ... EOF: the body is the script (unless it names another interpreter).
      run.heredoc = true;
      const lines = text.slice(firstLineEnd + 1).split('\n');
      const endIdx = lines.findIndex((l) => (hd[1] ? l.trim() : l.replace(/\r$/, '')) === hd[3]);
      const body = (endIdx >= 0 ? lines.slice(0, endIdx) : lines).join('\n');
      const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body);
      const interp = shebang ? (shebang[1].endsWith('/env') ? shebang[2] ?? '' : shebang[1]) : 'sh';
      if (shebang) run.shell = shebang[1].endsWith('/env') ? [shebang[2] ?? ''] : [shebang[1]];
      if (/(^|\/)(sh|bash|ash|dash|zsh)$/.test(interp)) {
        run.script = parseShell(body, { line: start.line + 2, column: 1 });
      }
    } else {
      run.script = parseShell(text, { line: start.line + 1, column: start.character + 1 });
    }
  }
  if (run.script) collectCreatedUsers(run.script, vars, stage);
  return run;
}

const EXEC_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

/**
 * Exec form `["/bin/bash", "-o", "pipefail", "-c", "script"]`: the index of the script string, or null
 * when argv is not a POSIX shell given `-c` (options such as `-e`, `-o pipefail`, `-ec` may come first).
 */
function execShellScriptIndex(argv: string[]): number | null {
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
    redirects: [],
  };
  return { commands: argv.length ? [cmd] : [], pipelines: [], assignments: [], hasErrors: false, errorRange: null, text };
}

// Options of useradd/adduser (shadow, Debian adduser, busybox) that take a value.
const USER_OPTS_WITH_VALUE = new Set([
  '-u', '--uid', '-g', '--gid', '-G', '--groups', '-d', '--home', '--home-dir', '-s', '--shell', '-c',
  '--comment', '--gecos', '-k', '--skel', '-K', '--key', '-e', '--expiredate', '-f', '--inactive',
  '-p', '--password', '-b', '--base-dir', '--ingroup', '-h', '--firstuid', '--lastuid', '-Z', '--selinux-user',
  '-R', '--root', '-P', '--prefix', '--add-extra-groups', '--comment',
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
  ins: Instruction,
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
    const ranges =
      'getJSONStrings' in ins
        ? (ins as unknown as { getJSONStrings(): { getRange(): LspRange }[] }).getJSONStrings().map((s) => toRange(s.getRange()))
        : [];
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
