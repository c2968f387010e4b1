/**
 * CI facts, computed once from the parsed workflows: which tools run where (src/knowledge/scanners.ts
 * interpreted against job instances), whether each scan can fail the build, which Dockerfiles CI
 * builds, scans and signs, which lockfiles a dependency audit covers, and the report's
 * "Tool / Scope / Trigger" table. Rules and the report read `Project.ci`; nothing here re-parses.
 */
import {
  ACTIONS,
  type ActionKnowledge,
  BUILD_COMMANDS,
  COMMAND_TOOLS,
  type CommandForm,
  type CommandGate,
  type CommandTool,
  ECOSYSTEM_OF,
  GITLAB_AUTO_DEVOPS,
  GITLAB_SCANNERS,
  GO_RUN,
  INSTALLS,
  managerOf,
  WRAPPERS,
} from '../knowledge/scanners.js';
import { narrowByIf } from '../parse/github.js';
import { parseImageRef } from '../parse/image-ref.js';
import { baseName } from '../parse/shell.js';
import { globToRegExp } from '../parse/update-config.js';
import { cronFrequency, normaliseDir, provLocation, resolveShellVars } from '../parse/workflow.js';
import type { Prov } from '../parse/yaml.js';
import type { Location } from '../types.js';
import type { DockerfileModel } from './dockerfile.js';
import type {
  CiCompose,
  CiDockerfile,
  CiFacts,
  CmdInstance,
  Disabler,
  Gate,
  ImageBuild,
  ImageCoverage,
  Job,
  JobInstance,
  Manager,
  ManifestCoverage,
  Resolved,
  ScanRow,
  StepInstance,
  ToolCategory,
  ToolUse,
  Trigger,
  UpdateConfig,
  Workflow,
} from './workflow.js';

export interface CiInputs {
  workflows: Workflow[];
  unreadable: string[];
  /** Sorted by path; those without a stage are left out (see ciDockerfile). */
  dockerfiles: CiDockerfile[];
  compose: CiCompose[];
  manifests: string[];
  updates: UpdateConfig[];
}

const SCAN_CATEGORIES = new Set<ToolCategory>(['image', 'dependencies', 'sast', 'secrets', 'iac']);

/** What the CI facts keep of a parsed Dockerfile; null when it has no stage (it builds no image). */
export function ciDockerfile(df: DockerfileModel): CiDockerfile | null {
  return df.stages.length ? { path: df.path, from: df.stages[df.stages.length - 1].from } : null;
}

export function ciFacts(input: CiInputs): CiFacts {
  const tools: ToolUse[] = [];
  const builds: ImageBuild[] = [];
  for (const wf of input.workflows) {
    if (wf.platform === 'gitlab') gitlabTemplates(wf, tools);
    for (const job of wf.jobs) {
      for (const inst of job.instances) recogniseInstance(wf, job, inst, input.compose, tools, builds);
    }
  }
  const scans = tools.filter((t) => SCAN_CATEGORIES.has(t.category));
  const images = imageCoverage(input, tools, builds);
  const manifests = manifestCoverage(input.manifests, scans);
  return { tools, scans, builds, images, manifests, table: scanTable(scans, images), updates: input.updates, unreadable: input.unreadable };
}

// ---------------------------------------------------------------------------------------------
// Recognising tools in a job instance

interface Argv {
  positionals: { value: string; index: number }[];
  flags: { name: string; value: string | null; index: number; valueIndex: number | null }[];
}

function parseArgv(args: string[], valueFlags: readonly string[]): Argv {
  const vf = new Set(valueFlags);
  const out: Argv = { positionals: [], flags: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      for (let j = i + 1; j < args.length; j++) out.positionals.push({ value: args[j], index: j });
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) {
        out.flags.push({ name: a.slice(0, eq), value: a.slice(eq + 1), index: i, valueIndex: i });
        continue;
      }
      if (vf.has(a) && i + 1 < args.length) {
        out.flags.push({ name: a, value: args[i + 1], index: i, valueIndex: i + 1 });
        i++;
        continue;
      }
      out.flags.push({ name: a, value: null, index: i, valueIndex: null });
      continue;
    }
    out.positionals.push({ value: a, index: i });
  }
  return out;
}

const flagValues = (argv: Argv, names: readonly string[] | undefined): { value: string; index: number; valueIndex: number | null }[] =>
  names
    ? argv.flags
        .filter((f) => names.includes(f.name) && f.value !== null)
        .map((f) => ({ value: f.value as string, index: f.index, valueIndex: f.valueIndex }))
    : [];
const hasFlag = (argv: Argv, names: readonly string[] | undefined) => !!names && argv.flags.some((f) => names.includes(f.name));

/** A command after unwrapping `sudo`, `npx`, `poetry run`, `python -m`, `go run`, `docker run IMAGE`. */
interface Invocation {
  program: string;
  args: string[];
  /** Index in the command's original args of args[0]. */
  offset: number;
  /** Working directory (docker run mounts mapped back). */
  cwd: string | null;
  /** The command runs in a container (`docker run`): paths are container paths, mapped back through `mounts`. */
  containerPaths: boolean;
  /** Container path → host folder (null when the host side is not a known folder). */
  mounts: Map<string, string | null>;
}

const PYTHONS = /^python(?:\d+(?:\.\d+)?)?$/;
const DOCKER_RUN_VALUE_FLAGS = [
  '-v',
  '--volume',
  '-e',
  '--env',
  '-w',
  '--workdir',
  '--name',
  '--network',
  '--net',
  '-u',
  '--user',
  '--entrypoint',
  '--env-file',
  '--mount',
  '-p',
  '--publish',
  '--platform',
  '--pull',
  '--label',
  '-l',
  '--add-host',
  '--cpus',
  '-m',
  '--memory',
  '--tmpfs',
  '--cap-add',
  '--cap-drop',
  '--security-opt',
  '--ulimit',
  '--hostname',
  '-h',
  '--device',
  '--log-driver',
  '--log-opt',
  '--restart',
  '--shm-size',
  '--ipc',
  '--pid',
  '--group-add',
  '--dns',
  '--gpus',
];

const TOOL_BY_IMAGE = new Map<string, CommandTool>();
for (const t of COMMAND_TOOLS) for (const i of t.images ?? []) TOOL_BY_IMAGE.set(i, t);
const TOOL_BY_MODULE = new Map<string, CommandTool>();
for (const t of COMMAND_TOOLS) for (const m of t.modules ?? []) TOOL_BY_MODULE.set(m, t);

function unwrap(name: string, args: string[], cwd: string | null): Invocation {
  let program = name;
  let offset = 0;
  let rest = args;
  let dir = cwd;
  let containerPaths = false;
  let containerMounts = new Map<string, string | null>();
  for (let depth = 0; depth < 5; depth++) {
    const prog = baseName(program).replace(/(.)@[^/]*$/, '$1');
    if (PYTHONS.test(prog) && rest[0] === '-m' && rest[1]) {
      const tool = TOOL_BY_MODULE.get(rest[1]);
      if (!tool) break;
      program = tool.programs[0];
      rest = rest.slice(2);
      offset += 2;
      continue;
    }
    if (prog === 'go' && rest[0] === 'run' && rest[1]) {
      const mod = rest[1].replace(/@.*$/, '');
      const p = Object.hasOwn(GO_RUN, mod) ? GO_RUN[mod] : undefined;
      if (!p) break;
      program = p;
      rest = rest.slice(2);
      offset += 2;
      continue;
    }
    if ((prog === 'docker' || prog === 'podman') && rest[0] === 'run') {
      const argv = parseArgv(rest.slice(1), DOCKER_RUN_VALUE_FLAGS);
      const image = argv.positionals[0];
      if (!image) break;
      const ref = parseImageRef(image.value).name;
      const entry = flagValues(argv, ['--entrypoint'])[0]?.value;
      const tool = entry ? null : TOOL_BY_IMAGE.get(ref);
      if (!tool && !entry) break;
      // Mounts of the working directory: container path → host folder.
      const mounts = new Map<string, string | null>();
      for (const v of flagValues(argv, ['-v', '--volume'])) {
        const [host, ctr] = v.value.split(':');
        if (!ctr) continue;
        const h = /^(\$\(pwd\)|`pwd`|\$\{?PWD\}?|\.|\$\{\{ github\.workspace \}\}|\$\{?GITHUB_WORKSPACE\}?|\$\{?CI_PROJECT_DIR\}?)$/.test(
          host,
        )
          ? dir
          : normaliseDir(host, dir);
        mounts.set(ctr.replace(/\/$/, ''), h);
      }
      const wd = flagValues(argv, ['-w', '--workdir'])[0]?.value?.replace(/\/$/, '');
      containerPaths = true;
      containerMounts = mounts;
      dir = wd !== undefined && mounts.has(wd) ? (mounts.get(wd) ?? null) : null;
      program = entry ?? (tool as CommandTool).programs[0];
      const start = image.index + 1;
      offset += 1 + start;
      rest = rest.slice(1 + start);
      continue;
    }
    const w = Object.hasOwn(WRAPPERS, prog) ? WRAPPERS[prog] : undefined;
    if (!w) break;
    let r = rest;
    let skipped = 0;
    if (w.sub) {
      if (!w.sub.includes(r[0] ?? '')) break;
      r = r.slice(1);
      skipped++;
    }
    while (r.length && (r[0].startsWith('-') || (prog === 'env' && /^\w+=/.test(r[0])))) {
      if (r[0] === '--') {
        r = r.slice(1);
        skipped++;
        break;
      }
      const two = w.skipValueFlags?.includes(r[0]) ? 2 : 1;
      r = r.slice(two);
      skipped += two;
    }
    if (prog === 'timeout' && r.length) {
      r = r.slice(1);
      skipped++;
    }
    if (!r.length) break;
    program = r[0];
    rest = r.slice(1);
    offset += skipped + 1;
  }
  return { program: baseName(program).replace(/(.)@[^/]*$/, '$1'), args: rest, offset, cwd: dir, containerPaths, mounts: containerMounts };
}

function hostPath(p: string, inv: Invocation): string | null {
  if (!inv.containerPaths) return normaliseDir(p, inv.cwd);
  for (const [ctr, host] of inv.mounts) {
    if (p === ctr || p.startsWith(`${ctr}/`))
      return host === null ? null : normaliseDir(p.slice(ctr.length).replace(/^\//, '') || '.', host);
  }
  if (!p.startsWith('/')) return inv.cwd === null ? null : normaliseDir(p, inv.cwd);
  return null;
}

interface Ctx {
  wf: Workflow;
  job: Job;
  inst: JobInstance;
  si: StepInstance | null;
  tools: ToolUse[];
  builds: ImageBuild[];
  /** Files installed into the job's environment so far (`pip install -r x`). */
  installed: string[];
}

function cmdLocation(c: CmdInstance, file: string): Location {
  const r = c.cmd.range;
  return { file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

function wordsLocation(c: CmdInstance, file: string, from: number, to: number): Location {
  const a = c.words[from]?.range ?? c.cmd.range;
  const b = c.words[to]?.range ?? a;
  return { file, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

function spanLocation(key: Prov, value: Prov): Location {
  return { file: key.file, line: key.range.line, column: key.range.column, endLine: value.range.endLine, endColumn: value.range.endColumn };
}

function literal(value: string): Resolved {
  return { value, literal: !value.includes('$'), unknown: false };
}

function recogniseInstance(wf: Workflow, job: Job, inst: JobInstance, compose: CiCompose[], tools: ToolUse[], builds: ImageBuild[]): void {
  const ctx: Ctx = { wf, job, inst, si: null, tools, builds, installed: [] };
  const first = tools.length;
  for (const si of inst.steps) {
    ctx.si = si;
    const uses = si.step.uses;
    if (uses?.kind === 'repo') {
      if (uses.name === 'github/codeql-action/upload-sarif') reportToCodeScanning(tools.slice(first), si);
      recogniseAction(ctx, si);
    } else if (uses?.kind === 'docker') recogniseDockerAction(ctx, si);
    for (const c of si.commands) recogniseCommand(ctx, c, compose);
  }
}

const SARIF_NAME = /\.sarif(?:\.json)?$/i;
const FORMAT_INPUTS = ['format', 'output-format', 'output_format', 'template', 'sarif'];

/**
 * The SARIF a scan writes: the files (normalised paths from the repository root), whether some file is
 * only known at run time (or not named at all), and its step id (`steps.<id>.outputs.sarif` names its
 * file). Null when it writes no SARIF: a file named `*.sarif` written in another format is not SARIF.
 */
function sarifOutput(t: ToolUse): { files: string[]; unknown: boolean; stepId: string | null } | null {
  const files: string[] = [];
  let unknown = false;
  const add = (p: string, base: string | null) => {
    const d = normaliseDir(p, base);
    if (d === null) unknown = true;
    else if (!files.includes(d)) files.push(d);
  };
  if (t.command) {
    const c = t.command;
    const args = c.args;
    const isSarif = args.some(
      (a) => /^(?:-[\w-]*=)?sarif(?:=.*)?$/i.test(a) || /sarif\.tpl/i.test(a) || /^--?[\w-]*sarif[\w-]*(?:=|$)/i.test(a),
    );
    if (!isSarif) return null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const eq = a.indexOf('=');
      const flag = a.startsWith('-') ? (eq > 0 ? a.slice(0, eq) : a) : null;
      const val = flag && eq > 0 ? a.slice(eq + 1) : a;
      // `-o sarif=out.sarif` (grype), `--sarif-file-output=x` (snyk), `--output x.sarif`.
      const grype = /^sarif=(.+)$/i.exec(val);
      if (grype) add(grype[1], c.cwd);
      else if (flag && /sarif/i.test(flag) && eq > 0) add(val, c.cwd);
      else if (flag && /sarif/i.test(flag) && /^--?[\w-]*sarif-(?:file|output)[\w-]*$/i.test(flag) && args[i + 1]) add(args[i + 1], c.cwd);
      else if (!a.startsWith('-') && SARIF_NAME.test(val)) add(val, c.cwd);
      else if (flag && eq > 0 && SARIF_NAME.test(val)) add(val, c.cwd);
    }
    for (const r of c.cmd.redirects) if (!/^(?:\d+|&\d*|\/dev\/.*|-)$/.test(r)) add(r, c.cwd);
    if (!files.length) unknown = true;
    return { files, unknown, stepId: t.step?.id ?? null };
  }
  const si = t.instance.steps.find((x) => x.step === t.step);
  if (!si) return null;
  const v = (k: string) => si.with.get(k)?.resolved.value;
  const k = t.step?.uses ? actionFor(t.step.uses.name) : null;
  const known = k?.sarif;
  if (known) {
    const fmt = (v(known.formatInput) ?? known.formatDefault).trim().toLowerCase();
    const viaTemplate = fmt === 'template' && known.templateInput && /sarif/i.test(v(known.templateInput) ?? '');
    if (fmt !== 'sarif' && !viaTemplate) return null;
    const file = known.fileInput ? v(known.fileInput) : undefined;
    if (file?.trim()) add(file, '');
    else if (known.fileDefault) add(known.fileDefault, '');
    return { files, unknown, stepId: si.step.id ?? null };
  }
  // Other actions: an input naming the format says sarif (or `sarif: true`); the files are the inputs named `*.sarif`.
  const says = FORMAT_INPUTS.some((key) => {
    const x = (v(key) ?? '').trim();
    return key === 'sarif' ? /^true$/i.test(x) : splitList(x).some((y) => /^sarif$/i.test(y) || /sarif\.tpl/i.test(y));
  });
  if (!says) return null;
  for (const [, w] of si.with) for (const x of splitList(w.resolved.value)) if (SARIF_NAME.test(x)) add(x, '');
  if (!files.length) unknown = true;
  return { files, unknown, stepId: si.step.id ?? null };
}

/** Whether an uploaded `sarif_file` (a file, or a folder: every `*.sarif` under it) holds a file. */
function uploadHolds(uploaded: string, file: string): boolean {
  return uploaded === file || (SARIF_NAME.test(file) && (uploaded === '' || file.startsWith(`${uploaded}/`)));
}

/**
 * `github/codeql-action/upload-sarif` after scans that write SARIF: the scan whose SARIF file is the one
 * uploaded (the file itself, a folder holding it, or `steps.<its id>.outputs.*`) reaches code scanning,
 * whose pull request check fails on new alerts, so it gates there whatever its exit code. A scan whose
 * SARIF goes elsewhere is not gated by the upload. When the uploaded path or the scan's file is only known
 * at run time, a scan that could not otherwise fail is unknown rather than gated.
 */
function reportToCodeScanning(before: ToolUse[], upload: StepInstance): void {
  const line = upload.step.uses?.prov.range.line;
  // Without `sarif_file` it uploads `../results`, where CodeQL's analysis writes: no other scan's file.
  const raw = upload.with.get('sarif_file')?.resolved.value;
  if (raw === undefined) return;
  const uploaded = normaliseDir(raw);
  const stepRef = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.[\w-]+\s*\}\}$/.exec(raw.trim());
  for (const t of before) {
    // A scan that already fails the build keeps that gate (and its evidence); the others gate in code scanning.
    if (!SCAN_CATEGORIES.has(t.category) || t.gate.status === 'reported' || t.gate.status === 'can-fail') continue;
    const out = sarifOutput(t);
    if (!out) continue;
    const hit = stepRef ? out.stepId === stepRef[1] : uploaded !== null && out.files.some((f) => uploadHolds(uploaded, f));
    if (hit) {
      t.gate = { status: 'reported', disabledBy: [], note: `findings go to code scanning (SARIF uploaded at line ${line})` };
      continue;
    }
    // Not this scan's file for sure: the path is literal and so is the scan's, or the upload names another scan step's output.
    if (t.gate.status !== 'cannot-fail') continue;
    if (stepRef ? before.some((b) => b !== t && sarifOutput(b)?.stepId === stepRef[1]) : uploaded !== null && !out.unknown) continue;
    t.gate = {
      status: 'unknown',
      disabledBy: [],
      note:
        uploaded === null || stepRef
          ? `the SARIF file uploaded at line ${line} (\`${raw}\`) is only known at run time, so whether it holds this scan's findings is unknown`
          : `its SARIF file is only known at run time, so whether the upload at line ${line} holds it is unknown`,
    };
  }
}

function baseUse(
  ctx: Ctx,
  fields: Partial<ToolUse> & Pick<ToolUse, 'id' | 'tool' | 'category' | 'via' | 'location' | 'scope' | 'gate'>,
): ToolUse {
  return {
    workflow: ctx.wf,
    job: ctx.job,
    instance: ctx.inst,
    step: ctx.si?.step ?? null,
    command: null,
    imageRefs: [],
    paths: [],
    files: [],
    managers: [],
    languages: [],
    ...narrowedTriggers(ctx),
    unknown: ctx.job.matrix.status === 'unknown' ? (ctx.job.matrix.reason ?? 'the job matrix is unknown') : null,
    ...fields,
  };
}

/** The job's triggers, narrowed by the step's `if: github.event_name ...` (GitHub), and the `if:` that narrows them, if one does. */
function narrowedTriggers(ctx: Ctx): Pick<ToolUse, 'triggers' | 'narrowedBy'> {
  const { wf, job } = ctx;
  const step = ctx.si?.step;
  if (wf.platform !== 'github') return { triggers: job.triggers, narrowedBy: null };
  if (step?.if && step.ifProv) {
    const triggers = narrowByIf(job.triggers, step.if);
    if (triggers.length < job.triggers.length)
      return { triggers, narrowedBy: { what: `the step's \`if: ${step.if}\``, location: provLocation(step.ifProv) } };
  }
  // (job.triggers is the workflow's narrowed by the job's `if:`: src/parse/github.ts.)
  if (job.if && job.ifProv && job.triggers.length < wf.triggers.length)
    return { triggers: job.triggers, narrowedBy: { what: `job \`${job.id}\`'s \`if: ${job.if}\``, location: provLocation(job.ifProv) } };
  return { triggers: job.triggers, narrowedBy: null };
}

/** A build tool's use: category `build`, and a build can always fail the job. */
function buildUse(ctx: Ctx, fields: Partial<ToolUse> & Pick<ToolUse, 'id' | 'tool' | 'via' | 'location' | 'scope'>): ToolUse {
  return baseUse(ctx, { ...fields, category: 'build', gate: { status: 'can-fail', disabledBy: [], note: '' } });
}

/** Disablers that apply to every tool run of a step: `continue-on-error`, GitLab `allow_failure`, `after_script`. */
function stepDisablers(ctx: Ctx): Disabler[] {
  const out: Disabler[] = [];
  const si = ctx.si;
  const s = si?.step;
  if (si && s?.continueOnError && si.continueOnError === true) {
    out.push({
      what: 'the step has `continue-on-error: true`',
      location: spanLocation(s.continueOnError.keyProv, s.continueOnError.prov),
      fix: 'remove `continue-on-error: true`',
    });
  }
  const j = ctx.job;
  if (j.continueOnError?.value === true)
    out.push({
      what: 'the job has `continue-on-error: true`',
      location: spanLocation(j.continueOnError.keyProv, j.continueOnError.prov),
      fix: 'remove `continue-on-error: true` from the job',
    });
  if (j.allowFailure?.value === true)
    out.push({
      what: 'the job has `allow_failure: true`',
      location: spanLocation(j.allowFailure.keyProv, j.allowFailure.prov),
      fix: 'remove `allow_failure: true`',
    });
  if (s?.section === 'after_script')
    out.push({
      what: 'it runs in `after_script`, whose failures never fail the job',
      location: provLocation(s.prov),
      fix: 'move it to `script`',
    });
  return out;
}

function finishGate(ctx: Ctx, own: Disabler[], base: { status: Gate['status']; note: string }, extra: Disabler[] = []): Gate {
  const disabledBy = [...own, ...extra, ...stepDisablers(ctx)];
  if (disabledBy.length) return { status: 'cannot-fail', disabledBy, note: base.note };
  return { status: base.status, disabledBy: [], note: base.note };
}

// ---- actions

function actionFor(name: string): ActionKnowledge | null {
  let best: ActionKnowledge | null = null;
  for (const a of ACTIONS) {
    if (name === a.uses || (a.prefix && name.startsWith(`${a.uses}/`)) || name.startsWith(`${a.uses}/.github/workflows/`)) {
      if (!best || a.uses.length > best.uses.length) best = a;
    }
  }
  return best;
}

function input(si: StepInstance, name: string): { resolved: Resolved; location: Location } | null {
  const w = si.with.get(name);
  if (!w) return null;
  const key = si.step.withKeys.get(name);
  return { resolved: w.resolved, location: key ? spanLocation(key, w.node.prov) : provLocation(w.node.prov) };
}

/** An input's value quoted as the workflow writes it (`fail-build: false`, `exit-code: '1'`, `exit-code: "1"`). */
function asWritten(si: StepInstance, name: string, value: string): string {
  const node = si.with.get(name)?.node;
  if (node?.kind !== 'scalar') return value;
  return node.style === 'single' ? `'${value}'` : node.style === 'double' ? `"${value}"` : value;
}

function splitList(v: string): string[] {
  return v
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

function recogniseAction(ctx: Ctx, si: StepInstance): void {
  const uses = si.step.uses;
  if (!uses) return;
  const k = actionFor(uses.name);
  if (!k) return;
  const location = provLocation(uses.prov);
  let category: ToolCategory | null = k.category;
  if (k.categoryInput) {
    const v = input(si, k.categoryInput.input)?.resolved.value.trim() || k.categoryInput.default;
    category = k.categoryInput.values[v] ?? null;
  }
  let commandWord = '';
  if (k.commandInput) {
    commandWord = (input(si, k.commandInput.input)?.resolved.value ?? k.commandInput.default).trim();
    const cmds = commandWord.split(/[\s,]+/).filter(Boolean);
    const matched = k.commandInput.scanCommands.some((c) => cmds.includes(c) || commandWord === c);
    const special = k.commandInput.categories?.[commandWord];
    if (special) category = special;
    else if (!matched && category !== 'setup') {
      if (commandWord === 'monitor' && category) {
        // `snyk monitor`: records a snapshot, cannot fail.
      } else return;
    }
  }
  if (!category) return;

  if (k.build) {
    buildFromAction(ctx, si, k, location);
    return;
  }
  if (k.id === 'docker-bake') {
    ctx.builds.push({
      use: buildUse(ctx, {
        id: k.id,
        tool: k.tool,
        via: 'action',
        location,
        scope: k.scope,
      }),
      dockerfile: null,
      context: null,
      tags: [],
      platforms: splitList(input(si, 'set')?.resolved.value ?? '').filter((s) => /platform/.test(s)),
      push: null,
      stepId: si.step.id,
      unknown: 'bake definitions are not analysed',
    });
    return;
  }

  // Extra arguments (`args: -no-fail ./...`) interpreted as the command tool's.
  let argv: Argv | null = null;
  let argsLoc: Location | null = null;
  let argsTool: CommandTool | undefined;
  if (k.argsInput) {
    const a = input(si, k.argsInput.input);
    argsTool = COMMAND_TOOLS.find((t) => t.id === k.argsInput?.tool);
    if (a && argsTool) {
      argv = parseArgv(splitWords(a.resolved.value), argsTool.valueFlags);
      argsLoc = a.location;
    }
  }

  // Gate
  const own: Disabler[] = [];
  let status: Gate['status'] = k.gate.reported ? 'reported' : 'can-fail';
  let note = k.gate.reported ?? k.gate.note ?? '';
  if (k.gate.input) {
    const i = input(si, k.gate.input);
    const v = (i?.resolved.value ?? k.gate.default ?? '')
      .trim()
      .replace(/^['"]|['"]$/g, '')
      .toLowerCase();
    if (i && !i.resolved.literal) {
      status = 'unknown';
      note = `\`${k.gate.input}\` is decided at run time`;
    } else if (k.gate.passValues?.includes(v)) {
      own.push(
        i
          ? { what: `\`${k.gate.input}: ${asWritten(si, k.gate.input, i.resolved.value.trim())}\``, location: i.location, fix: gateFix(k) }
          : { what: `${k.tool}'s \`${k.gate.input}\` defaults to '${k.gate.default}'`, location, fix: gateFix(k) },
      );
    } else note = i ? `\`${k.gate.input}: ${asWritten(si, k.gate.input, i.resolved.value.trim())}\`` : `\`${k.gate.input}: '${v}'\``;
  } else if (!k.gate.failsByDefault && !k.gate.reported && !(argv && argsTool?.forms[0].gate.onFlags?.some((f) => hasFlag(argv, [f])))) {
    own.push({
      what: `${k.tool} ${k.gate.note ?? 'has no option to fail on findings'}`,
      location,
      fix: 'run the tool so that it exits non-zero on findings',
    });
  }
  if (commandWord === 'monitor')
    own.push({
      what: '`command: monitor` only records a snapshot',
      location: input(si, 'command')?.location ?? location,
      fix: 'use `command: test`',
    });
  if (argv && argsTool) {
    for (const off of offFlagsOf(argsTool, argv))
      own.push({ what: `\`${off}\` in \`${k.argsInput?.input}\``, location: argsLoc ?? location, fix: `remove \`${off}\`` });
  }
  const gate = finishGate(ctx, own, { status, note });

  const base = { id: k.id, tool: k.tool, via: 'action' as const, location, gate };
  const categories: ToolCategory[] = [category];
  if (k.scannersInput && category === 'dependencies') {
    const sc = input(si, k.scannersInput.input);
    const list = sc ? splitList(sc.resolved.value) : k.scannersInput.default;
    categories.length = 0;
    for (const s of list) {
      const c = k.scannersInput.values[s];
      if (c && !categories.includes(c)) categories.push(c);
    }
  }
  for (const cat of categories) {
    const use = baseUse(ctx, { ...base, category: cat, scope: k.category === cat ? k.scope : scopeFor(cat, k.scope) });
    if (cat === 'image' || cat === 'signing') {
      for (const name of k.imageInputs ?? []) {
        const v = input(si, name);
        if (v) use.imageRefs.push(...splitList(v.resolved.value).map((x) => ({ ...v.resolved, value: x })));
      }
      if (cat === 'image' && !use.imageRefs.length && (input(si, 'input') || input(si, 'path') || input(si, 'sbom'))) {
        if (k.id === 'grype' && input(si, 'path')) {
          // anchore/scan-action with `path:` scans a folder, not an image.
          use.category = 'dependencies';
        } else use.unknown = use.unknown ?? 'it scans an image archive or SBOM, not a tag';
      }
      if (cat === 'image' && !use.imageRefs.length && !use.unknown) use.unknown = 'no image reference is given';
    }
    if (use.category === 'dependencies' || cat === 'secrets' || cat === 'sast' || cat === 'iac') {
      const paths: string[] = [];
      for (const name of k.pathInputs ?? []) {
        const v = input(si, name);
        if (v) paths.push(...splitWords(v.resolved.value));
      }
      if (argv && argsTool) {
        const form = argsTool.forms.find((f) => f.category === use.category) ?? argsTool.forms[0];
        const r = scopeOfArgv(form, argv, {
          program: argsTool.programs[0],
          args: [],
          offset: 0,
          cwd: '',
          containerPaths: false,
          mounts: new Map(),
        });
        paths.push(...r.paths.map((p) => p.path ?? '.'));
        use.files.push(...(r.files.filter((f) => f !== null) as string[]));
      }
      if (!paths.length && !use.files.length && k.defaultPath !== undefined && k.defaultPath !== null) paths.push(k.defaultPath);
      for (const p of paths) {
        const d = normaliseDir(p);
        if (d === null) use.unknown = use.unknown ?? `the scanned path \`${p}\` is decided at run time`;
        else use.paths.push({ path: d, recursive: k.recursive ?? true });
      }
      for (const name of k.fileInputs ?? []) {
        const v = input(si, name);
        if (!v) continue;
        for (const f of splitWords(v.resolved.value)) {
          const d = normaliseDir(f);
          if (d === null) use.unknown = use.unknown ?? `\`${f}\` is decided at run time`;
          else if (/\.(txt|lock|toml|json|cfg|in)$/.test(d)) use.files.push(d);
          else use.paths.push({ path: d, recursive: false });
        }
      }
      if (!use.paths.length && !use.files.length && k.fileInputs) use.files.push(...ctx.installed);
      use.managers = k.managers ?? [];
    }
    if (cat === 'sast') {
      use.languages = languagesOf(ctx, si, k);
    }
    if (k.pullRequestOnly) use.triggers = use.triggers.filter((t) => t.kind === 'pr');
    ctx.tools.push(use);
  }
}

function scopeFor(cat: ToolCategory, fallback: string): string {
  switch (cat) {
    case 'secrets':
      return 'secrets in the repository';
    case 'iac':
      return 'IaC configuration';
    case 'dependencies':
      return 'filesystem';
    default:
      return fallback;
  }
}

function languagesOf(ctx: Ctx, si: StepInstance, k: ActionKnowledge): string[] {
  if (k.languagesInput) {
    const own = input(si, k.languagesInput);
    if (own) return splitList(own.resolved.value);
    // CodeQL analyze: the languages of the `init` step before it.
    for (const other of ctx.inst.steps) {
      if (other === si) break;
      const a = other.step.uses ? actionFor(other.step.uses.name) : null;
      if (a?.languagesInput && other.with.get(a.languagesInput)) return splitList(other.with.get(a.languagesInput)?.resolved.value ?? '');
    }
  }
  return k.languages ?? [];
}

/** Whitespace-separated words with simple quotes (`args:` inputs). */
function splitWords(v: string): string[] {
  return (v.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
}

function buildFromAction(ctx: Ctx, si: StepInstance, k: ActionKnowledge, location: Location): void {
  const b = k.build;
  if (!b) return;
  const use = buildUse(ctx, {
    id: k.id,
    tool: k.tool,
    via: 'action',
    location,
    scope: k.scope,
  });
  const ctxIn = input(si, b.context);
  const fileIn = input(si, b.file);
  let unknown: string | null = use.unknown;
  let context: string | null = '';
  if (ctxIn) {
    const v = ctxIn.resolved.value.trim();
    context = /^(https?:|git@|\{\{\s*defaultContext\s*\}\})/.test(v) ? '' : normaliseDir(v);
    if (context === null) unknown = unknown ?? `the build context \`${v}\` is decided at run time`;
  }
  let dockerfile: string | null = null;
  if (fileIn) {
    dockerfile = normaliseDir(fileIn.resolved.value.trim());
    if (dockerfile === null) unknown = unknown ?? `the Dockerfile \`${fileIn.resolved.value.trim()}\` is decided at run time`;
  } else if (context !== null) dockerfile = context ? `${context}/Dockerfile` : 'Dockerfile';
  const tags = splitList(input(si, b.tags)?.resolved.value ?? '').flatMap(
    (t) => metadataTags(ctx, t) ?? [{ ...(input(si, b.tags)?.resolved as Resolved), value: t }],
  );
  const outputs = input(si, 'outputs');
  const named = outputs ? imageOutputs(outputs.resolved.value) : { names: [], push: false };
  for (const n of named.names)
    if (!tags.some((t) => t.value === n)) tags.push({ ...(outputs as { resolved: Resolved }).resolved, value: n });
  const platforms = splitList(input(si, b.platforms)?.resolved.value ?? '');
  const pushV = named.push ? 'true' : input(si, b.push)?.resolved.value.trim().toLowerCase();
  ctx.builds.push({
    use,
    dockerfile,
    context,
    tags,
    platforms,
    push: pushV === undefined ? false : pushV === 'true' ? true : pushV === 'false' ? false : null,
    stepId: si.step.id,
    unknown,
  });
  ctx.tools.push(use);
}

/**
 * The image names of build-push-action's `outputs:` (`type=image,name=ghcr.io/acme/api,push-by-digest=true,push=true`; one
 * export a line, CSV fields, `"name=a,b"` quoted for several names) and whether one of them pushes.
 */
function imageOutputs(value: string): { names: string[]; push: boolean } {
  const names: string[] = [];
  let push = false;
  for (const line of value.split('\n')) {
    const fields = (line.match(/(?:"[^"]*"|[^,])+/g) ?? []).map((f) =>
      f
        .trim()
        .replace(/^"|"$/g, '')
        .replace(/^([\w-]+=)"(.*)"$/, '$1$2'),
    );
    const kv = new Map<string, string[]>();
    let last = '';
    for (const f of fields) {
      const eq = f.indexOf('=');
      // A field without `=` continues the previous value (`name=a,b` unquoted).
      if (eq < 0) {
        if (last) kv.get(last)?.push(f);
        continue;
      }
      last = f.slice(0, eq).trim();
      kv.set(last, [...(kv.get(last) ?? []), ...f.slice(eq + 1).split(',')]);
    }
    const type = kv.get('type')?.[0];
    if (type !== 'image' && type !== 'registry') continue;
    for (const n of kv.get('name') ?? []) if (n.trim() && !names.includes(n.trim())) names.push(n.trim());
    if (type === 'registry' || kv.get('push')?.[0] === 'true') push = true;
  }
  return { names, push };
}

const META_TAGS = /^\$\{\{ steps\.([\w-]+)\.outputs\.tags \}\}$/;

/** `tags: ${{ steps.meta.outputs.tags }}` of `docker/metadata-action`: its `images`, each with a tag known only at run time. */
function metadataTags(ctx: Ctx, tag: string): Resolved[] | null {
  const m = META_TAGS.exec(tag);
  if (!m) return null;
  const meta = ctx.inst.steps.find((x) => x.step.id === m[1] && x.step.uses && actionFor(x.step.uses.name)?.id === 'docker-metadata');
  const images = meta?.with.get('images');
  if (!meta || !images) return null;
  return splitList(images.resolved.value.replace(/\bname=/g, '').replace(/,\s*enable=[^,\n]*/g, ''))
    .filter((i) => !i.includes('='))
    .map((i) => ({ value: `${i}:\${{ steps.${m[1]}.outputs.version }}`, literal: false, unknown: images.resolved.unknown }));
}

function recogniseDockerAction(ctx: Ctx, si: StepInstance): void {
  const uses = si.step.uses;
  if (!uses) return;
  const tool = TOOL_BY_IMAGE.get(parseImageRef(uses.name).name);
  if (!tool) return;
  const args = splitWords(si.with.get('args')?.resolved.value ?? '');
  const inv: Invocation = { program: tool.programs[0], args, offset: 0, cwd: '', containerPaths: false, mounts: new Map() };
  const loc = provLocation(uses.prov);
  fromInvocation(ctx, inv, null, loc, 'action', (flag) => ({
    what: `\`${flag}\` in \`args\``,
    fix: `remove \`${flag}\``,
    location: input(si, 'args')?.location ?? loc,
  }));
}

// ---- commands

function recogniseCommand(ctx: Ctx, c: CmdInstance, compose: CiCompose[]): void {
  if (!c.name || c.cmd.inSubstitution) return;
  const inv = unwrap(c.name, c.args, c.cwd);
  const file = ctx.wf.path;
  trackInstalls(ctx, inv);
  if (buildCommand(ctx, c, inv, compose)) return;
  const flagLoc = (from: number, to = from) => wordsLocation(c, file, inv.offset + from, inv.offset + to);
  fromInvocation(ctx, inv, c, cmdLocation(c, file), 'command', (flag, index, valueIndex) => ({
    what: `\`${flag}\``,
    fix: `remove \`${flag}\``,
    location: index === null ? cmdLocation(c, file) : flagLoc(index, valueIndex ?? index),
  }));
}

function trackInstalls(ctx: Ctx, inv: Invocation): void {
  for (const ins of INSTALLS) {
    if (inv.program !== ins.program) continue;
    if (!ins.sub.every((s, i) => inv.args[i] === s)) continue;
    const argv = parseArgv(inv.args.slice(ins.sub.length), ins.fileFlags);
    for (const f of flagValues(argv, ins.fileFlags)) {
      const p = normaliseDir(f.value, inv.cwd);
      if (p !== null) ctx.installed.push(p);
    }
    if (ins.lockfile && inv.cwd !== null) ctx.installed.push(inv.cwd ? `${inv.cwd}/${ins.lockfile}` : ins.lockfile);
  }
}

function matchForm(tool: CommandTool, argv: Argv): CommandForm | null {
  for (const form of tool.forms) {
    if (form.sub.length > argv.positionals.length) continue;
    if (!form.sub.every((s, i) => argv.positionals[i].value === s)) continue;
    const next = argv.positionals[form.sub.length]?.value;
    if (form.notNext && next !== undefined && form.notNext.includes(next)) continue;
    return form;
  }
  return null;
}

function offFlagsOf(tool: CommandTool, argv: Argv): string[] {
  const out: string[] = [];
  for (const form of tool.forms.slice(0, 1)) {
    for (const off of form.gate.offFlags ?? []) {
      for (const f of argv.flags)
        if (f.name === off.flag && (!off.values || (f.value !== null && off.values.includes(f.value))))
          out.push(f.value !== null ? `${f.name} ${f.value}` : f.name);
    }
    for (const f of argv.flags) if (form.gate.exitCodeFlags?.includes(f.name) && f.value?.trim() === '0') out.push(`${f.name} 0`);
  }
  return out;
}

function scopeOfArgv(
  form: CommandForm,
  argv: Argv,
  inv: Invocation,
): { paths: { path: string | null; recursive: boolean }[]; files: (string | null)[]; refs: string[] } {
  const targets = argv.positionals.slice(form.sub.length).map((p) => p.value);
  const recursive = form.recursive || hasFlag(argv, form.recursiveFlags);
  const paths: { path: string | null; recursive: boolean }[] = [];
  const files: (string | null)[] = [];
  const refs: string[] = [];
  for (let t of targets) {
    let kind = form.target;
    for (const [prefix, k] of Object.entries(form.schemes ?? {})) {
      if (t.startsWith(prefix)) {
        kind = k;
        t = t.slice(prefix.length);
        break;
      }
    }
    if (kind === 'image') refs.push(t);
    else if (kind === 'path') {
      const p = hostPath(t, inv);
      if (p !== null && /\.(txt|lock|toml|json|ya?ml|xml|sum|gradle|kts)$/.test(p)) files.push(p);
      else paths.push({ path: p, recursive });
    }
  }
  for (const f of flagValues(argv, form.fileFlags)) files.push(hostPath(f.value, inv));
  for (const d of flagValues(argv, form.dirFlags)) paths.push({ path: hostPath(d.value, inv), recursive });
  if (!paths.length && !files.length && !refs.length && form.defaultPath === 'cwd') paths.push({ path: inv.cwd, recursive });
  return { paths, files, refs };
}

function fromInvocation(
  ctx: Ctx,
  inv: Invocation,
  c: CmdInstance | null,
  location: Location,
  via: 'action' | 'command',
  flagDisabler: (flag: string, index: number | null, valueIndex: number | null) => Disabler,
): void {
  const tool = COMMAND_TOOLS.find((t) => t.programs.includes(inv.program));
  if (!tool) return;
  const argv = parseArgv(inv.args, tool.valueFlags);
  const form = matchForm(tool, argv);
  if (!form) return;
  const gate = commandGate(ctx, form.gate, argv, flagDisabler, location, tool, c);
  const scope = scopeOfArgv(form, argv, inv);
  let categories: ToolCategory[] = [form.category];
  if (form.scannersFlag) {
    const sf = flagValues(argv, form.scannersFlag.flags)[0];
    const list = sf ? splitList(sf.value) : form.scannersFlag.default;
    categories = [];
    for (const s of list) {
      const cat = form.scannersFlag.values[s];
      if (cat && !categories.includes(cat)) categories.push(cat);
    }
  }
  for (const cat of categories) {
    const use = baseUse(ctx, {
      id: tool.id,
      tool: tool.tool,
      category: cat,
      via,
      location,
      scope: cat === form.category ? form.scope : scopeFor(cat, form.scope),
      gate,
      command: c,
    });
    if (cat === 'image' || cat === 'signing') {
      use.imageRefs = scope.refs.map((r) => literal(r)).map((r) => ({ ...r, unknown: use.unknown !== null }));
      if (!use.imageRefs.length) {
        if (scope.paths.length && cat === 'image') use.category = 'dependencies';
        else if (cat === 'image') use.unknown = use.unknown ?? 'no image reference is given';
      }
    }
    if (use.category !== 'image' && use.category !== 'signing') {
      for (const p of scope.paths) {
        if (p.path === null) use.unknown = use.unknown ?? 'the scanned folder is decided at run time';
        else use.paths.push({ path: p.path, recursive: p.recursive });
      }
      for (const f of scope.files) {
        if (f === null) use.unknown = use.unknown ?? 'the scanned file is decided at run time';
        else use.files.push(f);
      }
      if (use.category === 'dependencies') {
        use.managers = form.managers ?? 'all';
        // An audit of the installed environment (`pip-audit`, `safety check` without files) covers what the job installed.
        if (!use.paths.length && !use.files.length && form.defaultPath === null) {
          if (ctx.installed.length) use.files.push(...ctx.installed);
          else
            use.unknown =
              use.unknown ??
              'it audits the installed environment, and no `pip install -r`/`poetry install` before it says what was installed';
        }
      }
      use.languages = form.languages ?? [];
    }
    ctx.tools.push(use);
  }
}

function commandGate(
  ctx: Ctx,
  g: CommandGate,
  argv: Argv,
  flagDisabler: (flag: string, index: number | null, valueIndex: number | null) => Disabler,
  location: Location,
  tool: CommandTool,
  c: CmdInstance | null,
): Gate {
  const own: Disabler[] = [];
  let note = g.reported ?? g.note ?? '';
  let status: Gate['status'] = g.reported ? 'reported' : 'can-fail';
  let on = g.failsByDefault;
  let decided = false;
  for (const f of argv.flags) {
    if (g.exitCodeFlags?.includes(f.name) && f.value !== null) {
      decided = true;
      const v = f.value.trim();
      if (v === '0') own.push(flagDisabler(`${f.name} 0`, f.index, f.valueIndex));
      else if (/^\d+$/.test(v)) {
        on = true;
        note = `\`${f.name} ${v}\``;
      } else {
        status = 'unknown';
        note = `\`${f.name}\` is decided at run time`;
      }
    }
    if (g.onFlags?.includes(f.name)) {
      on = true;
      decided = true;
      note = `\`${f.value === null || f.valueIndex === f.index ? f.name : `${f.name} ${f.value}`}\``;
    }
    for (const off of g.offFlags ?? []) {
      if (f.name === off.flag && (!off.values || (f.value !== null && off.values.includes(f.value)))) {
        own.push(flagDisabler(f.value !== null && off.values ? `${f.name} ${f.value}` : f.name, f.index, f.valueIndex));
      }
    }
  }
  if (!on && !decided && !g.reported && !own.length) {
    const what = g.exitCodeFlags?.length
      ? `${tool.tool} exits 0 on findings unless \`${g.exitCodeFlags[0]}\` says otherwise (its default is 0)`
      : g.onFlags?.length
        ? `${tool.tool} exits 0 on findings without \`${g.onFlags[0]}\``
        : (g.note ?? `${tool.tool} exits 0 on findings`);
    const fix = g.exitCodeFlags?.length
      ? `add \`${g.exitCodeFlags[0]} 1\``
      : g.onFlags?.length
        ? `add \`${ON_EXAMPLE[g.onFlags[0]] ?? g.onFlags[0]}\``
        : 'use a command that exits non-zero on findings';
    own.push({ what, location, fix });
  }
  const extra = c?.swallowed ? [c.swallowed] : [];
  return finishGate(ctx, own, { status, note }, extra);
}

const ON_EXAMPLE: Record<string, string> = { '--fail-on': '--fail-on high', '--failOnCVSS': '--failOnCVSS 7' };

/** How to make an action's gate fail on findings. */
function gateFix(k: ActionKnowledge): string {
  const g = k.gate;
  if (!g.input) return 'run it so that it fails on findings';
  const on = g.passValues?.includes('0') ? '1' : g.passValues?.includes('false') ? 'true' : 'false';
  return `set \`${g.input}: '${on}'\``;
}

// ---- builds

function buildCommand(ctx: Ctx, c: CmdInstance, inv: Invocation, compose: CiCompose[]): boolean {
  const file = ctx.wf.path;
  const location = cmdLocation(c, file);
  const prog = inv.program;
  // docker compose ... build / up --build
  const composeArgs = prog === 'docker-compose' ? inv.args : prog === 'docker' && inv.args[0] === 'compose' ? inv.args.slice(1) : null;
  if (composeArgs) {
    const argv = parseArgv(composeArgs, BUILD_COMMANDS.composeValueFlags);
    const sub = argv.positionals[0]?.value;
    const isBuild =
      sub === 'build' || (sub === 'up' && argv.flags.some((f) => f.name === '--build' && f.index > (argv.positionals[0]?.index ?? 0)));
    if (!isBuild) return sub !== undefined;
    const files = flagValues(argv, ['-f', '--file']).map((f) => normaliseDir(f.value, inv.cwd));
    const services = sub === 'build' ? argv.positionals.slice(1).map((p) => p.value) : [];
    composeBuilds(ctx, c, inv.cwd, files, services, compose, location);
    return true;
  }
  if (prog === 'docker' && inv.args[0] === 'buildx' && inv.args[1] === 'bake') {
    const use = buildUse(ctx, {
      id: 'docker-bake',
      tool: 'docker buildx bake',
      via: 'command',
      location,
      scope: 'image build (bake)',
      command: c,
    });
    ctx.builds.push({
      use,
      dockerfile: null,
      context: null,
      tags: [],
      platforms: [],
      push: null,
      stepId: ctx.si?.step.id ?? null,
      unknown: 'bake definitions are not analysed',
    });
    ctx.tools.push(use);
    return true;
  }
  const spellings = BUILD_COMMANDS.programs[prog];
  if (!spellings) return false;
  const argv = parseArgv(inv.args, BUILD_COMMANDS.valueFlags);
  const sp = spellings.find((s) => s.every((w, i) => argv.positionals[i]?.value === w));
  if (!sp) return false;
  const use = buildUse(ctx, {
    id: 'docker-build',
    tool: `${prog} build`,
    via: 'command',
    location,
    scope: 'image build',
    command: c,
  });
  const ctxArg = argv.positionals[sp.length]?.value;
  let unknown = use.unknown;
  let context: string | null = null;
  if (ctxArg === undefined || ctxArg === '-' || /^(https?:|git@)/.test(ctxArg))
    unknown = unknown ?? 'the build context is not a folder of the repository';
  else {
    context = normaliseDir(ctxArg, inv.cwd);
    if (context === null) unknown = unknown ?? `the build context \`${ctxArg}\` is decided at run time`;
  }
  let dockerfile: string | null = null;
  const f = flagValues(argv, BUILD_COMMANDS.fileFlags)[0];
  if (f) {
    dockerfile = f.value === '-' ? null : normaliseDir(f.value, inv.cwd);
    if (dockerfile === null) unknown = unknown ?? `the Dockerfile \`${f.value}\` is decided at run time`;
  } else if (context !== null) dockerfile = context ? `${context}/Dockerfile` : 'Dockerfile';
  const tags = flagValues(argv, BUILD_COMMANDS.tagFlags).map((t) => literal(t.value));
  const platforms = flagValues(argv, BUILD_COMMANDS.platformFlags).flatMap((p) => splitList(p.value));
  const push = hasFlag(argv, BUILD_COMMANDS.pushFlags) || argv.flags.some((x) => x.name === '--output' && /push=true/.test(x.value ?? ''));
  ctx.builds.push({ use, dockerfile, context, tags, platforms, push, stepId: ctx.si?.step.id ?? null, unknown });
  ctx.tools.push(use);
  return true;
}

const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

function composeBuilds(
  ctx: Ctx,
  c: CmdInstance,
  cwd: string | null,
  files: (string | null)[],
  services: string[],
  compose: CiCompose[],
  location: Location,
): void {
  const use = buildUse(ctx, {
    id: 'compose-build',
    tool: 'docker compose build',
    via: 'command',
    location,
    scope: 'image build',
    command: c,
  });
  ctx.tools.push(use);
  const unknownBuild = (why: string) =>
    ctx.builds.push({ use, dockerfile: null, context: null, tags: [], platforms: [], push: null, stepId: null, unknown: why });
  if (cwd === null || files.some((f) => f === null)) {
    unknownBuild('the compose file is decided at run time');
    return;
  }
  const wanted = files as string[];
  const dirPrefix = cwd ? `${cwd}/` : '';
  const envs = compose.flatMap((p) => p.environments.map((e) => ({ p, e })));
  const base = wanted.length
    ? wanted[0]
    : (COMPOSE_NAMES.map((n) => dirPrefix + n).find((f) => envs.some(({ e }) => e.files[0] === f)) ?? null);
  const candidates = envs.filter(({ e }) => e.files[0] === base);
  const chosen =
    candidates.find(({ e }) => wanted.length > 0 && e.files.length === wanted.length && e.files.every((f, i) => f === wanted[i])) ??
    candidates.find(({ e }) => e.name === 'dev') ??
    candidates[0];
  if (!chosen) {
    unknownBuild('the compose file it builds was not found');
    return;
  }
  const { p: project, e: env } = chosen;
  for (const svc of env.services) {
    if (!svc.build) continue;
    if (services.length && !services.includes(svc.name)) continue;
    const tag = svc.image ?? `${project.name}-${svc.name}`;
    ctx.builds.push({
      use,
      dockerfile: svc.build.dockerfile,
      context: svc.build.context,
      tags: [{ value: tag, literal: !tag.includes('$'), unknown: false }],
      platforms: [],
      push: null,
      service: svc.name,
      stepId: null,
      unknown: svc.build.dockerfile ? null : (svc.build.problem ?? 'the Dockerfile is unknown'),
    });
  }
}

// ---- GitLab templates

function gitlabTemplates(wf: Workflow, tools: ToolUse[]): void {
  for (const inc of wf.includes) {
    const v = inc.value.toLowerCase().replace(/^\/+/, '');
    const scanners =
      inc.kind === 'template' && GITLAB_AUTO_DEVOPS.includes(v)
        ? GITLAB_SCANNERS
        : GITLAB_SCANNERS.filter(
            (s) =>
              (inc.kind === 'template' && s.templates.includes(v)) || (inc.kind === 'component' && s.components.some((c) => v.endsWith(c))),
          );
    for (const s of scanners) {
      let job = wf.jobs.find((j) => s.jobs.includes(j.id)) ?? null;
      if (!job) {
        job = {
          id: s.jobs[0],
          name: s.jobs[0],
          keyProv: inc.prov,
          prov: inc.prov,
          permissions: null,
          continueOnError: null,
          allowFailure: null,
          if: null,
          needs: [],
          env: new Map(),
          matrix: { status: 'none', prov: null, combinations: [{}] },
          steps: [],
          uses: null,
          triggers: wf.triggers,
          instances: [{ label: '', matrix: {}, steps: [] }],
          extends: [],
          image: null,
          template: inc.value,
          variables: new Map(wf.env),
        };
        wf.jobs.push(job);
      } else job.template = inc.value;
      const ctx: Ctx = {
        wf,
        job,
        inst: job.instances[0] ?? { label: '', matrix: {}, steps: [] },
        si: null,
        tools,
        builds: [],
        installed: [],
      };
      const use = baseUse(ctx, {
        id: s.id,
        tool: s.tool,
        category: s.category,
        via: 'template',
        location: provLocation(inc.prov),
        scope: s.scope,
        gate: { status: 'reported', disabledBy: [], note: 'findings go to GitLab security reports' },
        managers: s.managers ?? [],
        languages: s.languages ?? [],
      });
      if (s.category === 'dependencies' || s.category === 'sast' || s.category === 'secrets') use.paths.push({ path: '', recursive: true });
      if (s.imageVariable) {
        const raw = job.variables.get(s.imageVariable) ?? s.imageDefault ?? '';
        const r = resolveShellVars(raw, job.variables);
        use.imageRefs.push({ value: r.value, literal: r.literal, unknown: false });
      }
      tools.push(use);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Image coverage

/** `backend/Dockerfile` → `backend`; `backend/Dockerfile.worker` stays. */
function imageDisplayName(path: string): string {
  const m = /^(.+)\/(?:Dockerfile|Containerfile)$/i.exec(path);
  return m ? m[1] : path;
}

interface RefParts {
  repo: string;
  tag: string | null;
  digest: string | null;
  dynamicRepo: boolean;
  dynamicTag: boolean;
}

function refParts(v: string): RefParts {
  const norm = v.trim().replace(/\$\{(\w+)\}/g, '$$$1');
  const r = parseImageRef(norm);
  return {
    repo: r.name,
    tag: r.tag,
    digest: r.digest,
    dynamicRepo: /\$/.test(r.name),
    dynamicTag: /\$/.test(r.tag ?? '') || /\$/.test(r.digest ?? ''),
  };
}

/** Whether a scanned reference names a built tag: the same reference, or the same repository when a tag is only known at run time. */
function refMatches(scanned: string, built: string): boolean {
  const a = refParts(scanned);
  const b = refParts(built);
  if (a.repo !== b.repo) return false;
  if (a.digest || b.digest) return a.digest === b.digest || a.dynamicTag || b.dynamicTag;
  if ((a.tag ?? 'latest') === (b.tag ?? 'latest')) return true;
  return a.dynamicTag || b.dynamicTag;
}

const STEP_OUTPUT = /steps\.([\w-]+)\.outputs\.(?:imageid|digest|metadata|image)/;

function scanOfBuild(scan: ToolUse, build: ImageBuild): boolean {
  const sameInstance = scan.instance === build.use.instance;
  const sameWorkflow = scan.workflow === build.use.workflow;
  for (const ref of scan.imageRefs) {
    const m = STEP_OUTPUT.exec(ref.value);
    if (m && sameInstance && build.stepId === m[1]) return true;
    for (const tag of build.tags) {
      if (!refMatches(ref.value, tag.value)) continue;
      // Within a job, only the same matrix instance; across jobs of a workflow, the shared tag; across
      // workflows (a nightly rescan of what a release pushed), a repository written out in full.
      if (sameInstance || (scan.job !== build.use.job && (sameWorkflow || !refParts(tag.value).dynamicRepo))) return true;
    }
  }
  return false;
}

function imageCoverage(input: CiInputs, tools: ToolUse[], builds: ImageBuild[]): ImageCoverage[] {
  const imageScans = tools.filter((t) => t.category === 'image');
  const signers = tools.filter((t) => t.category === 'signing');
  // Compose services that build a Dockerfile and name their image: scans of that image count.
  const composeNames = new Map<string, Set<string>>();
  for (const p of input.compose) {
    for (const e of p.environments) {
      for (const s of e.services) {
        const df = s.build?.dockerfile;
        if (!df) continue;
        const set = composeNames.get(df) ?? new Set<string>();
        set.add(s.image ?? `${p.name}-${s.name}`);
        composeNames.set(df, set);
      }
    }
  }
  // A job instance that builds one image and scans a reference only known at run time scans that image.
  const buildsPerInstance = new Map<JobInstance, number>();
  for (const b of builds) buildsPerInstance.set(b.use.instance, (buildsPerInstance.get(b.use.instance) ?? 0) + 1);
  // What might cover a Dockerfile without seaworthy being able to tell: builds of an unknown Dockerfile, scans of an opaque reference.
  const unknownBuilds = builds.filter((b) => b.dockerfile === null);
  const opaqueScans = imageScans.filter(
    (s) =>
      s.unknown !== null ||
      s.imageRefs.some(
        (r) =>
          refParts(r.value).dynamicRepo &&
          !builds.some((b) => scanOfBuild(s, b) || (b.use.instance === s.instance && buildsPerInstance.get(b.use.instance) === 1)),
      ),
  );
  const opaque = (s: ToolUse) =>
    s.imageRefs.length > 0 && s.imageRefs.every((r) => refParts(r.value).dynamicRepo) && !builds.some((b) => scanOfBuild(s, b));
  // Signers none of whose references names a build (`cosign sign $IMAGE`): the same for every Dockerfile.
  const untied = new Set(
    signers.filter(
      (s) =>
        !builds.some((b) => scanOfBuild(s, b) || s.imageRefs.some((r) => b.tags.some((t) => refMatches(r.value, t.value)))) &&
        s.imageRefs.every((r) => refParts(r.value).dynamicRepo),
    ),
  );
  const untiedSigner = (s: ToolUse) => untied.has(s);
  const soleBuildScan = (s: ToolUse, b: ImageBuild) =>
    s.instance === b.use.instance && buildsPerInstance.get(b.use.instance) === 1 && opaque(s);
  const out: ImageCoverage[] = [];
  for (const df of input.dockerfiles) {
    if (/(^|\/)\.devcontainer\//.test(df.path)) continue;
    const own = builds.filter((b) => b.dockerfile === df.path);
    const scans = new Set<ToolUse>();
    for (const s of imageScans) {
      if (own.some((b) => scanOfBuild(s, b) || soleBuildScan(s, b))) scans.add(s);
      const names = composeNames.get(df.path);
      if (names && s.imageRefs.some((r) => [...names].some((n) => refMatches(r.value, n) || composeDefaultMatch(r.value, n)))) scans.add(s);
    }
    // A signature covers the build whose image it names (a tag, or `steps.<build id>.outputs.digest`); one whose
    // reference is tied to no build covers the job's only build, and leaves it unknown which of several it signs.
    const signatures = signers.filter((s) =>
      own.some(
        (b) =>
          scanOfBuild(s, b) ||
          s.imageRefs.some((r) => b.tags.some((t) => refMatches(r.value, t.value))) ||
          (s.instance === b.use.instance && buildsPerInstance.get(b.use.instance) === 1 && untiedSigner(s)),
      ),
    );
    const vague = signatures.length
      ? null
      : (signers.find((s) => own.some((b) => s.instance === b.use.instance) && untiedSigner(s)) ?? null);
    const signingUnknown = vague
      ? `${vague.tool} at \`${vague.location.file}:${vague.location.line}\` signs ${vague.imageRefs.length ? `\`${vague.imageRefs[0].value}\`, a reference only known at run time` : 'an image it does not name'}, and job \`${vague.job.id}\` builds ${buildsPerInstance.get(vague.instance)} images`
      : null;
    let unknownReason: string | null = null;
    if (!scans.size) {
      const u = unknownBuilds.find((b) => imageScans.some((s) => s.instance === b.use.instance)) ?? null;
      const o = opaqueScans[0] ?? null;
      if (u)
        unknownReason = `${u.use.workflow.path} builds an image whose Dockerfile is not known before the run (${u.unknown}) and scans it`;
      else if (o)
        unknownReason = `${o.workflow.path} scans an image seaworthy cannot name before the run (${o.unknown ?? `\`${o.imageRefs[0]?.value}\``})`;
    }
    const platforms = [...new Set(own.flatMap((b) => b.platforms))];
    out.push({
      dockerfile: df,
      name: imageDisplayName(df.path),
      builds: own,
      scans: [...scans],
      signatures,
      signingUnknown,
      platforms,
      status: scans.size ? 'scanned' : unknownReason ? 'unknown' : own.length ? 'built' : 'missing',
      unknownReason,
      updates: updatesFor(df.path, input.updates),
    });
  }
  return out;
}

/** `docker compose build` without `image:` tags `<project>-<service>`; in CI the project is the checkout's folder name, unknown here. */
function composeDefaultMatch(scanned: string, name: string): boolean {
  const svc = name.slice(name.lastIndexOf('-') + 1);
  const r = refParts(scanned);
  return (
    !name.includes('/') &&
    !name.includes(':') &&
    (r.repo.endsWith(`-${svc}`) || r.repo.endsWith(`_${svc}`)) &&
    r.repo.length > svc.length + 1 &&
    /\$|\w/.test(r.repo)
  );
}

function updatesFor(path: string, updates: UpdateConfig[]): ImageCoverage['updates'] {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const out: ImageCoverage['updates'] = [];
  for (const u of updates) {
    if (u.tool === 'Dependabot') {
      for (const e of u.entries) {
        if (e.ecosystem !== 'docker') continue;
        const hit = e.directories.find((d) => {
          const norm = d.replace(/^\/+|\/+$/g, '');
          return norm.includes('*') ? globToRegExp(norm).test(dir) : norm === dir;
        });
        if (hit !== undefined) out.push({ tool: 'Dependabot', file: u.path, detail: `docker, ${hit}` });
      }
    } else if (u.dockerEnabled) {
      const ignored = u.ignorePaths.some((g) => globToRegExp(g).test(path) || path.startsWith(g.replace(/\*.*$/, '') || '\0'));
      if (!ignored)
        out.push({
          tool: 'Renovate',
          file: u.path,
          detail: u.dockerPartial
            ? `dockerfile manager, except images a \`packageRules\` entry disables (${u.dockerPartial})`
            : 'dockerfile manager',
          partial: Boolean(u.dockerPartial),
        });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dependency coverage

function covers(use: ToolUse, path: string): boolean {
  if (use.files.includes(path)) return true;
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  return use.paths.some((p) => p.path === dir || (p.recursive && (p.path === '' || dir === p.path || dir.startsWith(`${p.path}/`))));
}

function handles(use: ToolUse, m: Manager): boolean {
  return use.managers === 'all' || use.managers.includes(m);
}

function manifestCoverage(manifests: string[], scans: ToolUse[]): ManifestCoverage[] {
  const deps = scans.filter((s) => s.category === 'dependencies');
  const out: ManifestCoverage[] = [];
  for (const path of manifests) {
    const manager = managerOf(path);
    if (!manager) continue;
    const covering = deps.filter((s) => handles(s, manager) && covers(s, path));
    const vague = covering.length ? null : deps.find((s) => s.unknown !== null && handles(s, manager));
    out.push({
      path,
      manager,
      ecosystem: ECOSYSTEM_OF[manager],
      scans: covering,
      unknownReason: vague ? `${vague.tool} in ${vague.workflow.path} might cover it: ${vague.unknown}` : null,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The report's table

const TRIGGER_ORDER = [
  'push',
  'PR',
  'hourly',
  'more than hourly',
  'several times a day',
  'daily',
  'several times a week',
  'weekly',
  'monthly',
  'yearly',
  'scheduled',
  'manual',
  'tag',
  'reusable',
];

export function triggerWords(triggers: Trigger[]): string[] {
  const words = new Set<string>();
  for (const t of triggers) {
    if (t.kind === 'push') words.add('push');
    else if (t.kind === 'pr') words.add('PR');
    else if (t.kind === 'schedule') {
      if (t.unconfirmed) continue;
      if (t.crons.length) for (const c of t.crons) words.add(cronFrequency(c));
      else words.add('scheduled');
    } else if (t.kind === 'manual') words.add('manual');
    else if (t.kind === 'tag') words.add('tag');
    else if (t.kind === 'call') words.add('reusable');
  }
  return [...words].sort((a, b) => (TRIGGER_ORDER.indexOf(a) + 1 || 99) - (TRIGGER_ORDER.indexOf(b) + 1 || 99));
}

function scanTable(scans: ToolUse[], images: ImageCoverage[]): ScanRow[] {
  const byTool = new Map<string, ToolUse[]>();
  for (const s of scans) byTool.set(s.tool, [...(byTool.get(s.tool) ?? []), s]);
  return [...byTool.values()].map((uses) => scanRow(uses, images));
}

/**
 * A "Tool / Scope / Trigger" row for uses of one tool (all of them for the report's table, or those
 * of one category for a rule's evidence): `Trivy · container images backend, frontend; filesystem · push, PR, weekly`.
 */
export function scanRow(uses: ToolUse[], images: ImageCoverage[]): ScanRow {
  const categories: ToolCategory[] = [];
  const names: string[] = [];
  const scope: string[] = [];
  for (const s of uses) {
    if (!categories.includes(s.category)) categories.push(s.category);
    if (s.category === 'image') {
      const covered = images.filter((i) => i.scans.includes(s)).map((i) => i.name);
      for (const n of covered.length ? covered : s.imageRefs.map((r) => r.value)) if (!names.includes(n)) names.push(n);
      continue;
    }
    const langs =
      s.category === 'sast' ? s.languages.filter((l) => l !== 'all languages' && !s.scope.toLowerCase().includes(l.toLowerCase())) : [];
    const words = langs.length ? `${s.scope} (${langs.join(', ')})` : s.scope;
    if (!scope.includes(words)) scope.push(words);
  }
  if (categories.includes('image')) scope.unshift(names.length ? `container images ${names.join(', ')}` : 'container images');
  const triggers = triggerWords(uses.flatMap((u) => u.triggers));
  const tool = uses[0]?.tool ?? '';
  return { tool, categories, scope, triggers, uses, text: `${tool} · ${scope.join('; ')} · ${triggers.join(', ') || 'no trigger'}` };
}
