/**
 * What GitHub Actions and GitLab CI parsing share: reading YAML values, `${{ }}` expressions and
 * their substitution per job instance, shell scripts (`run:`, `script:` lines) parsed once with
 * placeholders and the failures they swallow, action references, matrix expansion, job instances.
 */
import { posix } from 'node:path';
import type { ShellScript, Stmt } from '../model/shell.js';
import type {
  ActionRef,
  CmdInstance,
  Disabler,
  FlagSetting,
  Job,
  JobInstance,
  Matrix,
  MatrixValue,
  Resolved,
  RunScript,
  Workflow,
} from '../model/workflow.js';
import type { Location } from '../types.js';
import { parseShell } from './shell.js';
import { get, type PMap, type PNode, type Prov, type PScalar, scalarOrigin, str } from './yaml.js';

// ---------------------------------------------------------------------------------------------
// Shared helpers

export function fileProv(file: string): Prov {
  return { file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 } };
}

export function provLocation(p: Prov): Location {
  return { file: p.file, line: p.range.line, column: p.range.column, endLine: p.range.endLine, endColumn: p.range.endColumn };
}

export function keyProvOf(map: PNode | undefined, key: string): Prov | null {
  if (map?.kind !== 'map') return null;
  for (let i = map.entries.length - 1; i >= 0; i--) if (map.entries[i].key === key) return map.entries[i].keyProv;
  return null;
}

/** Scalar text of a node (numbers and booleans as strings). */
export function text(n: PNode | undefined): string | null {
  const s = str(n);
  return s === undefined ? null : s;
}

export function strings(n: PNode | undefined): string[] {
  if (!n) return [];
  if (n.kind === 'seq') return n.items.map((i) => text(i)).filter((s): s is string => s !== null);
  const s = text(n);
  return s === null ? [] : [s];
}

export function envMap(n: PNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (n?.kind !== 'map') return out;
  for (const e of n.entries) {
    // GitLab `variables: X: { value: ..., description: ... }`.
    const v = e.value.kind === 'map' ? text(get(e.value, 'value')) : text(e.value);
    if (v !== null) out.set(e.key, v);
  }
  return out;
}

export function flag(map: PNode | undefined, key: string): FlagSetting | null {
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

export function toMatrixValue(n: PNode): MatrixValue {
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(toMatrixValue);
  const o: { [k: string]: MatrixValue } = {};
  for (const e of n.entries) o[e.key] = toMatrixValue(e.value);
  return o;
}

export function valueText(v: MatrixValue): string {
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
export interface Scope {
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

export const POSIX_SHELLS = new Set(['bash', 'sh', 'ash', 'dash', 'zsh', 'ksh']);

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

/** Parse a `run:` scalar once. */
export function runScript(s: PScalar, shell: string, errexit: boolean, pipefail: boolean): RunScript {
  const value = s.value === null ? '' : String(s.value);
  const { masked, exprs } = maskExpressions(value);
  const origin = scalarOrigin(s);
  // PowerShell command lines read like shell words for the tools run here (`trivy image x`); its
  // exit status is the last command's (errexit is off), which the caller sets.
  const script = POSIX_SHELLS.has(shell) || shell === 'pwsh' || shell === 'powershell' ? parseShell(masked, origin, { tree: true }) : null;
  return { text: value, script, exprs, shell, errexit, pipefail, prov: s.prov };
}

/** GitHub's `shell:` → program and the flags it runs with. */
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
      : run.shell === 'pwsh' || run.shell === 'powershell'
        ? {
            what: "in a PowerShell step only the last command's exit code fails the step",
            location: provLocation(run.prov),
            fix: 'run the scan as the last command of the step, or follow it with `if ($LASTEXITCODE) { exit $LASTEXITCODE }`',
          }
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

export function instances(wf: Workflow, job: Job): JobInstance[] {
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
