/**
 * CI workflow files → Workflow models (src/model/workflow.ts), each file read and parsed once.
 *
 * GitHub Actions: `on` (string, list or map), permissions, env, defaults.run, jobs with
 * `strategy.matrix` expanded (include/exclude), steps with `uses`/`with`/`run`; `run:` is parsed as
 * shell once, with every `${{ ... }}` replaced by a same-length placeholder so positions stay exact
 * and matrix values can be substituted into word values per job instance.
 *
 * GitLab CI (`.gitlab-ci.yml`): jobs (top-level keys that are neither reserved words nor hidden
 * `.templates`), `extends` and `!reference` resolved, `before_script`/`script`/`after_script` lines
 * parsed as shell, `allow_failure`, `rules`/`only`/`except` → triggers, `include:` entries (official
 * templates and CI/CD components are recognised in src/model/ci.ts).
 */
import { posix } from 'node:path';
import type { ShellScript, Stmt } from '../model/shell.js';
import type {
  ActionRef,
  CmdInstance,
  Disabler,
  FlagSetting,
  Include,
  Job,
  JobInstance,
  Matrix,
  MatrixValue,
  PermissionLevel,
  Permissions,
  Resolved,
  RunScript,
  Trigger,
  TriggerKind,
  Workflow,
} from '../model/workflow.js';
import type { FileError, Location } from '../types.js';
import { parseShell } from './shell.js';
import { get, type PMap, type PNode, type Prov, type PScalar, parseYaml, str, type YamlFile } from './yaml.js';

export interface WorkflowReader {
  readText(rel: string): { text: string } | { error: string };
}

export interface ParsedWorkflows {
  workflows: Workflow[];
  errors: FileError[];
  /** Files that could not be read or parsed. */
  unreadable: string[];
}

export function isGitlabFile(path: string): boolean {
  return path === '.gitlab-ci.yml' || path.endsWith('/.gitlab-ci.yml');
}

/** Reads and parses every workflow file; a malformed one becomes an error (file + line) and is left out. */
export function parseWorkflows(reader: WorkflowReader, paths: string[]): ParsedWorkflows {
  const workflows: Workflow[] = [];
  const errors: FileError[] = [];
  const unreadable: string[] = [];
  for (const path of paths) {
    const r = reader.readText(path);
    if ('error' in r) {
      errors.push({ file: path, message: r.error });
      unreadable.push(path);
      continue;
    }
    const yaml = parseYaml(path, r.text);
    if (yaml.errors.length) {
      for (const e of yaml.errors.slice(0, 3)) errors.push({ file: path, message: `invalid workflow YAML: ${e.message}`, line: e.line });
      unreadable.push(path);
      continue;
    }
    if (yaml.root?.kind !== 'map') {
      errors.push({
        file: path,
        message: yaml.root ? 'workflow is not a YAML mapping' : 'workflow file is empty',
        line: yaml.root?.prov.range.line,
      });
      unreadable.push(path);
      continue;
    }
    const lines = r.text.split('\n');
    const wf = isGitlabFile(path)
      ? gitlabWorkflow(path, yaml, yaml.root, lines, errors)
      : githubWorkflow(path, yaml, yaml.root, lines, errors);
    workflows.push(wf);
  }
  linkReusableWorkflows(workflows);
  return { workflows, errors, unreadable };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

function fileProv(file: string): Prov {
  return { file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 } };
}

export function provLocation(p: Prov): Location {
  return { file: p.file, line: p.range.line, column: p.range.column, endLine: p.range.endLine, endColumn: p.range.endColumn };
}

function keyProvOf(map: PNode | undefined, key: string): Prov | null {
  if (map?.kind !== 'map') return null;
  for (let i = map.entries.length - 1; i >= 0; i--) if (map.entries[i].key === key) return map.entries[i].keyProv;
  return null;
}

/** Scalar text of a node (numbers and booleans as strings). */
function text(n: PNode | undefined): string | null {
  const s = str(n);
  return s === undefined ? null : s;
}

function strings(n: PNode | undefined): string[] {
  if (!n) return [];
  if (n.kind === 'seq') return n.items.map((i) => text(i)).filter((s): s is string => s !== null);
  const s = text(n);
  return s === null ? [] : [s];
}

function envMap(n: PNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (n?.kind !== 'map') return out;
  for (const e of n.entries) {
    // GitLab `variables: X: { value: ..., description: ... }`.
    const v = e.value.kind === 'map' ? text(get(e.value, 'value')) : text(e.value);
    if (v !== null) out.set(e.key, v);
  }
  return out;
}

function flag(map: PNode | undefined, key: string): FlagSetting | null {
  if (map?.kind !== 'map') return null;
  const v = get(map, key);
  const kp = keyProvOf(map, key);
  if (!v || !kp) return null;
  if (v.kind === 'map') {
    // GitLab `allow_failure: { exit_codes: [...] }`: only those exit codes are allowed to fail.
    return { value: null, raw: 'exit_codes', prov: v.prov, keyProv: kp };
  }
  const raw = text(v) ?? '';
  const lower = raw.trim().toLowerCase();
  const value = lower === 'true' ? true : lower === 'false' ? false : null;
  return { value, raw, prov: v.prov, keyProv: kp };
}

function toMatrixValue(n: PNode): MatrixValue {
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(toMatrixValue);
  const o: { [k: string]: MatrixValue } = {};
  for (const e of n.entries) o[e.key] = toMatrixValue(e.value);
  return o;
}

function valueText(v: MatrixValue): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function deepEqual(a: MatrixValue, b: MatrixValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const EXPR = /\$\{\{([\s\S]*?)\}\}/g;

/** `${{ github.sha }}` with its inner whitespace normalised, so two spellings compare equal. */
export function normaliseExpr(inner: string): string {
  return `\${{ ${inner.trim().replace(/\s+/g, ' ')} }}`;
}

/** Substitution scope of one job instance. */
interface Scope {
  /** null when the job's matrix is unknown. */
  matrix: Record<string, MatrixValue> | null;
  env: Map<string, string>;
}

/** Substitute `${{ matrix.x }}` and `${{ env.X }}` in a GitHub value; other expressions stay (normalised). */
export function resolveExpressions(value: string, scope: Scope, depth = 0): Resolved {
  let literal = true;
  let unknown = false;
  const out = value.replace(EXPR, (_m, inner: string) => {
    const e = inner.trim();
    const m = /^matrix((?:\.[A-Za-z_][\w-]*)+)$/.exec(e);
    if (m) {
      if (scope.matrix === null) {
        unknown = true;
        literal = false;
        return normaliseExpr(inner);
      }
      let cur: MatrixValue | undefined = scope.matrix;
      for (const k of m[1].slice(1).split('.')) {
        cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, MatrixValue>)[k] : undefined;
      }
      const t = cur === undefined ? '' : valueText(cur);
      if (t.includes('${{')) literal = false;
      return t;
    }
    const env = /^env\.([A-Za-z_]\w*)$/.exec(e);
    if (env && depth < 8) {
      const v = scope.env.get(env[1]);
      if (v !== undefined) {
        const r = resolveExpressions(v, scope, depth + 1);
        if (!r.literal) literal = false;
        if (r.unknown) unknown = true;
        return r.value;
      }
    }
    literal = false;
    return normaliseExpr(inner);
  });
  return { value: out, literal, unknown };
}

const SHELL_VAR = /\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g;

/** Substitute `$NAME`/`${NAME}` from an environment whose values are literal; others stay as `$NAME`. */
export function resolveShellVars(value: string, env: Map<string, string>, depth = 0): { value: string; literal: boolean } {
  let literal = true;
  const out = value.replace(SHELL_VAR, (_m, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b) as string;
    const v = env.get(name);
    if (v !== undefined && depth < 8 && !v.includes('${{')) {
      const r = resolveShellVars(v, env, depth + 1);
      if (!r.literal) literal = false;
      return r.value;
    }
    literal = false;
    return `$${name}`;
  });
  return { value: out, literal };
}

/** A folder as written (`./backend`, `${{ github.workspace }}/app`) → relative to the root ('' for the root), or null. */
export function normaliseDir(dir: string, base: string | null = ''): string | null {
  if (base === null) return null;
  let d = dir.trim();
  d = d
    .replace(/^\$\{\{ github\.workspace \}\}\/?/, '')
    .replace(/^\$\{?GITHUB_WORKSPACE\}?\/?/, '')
    .replace(/^\$\{?CI_PROJECT_DIR\}?\/?/, '');
  if (d.includes('${{') || d.includes('$')) return null;
  if (d.startsWith('/') || d.startsWith('~')) return null;
  const joined = posix.normalize(posix.join(base || '.', d || '.'));
  if (joined === '..' || joined.startsWith('../')) return null;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

// ---------------------------------------------------------------------------------------------
// Shell scripts (`run:`, GitLab script lines)

const POSIX_SHELLS = new Set(['bash', 'sh', 'ash', 'dash', 'zsh', 'ksh']);

/** Replace `${{ ... }}` with same-length placeholder tokens (newlines kept) so the shell parser sees plain words. */
export function maskExpressions(value: string): { masked: string; exprs: Map<string, string> } {
  const exprs = new Map<string, string>();
  let i = 0;
  const masked = value.replace(EXPR, (m: string) => {
    const base = `Z${(i++).toString(36)}Q`;
    if (base.length > m.length) return m;
    let token = base + 'q'.repeat(m.length - base.length);
    // keep line structure for multi-line expressions
    token = [...token].map((c, k) => (m[k] === '\n' ? '\n' : c)).join('');
    exprs.set(token, normaliseExpr(m.slice(3, -2)));
    return token;
  });
  return { masked, exprs };
}

/** Where a scalar's value starts in the file, and where its later lines start (block scalars). */
function scalarOrigin(s: PScalar, lines: string[]): { line: number; column: number; restColumn: number } {
  const r = s.prov.range;
  if (s.style === 'literal' || s.style === 'folded') {
    let indent = Number.POSITIVE_INFINITY;
    for (let l = r.line + 1; l <= Math.min(r.endLine, lines.length); l++) {
      const src = (lines[l - 1] ?? '').replace(/\r$/, '');
      if (src.trim() === '') continue;
      indent = Math.min(indent, src.length - src.trimStart().length);
    }
    if (!Number.isFinite(indent)) indent = 0;
    return { line: r.line + 1, column: indent + 1, restColumn: indent + 1 };
  }
  if (s.style === 'single' || s.style === 'double') return { line: r.line, column: r.column + 1, restColumn: 1 };
  return { line: r.line, column: r.column, restColumn: 1 };
}

/** Parse a `run:` scalar once. */
function runScript(s: PScalar, lines: string[], shell: string, errexit: boolean, pipefail: boolean): RunScript {
  const value = s.value === null ? '' : String(s.value);
  const { masked, exprs } = maskExpressions(value);
  const origin = scalarOrigin(s, lines);
  const script = POSIX_SHELLS.has(shell) ? parseShell(masked, origin, { tree: true }) : null;
  return { text: value, script, exprs, shell, errexit, pipefail, prov: s.prov };
}

/** GitHub's `shell:` → program and the flags it runs with. */
function githubShell(shell: string | null, windows: boolean): { shell: string; errexit: boolean; pipefail: boolean } {
  if (!shell) return windows ? { shell: 'pwsh', errexit: false, pipefail: false } : { shell: 'bash', errexit: true, pipefail: false };
  const s = shell.trim();
  if (s === 'bash') return { shell: 'bash', errexit: true, pipefail: true };
  if (s === 'sh') return { shell: 'sh', errexit: true, pipefail: false };
  const prog = s.split(/\s+/)[0].replace(/^.*\//, '');
  if (POSIX_SHELLS.has(prog)) return { shell: prog, errexit: /\s-[a-z]*e/.test(s) || /errexit/.test(s), pipefail: /pipefail/.test(s) };
  return { shell: prog, errexit: false, pipefail: false };
}

/** Commands whose exit status is always 0 (`|| true`, `|| echo failed`). */
const SUCCEEDS = new Set(['true', ':', 'echo', 'printf', 'logger', 'cat', 'tee', 'sleep']);

function stmtFails(s: Stmt, script: ShellScript): boolean {
  switch (s.kind) {
    case 'cmd': {
      const c = script.commands[s.cmd];
      if (c.name === 'exit' || c.name === 'return') return c.args.length === 0 || c.args[0].value !== '0';
      if (c.name === 'false') return true;
      // Unknown programs may fail: only known always-succeeding ones swallow a failure.
      return !SUCCEEDS.has(c.name);
    }
    case 'pipeline': {
      const last = s.cmds[s.cmds.length - 1];
      return last === undefined ? true : stmtFails({ kind: 'cmd', cmd: last, background: false }, script);
    }
    case 'group':
      return s.body.length === 0 ? false : stmtFails(s.body[s.body.length - 1], script);
    case 'andor':
      return s.op === '&&' ? stmtFails(s.right, script) || stmtFails(s.left, script) : stmtFails(s.right, script);
    default:
      return true;
  }
}

function cmdText(script: ShellScript, s: Stmt): string {
  if (s.kind === 'cmd') return script.commands[s.cmd].text;
  if (s.kind === 'pipeline') return s.cmds.map((i) => script.commands[i].text).join(' | ');
  return '...';
}

function firstCmd(s: Stmt): number | null {
  switch (s.kind) {
    case 'cmd':
      return s.cmd;
    case 'pipeline':
      return s.cmds[0] ?? null;
    case 'andor':
      return firstCmd(s.left) ?? firstCmd(s.right);
    case 'group':
    case 'func':
    case 'loop':
      for (const b of s.body) {
        const c = firstCmd(b);
        if (c !== null) return c;
      }
      return null;
    default:
      return null;
  }
}

/**
 * For each command of a script, whether its failure cannot fail the script: the left side of
 * `|| true` (or any fallback that succeeds), a pipeline member before the last without pipefail,
 * a background command, anything before the last statement once errexit is off (`set +e`, a shell
 * without `-e`). `if` conditions and fallbacks that fail (`|| exit 1`) are handled, not swallowed.
 */
export function swallowedFailures(run: RunScript, file: string, state?: ShellState, lastScript = true): Map<number, Disabler> {
  const out = new Map<number, Disabler>();
  const script = run.script;
  if (!script?.stmts) return out;
  const cmdLoc = (i: number): Location => {
    const r = script.commands[i].range;
    return { file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn };
  };
  let errexitOff: Disabler | null = state
    ? state.errexitOff
    : run.errexit
      ? null
      : {
          what: `the \`${run.shell}\` shell here does not stop on errors (no \`-e\`)`,
          location: provLocation(run.prov),
          fix: 'use `shell: bash` (which runs with `-eo pipefail`) or start the script with `set -e`',
        };
  let pipefail = state ? state.pipefail : run.pipefail;
  const top = script.stmts;
  interface Ctx {
    swallow: Disabler | null;
    handled: boolean;
    last: boolean;
  }
  const mark = (i: number, ctx: Ctx, own: Disabler | null = null) => {
    if (ctx.handled && !ctx.swallow && !own) return;
    const d = ctx.swallow ?? own ?? (errexitOff && !ctx.last ? errexitOff : null);
    if (d && !out.has(i)) out.set(i, d);
  };
  const visit = (s: Stmt, ctx: Ctx): void => {
    switch (s.kind) {
      case 'cmd':
        mark(
          s.cmd,
          ctx,
          s.background
            ? {
                what: 'it runs in the background (`&`), so its exit status is never checked',
                location: cmdLoc(s.cmd),
                fix: 'run it in the foreground',
              }
            : null,
        );
        return;
      case 'pipeline': {
        s.cmds.forEach((c, j) => {
          if (j < s.cmds.length - 1 && !pipefail) {
            const next = script.commands[s.cmds[j + 1]];
            mark(c, ctx, {
              what: `it is piped into \`${next.name || next.text}\` without \`set -o pipefail\` (only the last command's status counts)`,
              fix: "add `set -o pipefail` before it (or `shell: bash`, which sets it), or write the report with the tool's own output option",
              location: cmdLoc(s.cmds[j + 1]),
            });
          } else
            mark(
              c,
              ctx,
              s.background ? { what: 'it runs in the background (`&`)', location: cmdLoc(c), fix: 'run it in the foreground' } : null,
            );
        });
        return;
      }
      case 'andor': {
        if (s.op === '||') {
          if (stmtFails(s.right, script)) visit(s.left, { ...ctx, handled: true });
          else {
            const rc = firstCmd(s.right);
            const d: Disabler = {
              what: `\`|| ${cmdText(script, s.right)}\` swallows its failure`,
              fix: `remove \`|| ${cmdText(script, s.right)}\` (or end the fallback with \`exit 1\`)`,
              location: rc === null ? provLocation(run.prov) : cmdLoc(rc),
            };
            visit(s.left, { ...ctx, swallow: ctx.swallow ?? d });
          }
          visit(s.right, ctx);
        } else {
          if (!ctx.last && !ctx.handled && !ctx.swallow && !errexitOff) {
            const lc = firstCmd(s.left);
            visit(s.left, {
              ...ctx,
              swallow: {
                what: "it is the left side of an `&&` list that is not the script's last command, where `bash -e` ignores a failure",
                fix: 'run it as a command of its own (not `cmd && ...` in the middle of the script)',
                location: lc === null ? provLocation(run.prov) : cmdLoc(lc),
              },
            });
          } else visit(s.left, ctx);
          visit(s.right, ctx);
        }
        return;
      }
      case 'if':
        for (const b of s.branches) {
          for (const c of b.cond) visit(c, { ...ctx, handled: true });
          for (const c of b.body) visit(c, ctx);
        }
        for (const c of s.orelse ?? []) visit(c, ctx);
        return;
      case 'case':
        for (const a of s.arms) for (const c of a.body) visit(c, ctx);
        return;
      case 'func':
      case 'loop':
        for (const c of s.body) visit(c, ctx);
        return;
      case 'group':
        for (const c of s.body)
          visit(
            c,
            s.background
              ? {
                  ...ctx,
                  swallow: ctx.swallow ?? {
                    what: 'it runs in the background (`&`)',
                    location: provLocation(run.prov),
                    fix: 'run it in the foreground',
                  },
                }
              : ctx,
          );
        return;
      default:
        return;
    }
  };
  top.forEach((s, i) => {
    if (s.kind === 'cmd') {
      const c = script.commands[s.cmd];
      if (c.name === 'set') {
        const args = c.args.map((a) => a.value);
        for (let k = 0; k < args.length; k++) {
          const a = args[k];
          if (/^\+[a-z]*e/.test(a) || (a === '+o' && args[k + 1] === 'errexit'))
            errexitOff = {
              what: '`set +e` turns off stopping on errors',
              location: cmdLoc(s.cmd),
              fix: 'remove `set +e` (or `set -e` again before the scan)',
            };
          else if (/^-[a-z]*e/.test(a) || (a === '-o' && args[k + 1] === 'errexit')) errexitOff = null;
          if (a === '-o' && args[k + 1] === 'pipefail') pipefail = true;
          if (a === '+o' && args[k + 1] === 'pipefail') pipefail = false;
        }
        return;
      }
    }
    visit(s, { swallow: null, handled: false, last: lastScript && i === top.length - 1 });
  });
  if (state) {
    state.errexitOff = errexitOff;
    state.pipefail = pipefail;
  }
  return out;
}

/** Shell options that carry from one GitLab script line to the next (they run in one shell). */
export interface ShellState {
  errexitOff: Disabler | null;
  pipefail: boolean;
}

/** Substitute placeholder tokens in a word value with the instance's values. */
function substituteTokens(value: string, run: RunScript, scope: Scope): Resolved {
  let literal = true;
  let unknown = false;
  let out = value;
  if (run.exprs.size && /Z[0-9a-z]+Q/.test(value)) {
    for (const [token, expr] of run.exprs) {
      if (!out.includes(token)) continue;
      const r = resolveExpressions(expr, scope);
      if (!r.literal) literal = false;
      if (r.unknown) unknown = true;
      out = out.split(token).join(r.value);
    }
  }
  if (out.includes('$')) {
    const r = resolveShellVars(out, scope.env);
    out = r.value;
    if (!r.literal) literal = false;
  }
  return { value: out, literal, unknown };
}

/** The commands of a script for one instance: words substituted, `cd` followed, failures that cannot fail the step marked. */
export function instanceCommands(
  run: RunScript,
  scope: Scope,
  startDir: string | null,
  file: string,
  carry?: { cwd: string | null; shell: ShellState; last: boolean },
): CmdInstance[] {
  const script = run.script;
  if (!script) return [];
  const swallowed = swallowedFailures(run, file, carry?.shell, carry ? carry.last : true);
  const out: CmdInstance[] = [];
  let cwd = carry ? carry.cwd : startDir;
  // Top-level assignments (`IMAGE=app:ci`) feed later words.
  const env = new Map(scope.env);
  for (const a of script.assignments) {
    const v = substituteTokens(a.value, run, { ...scope, env });
    if (v.literal) env.set(a.name, v.value);
  }
  const local: Scope = { ...scope, env };
  script.commands.forEach((cmd, i) => {
    const name = cmd.nameWord ? substituteTokens(cmd.nameWord.value, run, local).value : cmd.name;
    const args = cmd.args.map((w) => substituteTokens(w.value, run, local).value);
    out.push({ cmd, run, name, args, words: cmd.args, cwd, swallowed: swallowed.get(i) ?? null });
    if ((name === 'cd' || name === 'pushd') && !cmd.inSubstitution) {
      const target = args.find((a) => !a.startsWith('-'));
      cwd = target === undefined ? '' : normaliseDir(target, cwd);
    }
  });
  if (carry) carry.cwd = cwd;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Actions

const SHA40 = /^[0-9a-f]{40}$/i;
const SHORT_SHA = /^[0-9a-f]{7,39}$/i;
const VERSION_TAG = /^v?\d+(?:\.\d+)*(?:[-+][\w.-]+)?$/;

export function parseActionRef(raw: string, prov: Prov): ActionRef {
  const v = raw.trim();
  if (v.startsWith('./') || v.startsWith('../') || v === '.')
    return { raw: v, kind: 'local', name: v, owner: null, ref: null, refKind: 'none', prov };
  if (v.startsWith('docker://')) {
    const image = v.slice('docker://'.length);
    const at = image.indexOf('@');
    const digest = at >= 0 ? image.slice(at + 1) : null;
    const rest = at >= 0 ? image.slice(0, at) : image;
    const slash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    const tag = colon > slash ? rest.slice(colon + 1) : null;
    const name = (colon > slash ? rest.slice(0, colon) : rest).toLowerCase();
    return {
      raw: v,
      kind: 'docker',
      name,
      owner: name.includes('/') ? name.split('/')[0] : null,
      ref: digest ?? tag,
      refKind: digest?.startsWith('sha256:') ? 'digest' : tag ? 'tag' : 'none',
      prov,
    };
  }
  const at = v.lastIndexOf('@');
  const name = (at >= 0 ? v.slice(0, at) : v).toLowerCase();
  const ref = at >= 0 ? v.slice(at + 1) : null;
  let refKind: ActionRef['refKind'] = 'none';
  if (ref !== null) {
    if (SHA40.test(ref)) refKind = 'sha';
    else if (SHORT_SHA.test(ref) && /[a-f]/i.test(ref) && !VERSION_TAG.test(ref)) refKind = 'short-sha';
    else if (VERSION_TAG.test(ref)) refKind = 'version-tag';
    else refKind = 'branch';
  }
  return { raw: v, kind: 'repo', name, owner: name.split('/')[0] ?? null, ref, refKind, prov };
}

// ---------------------------------------------------------------------------------------------
// Matrix

export function expandMatrix(node: PNode | undefined): Matrix {
  if (!node) return { status: 'none', prov: null, combinations: [{}] };
  if (node.kind === 'scalar') {
    const t = text(node) ?? '';
    return { status: 'unknown', reason: `the matrix is computed at run time (\`${t.trim()}\`)`, prov: node.prov, combinations: [] };
  }
  if (node.kind !== 'map') return { status: 'unknown', reason: 'the matrix is not a mapping', prov: node.prov, combinations: [] };
  const dims: [string, MatrixValue[]][] = [];
  let include: Record<string, MatrixValue>[] = [];
  let exclude: Record<string, MatrixValue>[] = [];
  for (const e of node.entries) {
    if (e.key === 'include' || e.key === 'exclude') {
      if (e.value.kind === 'scalar' && String(e.value.value ?? '').includes('${{')) {
        return {
          status: 'unknown',
          reason: `\`${e.key}\` is computed at run time (\`${String(e.value.value).trim()}\`)`,
          prov: e.value.prov,
          combinations: [],
        };
      }
      const list =
        e.value.kind === 'seq'
          ? e.value.items.filter((i): i is PMap => i.kind === 'map').map((i) => toMatrixValue(i) as Record<string, MatrixValue>)
          : [];
      if (e.key === 'include') include = list;
      else exclude = list;
      continue;
    }
    if (e.value.kind === 'scalar') {
      const t = String(e.value.value ?? '');
      if (t.includes('${{'))
        return {
          status: 'unknown',
          reason: `\`${e.key}\` is computed at run time (\`${t.trim()}\`)`,
          prov: e.value.prov,
          combinations: [],
        };
      dims.push([e.key, [e.value.value]]);
      continue;
    }
    if (e.value.kind === 'seq') {
      const values = e.value.items.map(toMatrixValue);
      if (values.some((v) => typeof v === 'string' && v.includes('${{') && /fromjson/i.test(v))) {
        return { status: 'unknown', reason: `\`${e.key}\` is computed at run time`, prov: e.value.prov, combinations: [] };
      }
      dims.push([e.key, values]);
    }
  }
  let combos: Record<string, MatrixValue>[] = dims.length ? [{}] : [];
  for (const [k, values] of dims) {
    const next: Record<string, MatrixValue>[] = [];
    for (const c of combos) for (const v of values) next.push({ ...c, [k]: v });
    combos = next;
  }
  combos = combos.filter((c) => !exclude.some((x) => Object.entries(x).every(([k, v]) => k in c && deepEqual(c[k], v))));
  const original = new Set(dims.map(([k]) => k));
  const base = combos.length;
  for (const inc of include) {
    let added = false;
    for (let i = 0; i < base; i++) {
      const c = combos[i];
      if (Object.entries(inc).every(([k, v]) => !original.has(k) || deepEqual(c[k], v))) {
        for (const [k, v] of Object.entries(inc)) if (!original.has(k)) c[k] = v;
        added = true;
      }
    }
    if (!added) combos.push({ ...inc });
  }
  return { status: 'known', prov: node.prov, combinations: combos };
}

function matrixLabel(m: Record<string, MatrixValue>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}=${valueText(v)}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

function permissions(n: PNode | undefined): Permissions | null {
  if (!n) return null;
  if (n.kind === 'scalar') {
    const t = (text(n) ?? '').trim();
    if (t === 'read-all') return { kind: 'read-all', scopes: {}, prov: n.prov };
    if (t === 'write-all') return { kind: 'write-all', scopes: {}, prov: n.prov };
    if (t === '' || t === '{}') return { kind: 'none', scopes: {}, prov: n.prov };
    return { kind: 'expression', scopes: {}, prov: n.prov };
  }
  if (n.kind === 'map') {
    const scopes: Record<string, PermissionLevel> = {};
    for (const e of n.entries) {
      const v = (text(e.value) ?? '').trim();
      if (v === 'read' || v === 'write' || v === 'none') scopes[e.key] = v;
    }
    return { kind: n.entries.length ? 'map' : 'none', scopes, prov: n.prov };
  }
  return null;
}

function triggerKind(event: string, value: PNode | undefined): TriggerKind {
  switch (event) {
    case 'push':
      if (
        value &&
        value.kind === 'map' &&
        (get(value, 'tags') || get(value, 'tags-ignore')) &&
        !get(value, 'branches') &&
        !get(value, 'branches-ignore')
      )
        return 'tag';
      return 'push';
    case 'pull_request':
    case 'pull_request_target':
    case 'merge_group':
      return 'pr';
    case 'schedule':
      return 'schedule';
    case 'workflow_dispatch':
    case 'repository_dispatch':
      return 'manual';
    case 'workflow_call':
      return 'call';
    case 'release':
    case 'registry_package':
      return 'tag';
    default:
      return 'other';
  }
}

function githubTriggers(on: PNode | undefined): Trigger[] {
  if (!on) return [];
  const make = (event: string, value: PNode | undefined, prov: Prov): Trigger => {
    const branches = value && value.kind === 'map' && get(value, 'branches') ? strings(get(value, 'branches')) : null;
    const crons =
      event === 'schedule' && value && value.kind === 'seq' ? value.items.map((i) => text(get(i, 'cron')) ?? '').filter(Boolean) : [];
    return { event, kind: triggerKind(event, value), branches, crons, prov };
  };
  if (on.kind === 'scalar') return [make(String(on.value ?? ''), undefined, on.prov)];
  if (on.kind === 'seq') return on.items.map((i) => make(text(i) ?? '', undefined, i.prov)).filter((t) => t.event);
  return on.entries.map((e) => make(e.key, e.value, e.keyProv));
}

/** `if: github.event_name == 'push'` narrows a job's triggers; anything more complex keeps them. */
function narrowByIf(triggers: Trigger[], cond: string | null): Trigger[] {
  if (!cond) return triggers;
  const c = cond.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1');
  const eq = [...c.matchAll(/github\.event_name\s*==\s*['"]([\w-]+)['"]/g)].map((m) => m[1]);
  const ne = [...c.matchAll(/github\.event_name\s*!=\s*['"]([\w-]+)['"]/g)].map((m) => m[1]);
  if (eq.length && !/&&/.test(c)) return triggers.filter((t) => eq.includes(t.event));
  if (ne.length && !/\|\|/.test(c)) return triggers.filter((t) => !ne.includes(t.event));
  return triggers;
}

function githubWorkflow(path: string, yaml: YamlFile, root: PMap, lines: string[], errors: FileError[]): Workflow {
  const on = get(root, 'on') ?? get(root, 'true');
  const wf: Workflow = {
    platform: 'github',
    path,
    name: text(get(root, 'name')),
    yaml,
    onProv: keyProvOf(root, 'on') ?? keyProvOf(root, 'true'),
    jobsProv: keyProvOf(root, 'jobs'),
    triggers: githubTriggers(on),
    permissions: permissions(get(root, 'permissions')),
    env: envMap(get(root, 'env')),
    defaults: {
      shell: text(get(get(get(root, 'defaults'), 'run'), 'shell')),
      workingDirectory: text(get(get(get(root, 'defaults'), 'run'), 'working-directory')),
    },
    jobs: [],
    includes: [],
    reusable: false,
    fileProv: fileProv(path),
  };
  wf.reusable = wf.triggers.some((t) => t.kind === 'call');
  if (!on) errors.push({ file: path, message: 'workflow has no `on:` triggers', line: 1 });
  const jobs = get(root, 'jobs');
  if (jobs?.kind !== 'map') {
    errors.push({ file: path, message: 'workflow has no `jobs:` mapping', line: jobs?.prov.range.line ?? 1 });
    return wf;
  }
  for (const e of jobs.entries) {
    if (e.value.kind !== 'map') continue;
    wf.jobs.push(githubJob(wf, e.key, e.keyProv, e.value, lines));
  }
  return wf;
}

function githubJob(wf: Workflow, id: string, keyProv: Prov, n: PMap, lines: string[]): Job {
  const runsOn = strings(get(n, 'runs-on')).join(' ').toLowerCase();
  const jobDefaults = get(get(n, 'defaults'), 'run');
  const shellText = text(get(jobDefaults, 'shell')) ?? wf.defaults.shell;
  const jobWd = text(get(jobDefaults, 'working-directory')) ?? wf.defaults.workingDirectory;
  const job: Job = {
    id,
    name: text(get(n, 'name')),
    keyProv,
    prov: n.prov,
    permissions: permissions(get(n, 'permissions')),
    continueOnError: flag(n, 'continue-on-error'),
    allowFailure: null,
    if: text(get(n, 'if')),
    needs: strings(get(n, 'needs')),
    env: envMap(get(n, 'env')),
    matrix: expandMatrix(get(get(n, 'strategy'), 'matrix')),
    steps: [],
    uses: null,
    triggers: [],
    instances: [],
    extends: [],
    image: null,
    template: null,
    variables: new Map(),
  };
  job.triggers = narrowByIf(wf.triggers, job.if);
  const usesNode = get(n, 'uses');
  if (usesNode && usesNode.kind === 'scalar') {
    // A reusable workflow call: modelled as one step so actions and reusable workflows are judged alike.
    job.uses = parseActionRef(String(usesNode.value ?? ''), usesNode.prov);
    const withNode = get(n, 'with');
    const withMap = new Map<string, PNode>();
    const withKeys = new Map<string, Prov>();
    if (withNode?.kind === 'map') {
      for (const e of withNode.entries) {
        withMap.set(e.key, e.value);
        withKeys.set(e.key, e.keyProv);
      }
    }
    job.steps.push({
      index: 0,
      id: null,
      name: job.name,
      prov: n.prov,
      uses: job.uses,
      with: withMap,
      withKeys,
      run: null,
      env: new Map(),
      workingDirectory: null,
      continueOnError: null,
      if: null,
    });
  }
  const steps = get(n, 'steps');
  if (steps?.kind === 'seq') {
    steps.items.forEach((s, index) => {
      if (s.kind !== 'map') return;
      const usesN = get(s, 'uses');
      const withNode = get(s, 'with');
      const withMap = new Map<string, PNode>();
      const withKeys = new Map<string, Prov>();
      if (withNode?.kind === 'map') {
        for (const e of withNode.entries) {
          withMap.set(e.key, e.value);
          withKeys.set(e.key, e.keyProv);
        }
      }
      const runN = get(s, 'run');
      const sh = githubShell(text(get(s, 'shell')) ?? shellText, runsOn.includes('windows'));
      job.steps.push({
        index,
        id: text(get(s, 'id')),
        name: text(get(s, 'name')),
        prov: s.prov,
        uses: usesN?.kind === 'scalar' ? parseActionRef(String(usesN.value ?? ''), usesN.prov) : null,
        with: withMap,
        withKeys,
        run: runN?.kind === 'scalar' ? runScript(runN, lines, sh.shell, sh.errexit, sh.pipefail) : null,
        env: envMap(get(s, 'env')),
        workingDirectory: text(get(s, 'working-directory')) ?? (runN ? jobWd : null),
        continueOnError: flag(s, 'continue-on-error'),
        if: text(get(s, 'if')),
      });
    });
  }
  job.instances = instances(wf, job);
  return job;
}

function instances(wf: Workflow, job: Job): JobInstance[] {
  if (job.matrix.status === 'unknown') {
    // One instance with an unknown matrix: what does not depend on the matrix is still known.
    return [instanceOf(wf, job, null)];
  }
  return job.matrix.combinations.map((m) => instanceOf(wf, job, m));
}

function instanceOf(wf: Workflow, job: Job, matrix: Record<string, MatrixValue> | null): JobInstance {
  const inst: JobInstance = { label: matrix ? matrixLabel(matrix) : 'matrix unknown', matrix: matrix ?? {}, steps: [] };
  const carry = { cwd: '' as string | null, shell: { errexitOff: null, pipefail: true } as ShellState, last: false };
  job.steps.forEach((step, k) => {
    const env = new Map([...wf.env, ...job.variables, ...job.env, ...step.env]);
    // GitLab `parallel: matrix:` values are variables of the job.
    if (wf.platform === 'gitlab' && matrix) for (const [k, v] of Object.entries(matrix)) env.set(k, valueText(v));
    const scope: Scope = { matrix, env };
    const withs = new Map<string, { resolved: Resolved; node: PNode }>();
    for (const [k, node] of step.with) {
      const raw = node.kind === 'scalar' ? (node.value === null ? '' : String(node.value)) : '';
      withs.set(k, { resolved: resolveExpressions(raw, scope), node });
    }
    let wd: string | null = '';
    if (step.workingDirectory !== null) {
      const r = resolveExpressions(step.workingDirectory, scope);
      wd = normaliseDir(r.value);
    }
    let coe: boolean | null = null;
    if (step.continueOnError) {
      coe = step.continueOnError.value;
      if (coe === null) {
        const r = resolveExpressions(step.continueOnError.raw, scope).value.trim().toLowerCase();
        coe = r === 'true' ? true : r === 'false' ? false : null;
      }
    }
    const gitlab = wf.platform === 'gitlab';
    // GitLab: `after_script` runs in a new shell; the last line of a section decides its exit status.
    const next = job.steps[k + 1];
    if (gitlab && k > 0 && job.steps[k - 1].section !== step.section && step.section === 'after_script')
      carry.shell = { errexitOff: null, pipefail: true };
    carry.last = !next || next.section !== step.section;
    const commands = step.run ? instanceCommands(step.run, scope, wd, wf.path, gitlab ? carry : undefined) : [];
    inst.steps.push({ step, with: withs, commands, workingDirectory: gitlab ? carry.cwd : wd, continueOnError: coe, env });
  });
  return inst;
}

/** Jobs of a reusable workflow (`on: workflow_call`) run on the triggers of the local jobs that call it. */
function linkReusableWorkflows(workflows: Workflow[]): void {
  const byPath = new Map(workflows.map((w) => [w.path, w]));
  for (const caller of workflows) {
    for (const job of caller.jobs) {
      if (job.uses?.kind !== 'local') continue;
      const callee = byPath.get(posix.normalize(job.uses.name.replace(/@.*$/, '')).replace(/^\.\//, ''));
      if (!callee?.reusable) continue;
      for (const j of callee.jobs) {
        const extra = job.triggers.filter((t) => !j.triggers.some((x) => x.event === t.event && x.prov === t.prov));
        j.triggers = [...j.triggers, ...extra];
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

const GITLAB_RESERVED = new Set([
  'default',
  'include',
  'before_script',
  'image',
  'services',
  'after_script',
  'variables',
  'stages',
  'cache',
  'workflow',
  'types',
  'spec',
]);

/** Deep merge for `extends`: maps merge key by key, everything else is replaced by the child. */
function mergeMaps(base: PMap, over: PMap): PMap {
  const entries = base.entries.filter((e) => !over.entries.some((o) => o.key === e.key));
  for (const o of over.entries) {
    const b = base.entries.find((e) => e.key === o.key);
    if (b && b.value.kind === 'map' && o.value.kind === 'map') entries.push({ ...o, value: mergeMaps(b.value, o.value) });
    else entries.push(o);
  }
  return { kind: 'map', entries, prov: over.prov };
}

function resolveExtends(root: PMap, n: PMap, seen: Set<string>): { node: PMap; names: string[] } {
  const names = strings(get(n, 'extends'));
  let base: PMap | null = null;
  const all: string[] = [];
  for (const name of names) {
    if (seen.has(name)) continue;
    const t = get(root, name);
    if (t?.kind !== 'map') continue;
    const inner = resolveExtends(root, t, new Set([...seen, name]));
    all.push(name, ...inner.names);
    base = base ? mergeMaps(base, inner.node) : inner.node;
  }
  return { node: base ? mergeMaps(base, n) : n, names: all };
}

/** `!reference [.job, script]` → the referenced node. */
function deref(root: PMap, n: PNode): PNode[] {
  if (n.kind === 'seq' && n.tag === '!reference') {
    let cur: PNode | undefined = root;
    for (const part of n.items) cur = get(cur, text(part) ?? '');
    if (!cur) return [];
    return cur.kind === 'seq' ? cur.items.flatMap((i) => deref(root, i)) : [cur];
  }
  if (n.kind === 'seq') return n.items.flatMap((i) => deref(root, i));
  return [n];
}

function scriptLines(root: PMap, n: PNode | undefined): PScalar[] {
  if (!n) return [];
  return deref(root, n).filter((x): x is PScalar => x.kind === 'scalar' && x.value !== null);
}

type Source = 'push' | 'pr' | 'schedule' | 'manual' | 'tag';
const SOURCES: Source[] = ['push', 'pr', 'schedule', 'manual', 'tag'];
type Tri = boolean | null;

interface VarValue {
  defined: boolean | null;
  value: string | null;
}

function predefined(name: string, src: Source): VarValue {
  switch (name) {
    case 'CI_PIPELINE_SOURCE':
      return {
        defined: true,
        value: src === 'pr' ? 'merge_request_event' : src === 'schedule' ? 'schedule' : src === 'manual' ? 'web' : 'push',
      };
    case 'CI_COMMIT_BRANCH':
      return { defined: src === 'push' || src === 'schedule' || src === 'manual', value: null };
    case 'CI_COMMIT_TAG':
      return { defined: src === 'tag', value: null };
    case 'CI_MERGE_REQUEST_IID':
    case 'CI_MERGE_REQUEST_ID':
    case 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME':
    case 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME':
      return { defined: src === 'pr', value: null };
    case 'CI_COMMIT_REF_NAME':
    case 'CI_DEFAULT_BRANCH':
    case 'CI_COMMIT_SHA':
      return { defined: true, value: null };
    default:
      return { defined: null, value: null };
  }
}

/** Evaluates a GitLab `rules: if:` expression for a pipeline source: true, false, or null (depends on other things). */
export function evalGitlabIf(expr: string, src: Source): Tri {
  const toks =
    expr.match(/\$\{?\w+\}?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/(?:[^/\\]|\\.)*\/[a-z]*|==|!=|=~|!~|&&|\|\||\(|\)|null|[^\s()]+/g) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const operand = (): VarValue | { lit: string | null; regex?: RegExp | null } => {
    const t = toks[i++] ?? '';
    if (t.startsWith('$')) return predefined(t.replace(/^\$\{?|\}$/g, ''), src);
    if (t === 'null') return { lit: null };
    if (t.startsWith('"') || t.startsWith("'")) return { lit: t.slice(1, -1) };
    if (t.startsWith('/')) {
      const m = /^\/(.*)\/([a-z]*)$/.exec(t);
      let re: RegExp | null = null;
      try {
        re = m ? new RegExp(m[1], m[2].replace(/[^imsu]/g, '')) : null;
      } catch {
        re = null;
      }
      return { lit: t, regex: re };
    }
    return { lit: t };
  };
  const primary = (): Tri => {
    if (peek() === '(') {
      i++;
      const v = orExpr();
      if (peek() === ')') i++;
      return v;
    }
    const left = operand();
    const op = peek();
    if (op === '==' || op === '!=' || op === '=~' || op === '!~') {
      i++;
      const right = operand();
      let r: Tri;
      if ('defined' in left) {
        const lit = 'lit' in right ? right.lit : null;
        if (op === '==' || op === '!=') {
          if (lit === null && 'lit' in right) r = left.defined === null ? null : !left.defined;
          else if (left.defined === false) r = false;
          else if (left.value !== null && lit !== null) r = left.value === lit;
          else r = null;
          if (op === '!=' && r !== null) r = !r;
        } else {
          const re = 'regex' in right ? right.regex : null;
          if (left.defined === false) r = false;
          else if (left.value !== null && re) r = re.test(left.value);
          else r = null;
          if (op === '!~' && r !== null) r = !r;
        }
      } else r = null;
      return r;
    }
    if ('defined' in left) return left.defined === null ? null : left.defined;
    return null;
  };
  const andExpr = (): Tri => {
    let v = primary();
    while (peek() === '&&') {
      i++;
      const r = primary();
      v = v === false || r === false ? false : v === true && r === true ? true : null;
    }
    return v;
  };
  const orExpr = (): Tri => {
    let v = andExpr();
    while (peek() === '||') {
      i++;
      const r = andExpr();
      v = v === true || r === true ? true : v === false && r === false ? false : null;
    }
    return v;
  };
  return orExpr();
}

/** Which pipeline sources a `rules:` list lets a job (or the pipeline) run in, and how. */
function rulesSources(rules: PNode): Map<Source, 'yes' | 'manual'> {
  const out = new Map<Source, 'yes' | 'manual'>();
  const list = rules.kind === 'seq' ? rules.items : [];
  for (const src of SOURCES) {
    for (const rule of list) {
      if (rule.kind !== 'map') continue;
      const cond = get(rule, 'if');
      const c: Tri = cond ? evalGitlabIf(text(cond) ?? '', src) : get(rule, 'changes') || get(rule, 'exists') ? null : true;
      if (c === false) continue;
      const when = text(get(rule, 'when')) ?? 'on_success';
      if (when === 'never') {
        if (c === true) break;
        continue;
      }
      out.set(src, when === 'manual' ? 'manual' : 'yes');
      break;
    }
  }
  return out;
}

function onlySources(n: PNode): Set<Source> {
  const refs = n.kind === 'map' ? strings(get(n, 'refs')) : strings(n);
  const out = new Set<Source>();
  for (const r of refs) {
    switch (r) {
      case 'branches':
        out.add('push').add('schedule').add('manual');
        break;
      case 'tags':
        out.add('tag');
        break;
      case 'merge_requests':
        out.add('pr');
        break;
      case 'schedules':
        out.add('schedule');
        break;
      case 'web':
      case 'api':
      case 'triggers':
      case 'pipelines':
        out.add('manual');
        break;
      case 'pushes':
        out.add('push');
        break;
      default:
        // a branch name or pattern
        out.add('push');
    }
  }
  return out;
}

function mentionsSchedule(n: PNode | undefined): boolean {
  if (!n) return false;
  if (n.kind === 'scalar') return /schedule/.test(String(n.value ?? ''));
  if (n.kind === 'seq') return n.items.some(mentionsSchedule);
  return n.entries.some((e) => mentionsSchedule(e.value));
}

const SOURCE_EVENT: Record<Source, string> = { push: 'push', pr: 'merge_request_event', schedule: 'schedule', manual: 'web', tag: 'tag' };
const SOURCE_KIND: Record<Source, TriggerKind> = { push: 'push', pr: 'pr', schedule: 'schedule', manual: 'manual', tag: 'tag' };

function jobSources(n: PMap): { sources: Map<Source, 'yes' | 'manual'>; prov: Prov | null } {
  const rules = get(n, 'rules');
  if (rules) return { sources: rulesSources(rules), prov: rules.prov };
  const when = text(get(n, 'when'));
  let set = new Set<Source>(['push', 'schedule', 'manual', 'tag']);
  const only = get(n, 'only');
  if (only) set = onlySources(only);
  const except = get(n, 'except');
  if (except) for (const s of onlySources(except)) set.delete(s);
  const sources = new Map<Source, 'yes' | 'manual'>();
  for (const s of set) sources.set(s, when === 'manual' ? 'manual' : 'yes');
  return { sources, prov: only?.prov ?? null };
}

function gitlabWorkflow(path: string, yaml: YamlFile, root: PMap, lines: string[], errors: FileError[]): Workflow {
  const wfRules = get(get(root, 'workflow'), 'rules');
  const wf: Workflow = {
    platform: 'gitlab',
    path,
    name: text(get(get(root, 'workflow'), 'name')),
    yaml,
    onProv: keyProvOf(root, 'workflow'),
    jobsProv: null,
    triggers: [],
    permissions: null,
    env: envMap(get(root, 'variables')),
    defaults: { shell: null, workingDirectory: null },
    jobs: [],
    includes: gitlabIncludes(get(root, 'include')),
    reusable: false,
    fileProv: fileProv(path),
  };
  const defaults = get(root, 'default');
  const defaultBefore = get(defaults, 'before_script') ?? get(root, 'before_script');
  const defaultAfter = get(defaults, 'after_script') ?? get(root, 'after_script');
  const defaultImage = imageName(get(defaults, 'image') ?? get(root, 'image'));

  // Which pipeline sources create pipelines at all.
  const explicitSchedule = mentionsSchedule(wfRules);
  let pipeline: Set<Source>;
  if (wfRules) pipeline = new Set(rulesSources(wfRules).keys());
  else {
    pipeline = new Set<Source>(['push', 'schedule', 'manual', 'tag']);
    // merge request pipelines exist when some job asks for them
    for (const e of root.entries) {
      if (e.value.kind === 'map' && get(e.value, 'rules') && rulesSources(get(e.value, 'rules') as PNode).has('pr')) pipeline.add('pr');
    }
  }
  const pipelineProv = wfRules?.prov ?? fileProv(path);
  wf.triggers = [...pipeline].map((s) => ({
    event: SOURCE_EVENT[s],
    kind: SOURCE_KIND[s],
    branches: null,
    crons: [],
    prov: pipelineProv,
    ...(s === 'schedule' && !explicitSchedule ? { unconfirmed: true } : {}),
  }));

  for (const e of root.entries) {
    if (GITLAB_RESERVED.has(e.key) || e.key.startsWith('.') || e.value.kind !== 'map') continue;
    if (!wf.jobsProv) wf.jobsProv = e.keyProv;
    const { node, names } = resolveExtends(root, e.value, new Set([e.key]));
    if (get(node, 'trigger')) continue; // a child/multi-project pipeline trigger, not a job that runs commands
    const { sources, prov: srcProv } = jobSources(node);
    const jobSchedule = explicitSchedule || mentionsSchedule(get(node, 'rules')) || mentionsSchedule(get(node, 'only'));
    const triggers: Trigger[] = [];
    for (const [s, how] of sources) {
      if (!pipeline.has(s)) continue;
      triggers.push({
        event: how === 'manual' ? 'manual' : SOURCE_EVENT[s],
        kind: how === 'manual' ? 'manual' : SOURCE_KIND[s],
        branches: null,
        crons: [],
        prov: srcProv ?? e.keyProv,
        ...(s === 'schedule' && !jobSchedule ? { unconfirmed: true } : {}),
      });
    }
    const job: Job = {
      id: e.key,
      name: e.key,
      keyProv: e.keyProv,
      prov: e.value.prov,
      permissions: null,
      continueOnError: null,
      allowFailure: flag(node, 'allow_failure'),
      if: null,
      needs: strings(get(node, 'needs')),
      env: new Map(),
      matrix: gitlabMatrix(get(get(node, 'parallel'), 'matrix')),
      steps: [],
      uses: null,
      triggers,
      instances: [],
      extends: names,
      image: imageName(get(node, 'image')) ?? defaultImage,
      template: null,
      variables: new Map([...wf.env, ...envMap(get(node, 'variables'))]),
    };
    const before = get(node, 'before_script') ?? defaultBefore;
    const after = get(node, 'after_script') ?? defaultAfter;
    let index = 0;
    for (const [section, n] of [
      ['before_script', before],
      ['script', get(node, 'script')],
      ['after_script', after],
    ] as const) {
      for (const line of scriptLines(root, n)) {
        job.steps.push({
          index: index++,
          id: null,
          name: null,
          prov: line.prov,
          uses: null,
          with: new Map(),
          withKeys: new Map(),
          run: runScript(line, lines, 'bash', true, true),
          env: new Map(),
          workingDirectory: null,
          continueOnError: null,
          if: null,
          section,
        });
      }
    }
    job.instances = instances(wf, job);
    wf.jobs.push(job);
  }
  if (!wf.jobs.length && !wf.includes.length) errors.push({ file: path, message: 'GitLab CI file defines no jobs', line: 1 });
  return wf;
}

/** `parallel: matrix:` is a list of maps of lists: each map is a product, the list their union. */
function gitlabMatrix(n: PNode | undefined): Matrix {
  if (!n) return { status: 'none', prov: null, combinations: [{}] };
  if (n.kind !== 'seq') return { status: 'unknown', reason: 'the matrix is not a list', prov: n.prov, combinations: [] };
  const combos: Record<string, MatrixValue>[] = [];
  for (const item of n.items) {
    if (item.kind !== 'map') continue;
    let part: Record<string, MatrixValue>[] = [{}];
    for (const e of item.entries) {
      const values = e.value.kind === 'seq' ? e.value.items.map(toMatrixValue) : [toMatrixValue(e.value)];
      const next: Record<string, MatrixValue>[] = [];
      for (const c of part) for (const v of values) next.push({ ...c, [e.key]: v });
      part = next;
    }
    combos.push(...part);
  }
  return { status: 'known', prov: n.prov, combinations: combos.length ? combos : [{}] };
}

function imageName(n: PNode | undefined): string | null {
  if (!n) return null;
  if (n.kind === 'map') return text(get(n, 'name'));
  return text(n);
}

function gitlabIncludes(n: PNode | undefined): Include[] {
  if (!n) return [];
  const items = n.kind === 'seq' ? n.items : [n];
  const out: Include[] = [];
  for (const item of items) {
    if (item.kind === 'scalar') {
      const v = text(item) ?? '';
      out.push({ kind: /^https?:\/\//.test(v) ? 'remote' : 'local', value: v, ref: null, prov: item.prov });
      continue;
    }
    if (item.kind !== 'map') continue;
    for (const kind of ['template', 'local', 'remote', 'component'] as const) {
      const v = get(item, kind);
      if (!v) continue;
      const value = text(v) ?? '';
      const at = kind === 'component' ? value.lastIndexOf('@') : -1;
      out.push({ kind, value: at >= 0 ? value.slice(0, at) : value, ref: at >= 0 ? value.slice(at + 1) : null, prov: v.prov });
    }
    const project = get(item, 'project');
    if (project) out.push({ kind: 'project', value: text(project) ?? '', ref: text(get(item, 'ref')), prov: project.prov });
  }
  return out;
}

/** Cron → how often, in words (`weekly`, `daily`, `hourly`, `monthly`, `scheduled`). */
export function cronFrequency(cron: string): string {
  const f = cron.trim().split(/\s+/);
  if (f.length < 5) return 'scheduled';
  const [min, hour, dom, mon, dow] = f;
  const any = (x: string) => x === '*' || x === '?';
  if (!any(mon)) return 'yearly';
  if (!any(dom)) return 'monthly';
  if (!any(dow)) return dow.includes(',') || dow.includes('-') ? 'several times a week' : 'weekly';
  if (any(hour) || hour.includes('/')) return any(min) || min.includes('/') ? 'more than hourly' : 'hourly';
  if (hour.includes(',')) return 'several times a day';
  return 'daily';
}
