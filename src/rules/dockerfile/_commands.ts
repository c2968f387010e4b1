/**
 * Command recognition shared by the RUN-body rules (cache bloat, recommends, update, sudo, pipefail,
 * remote scripts, TLS, cache mounts): wrappers such as `sudo`/`env` unwrapped, option parsing,
 * package-manager invocations and BuildKit cache mounts. Pure functions over the shell model.
 */
import type { DockerfileModel, Range, RunInstr, Stage } from '../../model/dockerfile.js';
import { stageChain } from '../../model/image.js';
import type { Image } from '../../model/project.js';
import type { ShellCommand, ShellScript, ShellWord } from '../../model/shell.js';
import { EXEC_SHELLS, execShellScriptIndex } from '../../parse/dockerfile.js';
import { baseName } from '../../parse/shell.js';

/** A command as it runs once wrappers (`sudo`, `env X=1`, `exec`, `busybox`...) are peeled off. */
export interface Call {
  cmd: ShellCommand;
  /** Basename of the program that actually runs ('' when dynamic). */
  name: string;
  nameWord: ShellWord | null;
  /** Arguments of that program. */
  args: ShellWord[];
  /** Environment given to it: `X=1 cmd` prefixes and `env X=1 cmd` words. */
  env: readonly { name: string; value: string; range: Range }[];
  /** Wrappers peeled off, outermost first (`sudo`, `env`, ...). */
  wrappers: readonly string[];
  /** `pkgCall`'s answer once asked (undefined: not yet); only `pkgCall` reads or writes it. */
  pkg?: PkgCall | null;
  /** `installCall`'s answer once asked (undefined: not yet); only `installCall` reads or writes it. */
  install?: PkgCall | null;
}

interface WrapperSpec {
  valueOpts?: ReadonlySet<string>;
  /** `env`: `NAME=value` words are assignments. */
  assignments?: boolean;
  /** Positional words the wrapper itself takes before the command (`timeout 10 cmd`, `gosu user cmd`). */
  positionals?: number;
  /** Options after which the wrapper does not run a command (`command -v`, `sudo -l`). */
  noRun?: ReadonlySet<string>;
}

const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: {
    valueOpts: new Set([
      '-u',
      '-g',
      '-h',
      '-p',
      '-C',
      '-D',
      '-r',
      '-t',
      '-U',
      '-T',
      '-R',
      '--user',
      '--group',
      '--host',
      '--prompt',
      '--close-from',
      '--chdir',
      '--role',
      '--type',
      '--other-user',
      '--command-timeout',
      '--chroot',
    ]),
    noRun: new Set([
      '-l',
      '-ll',
      '--list',
      '-v',
      '--validate',
      '-k',
      '-K',
      '--reset-timestamp',
      '--remove-timestamp',
      '-V',
      '--version',
      '-e',
      '--edit',
    ]),
  },
  doas: { valueOpts: new Set(['-u', '-C']) },
  env: { valueOpts: new Set(['-u', '--unset', '-C', '--chdir']), assignments: true },
  exec: { valueOpts: new Set(['-a']) },
  command: { noRun: new Set(['-v', '-V']) },
  builtin: {},
  nice: { valueOpts: new Set(['-n', '--adjustment']) },
  nohup: {},
  time: { valueOpts: new Set(['-f', '--format', '-o', '--output']) },
  stdbuf: { valueOpts: new Set(['-i', '-o', '-e', '--input', '--output', '--error']) },
  timeout: { valueOpts: new Set(['-s', '--signal', '-k', '--kill-after']), positionals: 1 },
  xargs: {
    valueOpts: new Set([
      '-a',
      '-d',
      '-E',
      '-I',
      '-L',
      '-n',
      '-P',
      '-s',
      '--arg-file',
      '--delimiter',
      '--max-args',
      '--max-procs',
      '--max-chars',
      '--max-lines',
    ]),
  },
  busybox: {},
  gosu: { positionals: 1 },
  'su-exec': { positionals: 1 },
  chroot: { positionals: 1 },
};

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

const NO_WRAPPERS: readonly string[] = [];

/** Peel wrappers off a command. */
export function unwrap(cmd: ShellCommand): Call {
  let name = baseName(cmd.name);
  let nameWord = cmd.nameWord;
  let args = cmd.args;
  // Most commands have no wrapper: their env is the command's own assignments and their wrappers the
  // shared empty list (copied or made only when a wrapper adds to them; callers only read both).
  let env = cmd.assignments;
  let wrappers: readonly string[] = NO_WRAPPERS;
  for (let depth = 0; depth < 6; depth++) {
    const w = Object.hasOwn(WRAPPERS, name) ? WRAPPERS[name] : undefined;
    if (!w) break;
    let i = 0;
    let positionals = w.positionals ?? 0;
    let stop = false;
    for (; i < args.length; i++) {
      const v = args[i].value;
      if (v === '--') {
        i++;
        while (positionals > 0 && i < args.length) {
          positionals--;
          i++;
        }
        break;
      }
      if (v.length > 1 && v.startsWith('-')) {
        if (w.noRun?.has(v)) stop = true;
        if (w.valueOpts?.has(v)) i++;
        continue;
      }
      const m = w.assignments ? ASSIGNMENT.exec(v) : null;
      if (m) {
        if (env === cmd.assignments) env = [...env];
        env.push({ name: m[1], value: m[2], range: args[i].range });
        continue;
      }
      if (positionals > 0) {
        positionals--;
        continue;
      }
      break;
    }
    if (stop || i >= args.length || args[i].dynamic) break;
    wrappers = [...wrappers, name];
    nameWord = args[i];
    name = baseName(args[i].value);
    args = args.slice(i + 1);
  }
  return { cmd, name, nameWord, args, env, wrappers, pkg: undefined, install: undefined };
}

// A script's calls and a call's package-manager reading depend on the (immutable) model only, and
// eight rules ask for them for every RUN of every image: each is computed once (a call's readings
// are kept on the call itself, not in a WeakMap of every call). The cached arrays and objects are
// shared between callers, which only read them.
const callsOf = new WeakMap<ShellScript, Call[]>();

/** Every command of a script, unwrapped, in source order. */
export function calls(script: ShellScript | null): Call[] {
  if (!script) return [];
  let out = callsOf.get(script);
  if (out === undefined) {
    out = script.commands.map(unwrap);
    callsOf.set(script, out);
  }
  return out;
}

/** The script a call runs when it is `sh -c 'script'` with a literal script (`bash -ec "..."`, `sudo sh -c '...'`), else null. */
export function shellCScript(c: Call): ShellScript | null {
  if (!EXEC_SHELLS.has(c.name)) return null;
  const s = execShellScriptIndex([c.name, ...c.args.map((a) => a.value)]);
  return s === null ? null : (c.args[s - 1]?.script ?? null);
}

const deepCallsOf = new WeakMap<ShellScript, Call[]>();

/**
 * Every command of a script in source order, each `sh -c 'script'` call followed by the commands of
 * its script (recursively). Unlike `calls`, not one per command of `script`: a call's `cmd.pipeline`
 * indexes the pipelines of the script the command is in (`shellCScripts`).
 */
export function deepCalls(script: ShellScript | null): Call[] {
  if (!script) return [];
  let out = deepCallsOf.get(script);
  if (out === undefined) {
    const own = calls(script);
    out = own;
    if (own.some((c) => shellCScript(c) !== null)) {
      out = [];
      for (const c of own) {
        out.push(c);
        const inner = shellCScript(c);
        if (inner) out.push(...deepCalls(inner));
      }
    }
    deepCallsOf.set(script, out);
  }
  return out;
}

/** A script and the scripts its `sh -c 'script'` calls run (recursively), outermost first. */
export function shellCScripts(script: ShellScript | null): ShellScript[] {
  if (!script) return [];
  const out = [script];
  for (const c of calls(script)) out.push(...shellCScripts(shellCScript(c)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Options

export interface OptSpec {
  /** Short option letters that take a value (`o` for `curl -o file`). */
  shortValue?: string;
  /** Long options (and single-dash words) that take the next word as value when written without `=`. */
  longValue?: ReadonlySet<string>;
}

export type Token =
  | { kind: 'short'; letter: string; word: ShellWord; value: string | null; valueWord: ShellWord | null }
  | { kind: 'long'; name: string; value: string | null; word: ShellWord; valueWord: ShellWord | null }
  | { kind: 'pos'; word: ShellWord; index: number };

const NO_OPTS: OptSpec = {};

/**
 * getopt-style tokens of an argument list: short clusters split into letters (stopping at a letter
 * that takes a value, as `-fsSLo file` does), long options with their values, positionals.
 */
export function tokens(args: ShellWord[], spec: OptSpec = NO_OPTS): Token[] {
  const out: Token[] = [];
  const shortValue = spec.shortValue ?? '';
  let optsDone = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const v = word.value;
    if (optsDone || v === '-' || !v.startsWith('-')) {
      out.push({ kind: 'pos', word, index: i });
      continue;
    }
    if (v === '--') {
      optsDone = true;
      continue;
    }
    if (v.startsWith('--') || spec.longValue?.has(v)) {
      const eq = v.indexOf('=');
      if (eq > 0) {
        out.push({ kind: 'long', name: v.slice(0, eq), value: v.slice(eq + 1), word, valueWord: word });
      } else if (spec.longValue?.has(v)) {
        const next = args[i + 1] ?? null;
        out.push({ kind: 'long', name: v, value: next?.value ?? null, word, valueWord: next });
        i++;
      } else {
        out.push({ kind: 'long', name: v, value: null, word, valueWord: null });
      }
      continue;
    }
    for (let j = 1; j < v.length; j++) {
      const letter = v[j];
      if (shortValue.includes(letter)) {
        const rest = v.slice(j + 1);
        if (rest) out.push({ kind: 'short', letter, word, value: rest, valueWord: word });
        else {
          const next = args[i + 1] ?? null;
          out.push({ kind: 'short', letter, word, value: next?.value ?? null, valueWord: next });
          i++;
        }
        break;
      }
      out.push({ kind: 'short', letter, word, value: null, valueWord: null });
    }
  }
  return out;
}

const NO_VALUE_OPTS: ReadonlySet<string> = new Set();

/** Positional words of an argument list, skipping options and the values of `valueOpts`. */
export function positionals(args: ShellWord[], valueOpts: ReadonlySet<string> = NO_VALUE_OPTS): ShellWord[] {
  const out: ShellWord[] = [];
  let optsDone = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (!optsDone && v === '--') {
      optsDone = true;
      continue;
    }
    if (!optsDone && v.length > 1 && v.startsWith('-')) {
      if (valueOpts.has(v)) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

/** The word of a long option (`--no-cache-dir`, `--trusted-host=x`), or null. */
export function longOpt(args: ShellWord[], ...names: string[]): ShellWord | null {
  // Asked of most package-manager calls by several rules: loops, and no `${n}=` string per test.
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    for (let j = 0; j < names.length; j++) {
      const n = names[j];
      if (v === n || (v.length > n.length && v.charCodeAt(n.length) === 61 /* = */ && v.startsWith(n))) return args[i];
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Package managers

export type PkgTool = 'apt' | 'apk' | 'rpm' | 'zypper' | 'pip' | 'uv' | 'npm' | 'yarn' | 'pnpm' | 'go' | 'cargo' | 'bundle' | 'composer';

export interface PkgCall {
  call: Call;
  tool: PkgTool;
  /** How the command reads in a message: `apt-get`, `pip3`, `python3 -m pip`, `uv pip`. */
  program: string;
  /** The subcommand (`install`, `add`, `update`, `ci`, `mod download`, ...), '' for bare `yarn`. */
  sub: string;
  /** Arguments of the package manager (after `-m pip` for python, all of them otherwise). */
  args: ShellWord[];
}

const APT = new Set(['apt-get', 'apt', 'aptitude']);
const APT_VALUE = new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']);
const APK_VALUE = new Set([
  '-X',
  '--repository',
  '-p',
  '--root',
  '--arch',
  '--cache-dir',
  '--keys-dir',
  '--repositories-file',
  '-t',
  '--virtual',
  '--timeout',
  '--wait',
  '--cache-max-age',
]);
const RPM_TOOLS = new Set(['yum', 'dnf', 'dnf5', 'microdnf', 'tdnf']);
const RPM_VALUE = new Set([
  '-c',
  '--config',
  '-d',
  '--debuglevel',
  '-e',
  '--errorlevel',
  '--releasever',
  '--installroot',
  '--enablerepo',
  '--disablerepo',
  '-x',
  '--exclude',
  '--repo',
  '--repoid',
  '--setopt',
]);
const PIP_VALUE = new Set([
  '--log',
  '--proxy',
  '--retries',
  '--timeout',
  '--exists-action',
  '--trusted-host',
  '--cert',
  '--client-cert',
  '--cache-dir',
  '--python',
  '--src',
]);
const ZYPPER_VALUE = new Set(['--root', '-R', '--reposd-dir', '-D', '--cache-dir', '-C']);
const UV_VALUE = new Set(['--cache-dir', '--python', '-p', '--directory', '--project', '--config-file', '--color']);
const NPM_VALUE = new Set(['--prefix', '-C', '--cache', '--registry', '--userconfig', '-w', '--workspace', '--loglevel']);
const YARN_VALUE = new Set(['--cwd', '--modules-folder', '--cache-folder', '--network-timeout', '--mutex']);
const PNPM_VALUE = new Set(['-C', '--dir', '--filter', '-F', '--store-dir']);
const NPM_INSTALL = new Set([
  'ci',
  'clean-install',
  'ic',
  'install-clean',
  'isntall-clean',
  'i',
  'in',
  'ins',
  'inst',
  'insta',
  'instal',
  'install',
  'isnt',
  'isnta',
  'isntal',
  'isntall',
  'add',
]);

/** `pip`, `pip3`, `pip3.12`. */
export function isPipName(n: string): boolean {
  return /^pip(\d+(\.\d+)*)?$/.test(n);
}

/** `python`, `python3`, `python3.12`, `pypy3`. */
export function isPythonName(n: string): boolean {
  return /^(python|pypy)(\d+(\.\d+)*)?$/.test(n);
}

/** Recognises a package-manager command and its subcommand. */
export function pkgCall(call: Call): PkgCall | null {
  let p = call.pkg;
  if (p === undefined) {
    p = readPkgCall(call);
    call.pkg = p;
  }
  return p;
}

function readPkgCall(call: Call): PkgCall | null {
  const n = call.name;
  const mk = (tool: PkgTool, program: string, sub: string, args = call.args): PkgCall => ({ call, tool, program, sub, args });
  if (APT.has(n)) return mk('apt', n, positionals(call.args, APT_VALUE)[0]?.value ?? '');
  if (n === 'apk') return mk('apk', n, positionals(call.args, APK_VALUE)[0]?.value ?? '');
  if (RPM_TOOLS.has(n)) {
    const p = positionals(call.args, RPM_VALUE).map((w) => w.value);
    const sub = (p[0] === 'group' || p[0] === 'module') && p[1] ? `${p[0]} ${p[1]}` : (p[0] ?? '');
    return mk('rpm', n, sub);
  }
  if (n === 'zypper') return mk('zypper', n, positionals(call.args, ZYPPER_VALUE)[0]?.value ?? '');
  if (isPipName(n)) return mk('pip', n, positionals(call.args, PIP_VALUE)[0]?.value ?? '');
  if (isPythonName(n)) {
    const i = call.args.findIndex((a) => a.value === '-m' || a.value === '-mpip');
    if (i < 0) return null;
    const j = call.args[i].value === '-mpip' ? i : i + 1;
    if (call.args[j]?.value !== 'pip' && call.args[i].value !== '-mpip') return null;
    const rest = call.args.slice(j + 1);
    return mk('pip', `${n} -m pip`, positionals(rest, PIP_VALUE)[0]?.value ?? '', rest);
  }
  if (n === 'uv') {
    const p = positionals(call.args, UV_VALUE).map((w) => w.value);
    if (p[0] === 'pip') return mk('uv', 'uv pip', p[1] ?? '');
    return mk('uv', 'uv', p[0] ?? '');
  }
  if (n === 'npm') return mk('npm', n, positionals(call.args, NPM_VALUE)[0]?.value ?? '');
  if (n === 'yarn' || n === 'yarnpkg') return mk('yarn', n, positionals(call.args, YARN_VALUE)[0]?.value ?? '');
  if (n === 'pnpm') return mk('pnpm', n, positionals(call.args, PNPM_VALUE)[0]?.value ?? '');
  if (n === 'go') {
    const p = positionals(call.args).map((w) => w.value);
    return mk('go', n, p[0] === 'mod' && p[1] ? `mod ${p[1]}` : (p[0] ?? ''));
  }
  if (n === 'cargo') return mk('cargo', n, positionals(call.args).find((w) => !w.value.startsWith('+'))?.value ?? '');
  if (n === 'bundle' || n === 'bundler') return mk('bundle', n, positionals(call.args)[0]?.value ?? '');
  if (n === 'composer' || n === 'composer.phar') return mk('composer', n, positionals(call.args)[0]?.value ?? '');
  return null;
}

/** Subcommands that install packages, per tool. */
const INSTALL_SUBS: Record<PkgTool, ReadonlySet<string>> = {
  apt: new Set(['install']),
  apk: new Set(['add']),
  rpm: new Set(['install', 'groupinstall', 'localinstall', 'reinstall', 'group install', 'module install']),
  zypper: new Set(['install', 'in']),
  pip: new Set(['install']),
  uv: new Set(['install', 'sync']),
  npm: NPM_INSTALL,
  yarn: new Set(['', 'install', 'add']),
  pnpm: new Set(['install', 'i', 'add', 'fetch']),
  go: new Set(['mod download', 'get', 'install', 'build']),
  cargo: new Set(['build', 'install', 'fetch']),
  bundle: new Set(['install']),
  composer: new Set(['install', 'require', 'update']),
};

/** A package installation (`apt-get install`, `pip install`, `npm ci`, `go mod download`, ...). */
// Three rules ask whether each call of every image is an installation: answered once per call (like pkgCall).
export function installCall(call: Call): PkgCall | null {
  let p = call.install;
  if (p === undefined) {
    p = readInstallCall(call);
    call.install = p;
  }
  return p;
}

function readInstallCall(call: Call): PkgCall | null {
  const p = pkgCall(call);
  if (!p) return null;
  if (p.tool === 'uv' && p.program === 'uv' && p.sub !== 'sync') return null;
  if (p.args.some((a) => a.value === '--version' || a.value === '--help' || (p.tool === 'yarn' && (a.value === '-v' || a.value === '-h'))))
    return null;
  return INSTALL_SUBS[p.tool].has(p.sub) ? p : null;
}

/** `apt-get install` → "`apt-get install`": the command as a message names it. */
export function showCall(p: PkgCall): string {
  return `\`${[p.program, p.sub].filter(Boolean).join(' ')}\``;
}

// ---------------------------------------------------------------------------------------------
// Cache mounts and stages

/** Targets of the RUN's `--mount=type=cache` mounts. */
export function cacheMountTargets(run: RunInstr): string[] {
  const out: string[] = [];
  for (const m of run.mounts) {
    if (m.type !== 'cache') continue;
    const t = m.target ?? m.dst ?? m.destination;
    if (t) out.push(t.replace(/\/+$/, '') || '/');
  }
  return out;
}

/** Whether a mount target covers a path (equal to it or one of its parents). */
export function covers(target: string, path: string): boolean {
  const t = target.replace(/\/+$/, '');
  return path === t || path.startsWith(`${t}/`) || t === '';
}

/** The stages whose layers end up in the image: the image's stage and its `FROM <stage>` ancestors, oldest first. */
export function shippedStages(image: Image): Stage[] {
  return stageChain(image.dockerfile, image.stage).reverse();
}

/** Whether range `inner` lies within range `outer`. */
export function within(inner: Range, outer: Range): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return (
    before(outer.line, outer.column, inner.line, inner.column) && before(inner.endLine, inner.endColumn, outer.endLine, outer.endColumn)
  );
}

/** The range from the start of `a` to the end of `b`. */
export function span(a: Range, b: Range): Range {
  return { line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

/**
 * The value a variable has for a command: an inline `X=1 cmd` / `env X=1 cmd`, a top-level
 * `export X=1` earlier in the same RUN, or an ARG/ENV declared before the RUN in the stage (ENV also
 * from the stages it is built `FROM`). Null when not set.
 */
export function varFor(df: DockerfileModel, stage: Stage, run: RunInstr, call: Call, name: string): string | null {
  // Each source is searched from its end: the last match wins (no filtered copies).
  const env = call.env;
  for (let i = env.length - 1; i >= 0; i--) if (env[i].name === name) return env[i].value;
  const start = call.cmd.range;
  const assignments = run.script?.assignments ?? [];
  for (let i = assignments.length - 1; i >= 0; i--) {
    const a = assignments[i];
    if (a.name === name && (a.range.line < start.line || (a.range.line === start.line && a.range.endColumn <= start.column)))
      return a.value;
  }
  let chain: Stage[] | null = null;
  let decl: DockerfileModel['declarations'][number] | undefined;
  const line = run.instr.range.line;
  for (let i = df.declarations.length - 1; i >= 0; i--) {
    const d = df.declarations[i];
    if (d.name !== name || d.range.line >= line) continue;
    if (d.stage !== stage.index) {
      if (d.keyword !== 'ENV') continue;
      chain ??= stageChain(df, stage);
      if (!chain.some((s) => s.index === d.stage)) continue;
    }
    decl = d;
    break;
  }
  if (!decl) return null;
  if (decl.value !== null) return decl.value;
  // `ARG X` without a default re-imports a global default, which Stage.vars resolved.
  const v = stage.vars.get(name);
  return v && v.range.line === decl.range.line ? v.value : null;
}

/** Adds to a list once. */
export function addOnce(list: string[], s: string): void {
  if (!list.includes(s)) list.push(s);
}
