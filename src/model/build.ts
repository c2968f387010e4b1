/** Builds the Project from a Discovery: every file is read and parsed once, here. */
import { loadCompose } from '../compose/load.js';
import { composeBool } from '../compose/values.js';
import type { Discovery } from '../discover/index.js';
import { parseDockerfile, parseDockerfileSkeleton } from '../parse/dockerfile.js';
import { baseName, initShell, parseShell, ShellParserNeeded, shellFailure, shellReady } from '../parse/shell.js';
import { get, type PNode, type PScalar, scalarOrigin, str } from '../parse/yaml.js';
import type { FileError } from '../types.js';
import type { BuildRef, Environment, HealthTest, Service } from './compose.js';
import type { DockerfileModel, Stage } from './dockerfile.js';
import { effectiveUser, reachableStages } from './image.js';
import { statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { chmodFor, findSource, imagePaths, imageStarts, type StartSpec, scriptWord } from './entrypoint.js';
import type { DiscoveredFiles, EnvExample, Image, ImageServiceRef, Project } from './project.js';
import type { CiCompose, CiDockerfile } from './workflow.js';
import type { ScriptModel } from './script.js';
import { parseWorkflows } from '../parse/workflow.js';
import { parseUpdateConfigs } from '../parse/update-config.js';
import { ciDockerfile, ciFacts } from './ci.js';

export interface BuildOptions {
  /** Explicit compose environments from the config (`environments:`). */
  environments?: Record<string, string[]>;
}

export async function buildProject(d: Discovery, name: string, options: BuildOptions = {}): Promise<Project> {
  // A small repository without workflows is built without tree-sitter (src/parse/shell.ts), and it
  // is loaded only for a script the fast parser leaves to it: then the build starts again, keeping
  // the Dockerfiles it has parsed. A build only reads (the discovery caches what it reads and reports
  // each error once), so the rest of the first attempt is dropped. Larger repositories, and workflows'
  // `run:` scripts, nearly always have such a script, and would pay for a first attempt for nothing.
  const parsed = new Map<string, ParseOutcome>();
  if (!shellReady() && !likelyNeedsTreeSitter(d.files)) {
    try {
      return buildNow(d, name, options, parsed);
    } catch (e) {
      if (!(e instanceof ShellParserNeeded)) throw e;
    }
  }
  await initShell();
  return buildNow(d, name, options, parsed);
}

/** Up to this many Dockerfiles and compose files, a build tries without tree-sitter first. */
const LAZY_SHELL_FILES = 16;

/**
 * Whether building these files will almost surely load tree-sitter (workflows' `run:` scripts, or
 * more than a few Dockerfiles and compose files): then it is loaded up front, and a check can start
 * loading it as soon as it knows the files (so the wasm is read and compiled while it plans).
 */
export function likelyNeedsTreeSitter(files: DiscoveredFiles): boolean {
  return files.workflows.length > 0 || files.dockerfiles.length + files.compose.length > LAZY_SHELL_FILES;
}

/** What the CI facts keep of the Dockerfiles a build parsed (sorted by path). */
function ciDockerfiles(sorted: DockerfileModel[]): CiDockerfile[] {
  const out: CiDockerfile[] = [];
  for (const df of sorted) {
    const c = ciDockerfile(df);
    if (c) out.push(c);
  }
  return out;
}

/**
 * What the CI facts need of a part of a repository (src/check-parts.ts), without building its model:
 * the Dockerfiles a build of `d` parses (discovered ones, and those compose builds name), as
 * skeletons (parseDockerfileSkeleton), sorted by path, and its compose projects' builds as buildNow
 * links them. Read errors are not reported here: the part's own build reports them.
 */
export function ciPart(d: Discovery, name: string, options: BuildOptions = {}): { dockerfiles: DockerfileModel[]; compose: CiCompose[] } {
  const dockerfiles = new Map<string, DockerfileModel>();
  const tried = new Set<string>();
  const parseOne = (path: string) => {
    if (tried.has(path)) return;
    tried.add(path);
    const r = d.readText(path);
    if ('error' in r) return;
    try {
      dockerfiles.set(path, parseDockerfileSkeleton(path, r.text));
    } catch {
      // Not parsed: the part's build reports it (and leaves the file out, as here).
    }
  };
  for (const path of d.files.dockerfiles) parseOne(path);
  const loaded = loadCompose({ read: (p) => d.readText(p) }, d.files.compose, options.environments ?? {}, name);
  const compose: CiCompose[] = loaded.projects.map((p) => ({
    name: p.name,
    environments: p.environments.map((env) => ({
      name: env.name,
      files: env.files,
      services: env.services.map((svc) => {
        const b = buildRef(env, svc);
        const link = linkedDockerfile(b);
        if (link) parseOne(link.dockerfile);
        return { name: svc.name, image: svc.image, build: b };
      }),
    })),
  }));
  return { dockerfiles: [...dockerfiles.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), compose };
}

/** A Dockerfile read and parsed: its model (null when unreadable or unparsable) and the errors to report. */
interface ParseOutcome {
  model: DockerfileModel | null;
  errors: FileError[];
}

function parseOutcome(d: Discovery, path: string): ParseOutcome {
  const r = d.readText(path);
  if ('error' in r) return { model: null, errors: [{ file: path, message: r.error }] };
  try {
    const model = parseDockerfile(path, r.text);
    if (model.stages.length === 0) {
      const p = model.problems[0];
      return { model, errors: [{ file: path, message: `not a Dockerfile: ${p?.message ?? 'no FROM instruction'}`, line: p?.range.line }] };
    }
    return { model, errors: [] };
  } catch (e) {
    return { model: null, errors: [{ file: path, message: `could not parse: ${shellFailure(e)}` }] };
  }
}

function buildNow(d: Discovery, name: string, options: BuildOptions, parsed: Map<string, ParseOutcome>): Project {
  const errors: FileError[] = [];
  const dockerfiles = new Map<string, DockerfileModel>();
  const tried = new Set<string>();
  const parseOne = (path: string): DockerfileModel | null => {
    if (tried.has(path)) return dockerfiles.get(path) ?? null;
    tried.add(path);
    let o = parsed.get(path);
    if (!o) {
      o = parseOutcome(d, path);
      parsed.set(path, o);
    }
    errors.push(...o.errors);
    if (o.model) dockerfiles.set(path, o.model);
    return o.model;
  };
  for (const path of d.files.dockerfiles) parseOne(path);

  const compose = loadCompose({ read: (p) => d.readText(p) }, d.files.compose, options.environments ?? {}, name);
  errors.push(...compose.errors);

  // Images: one per (Dockerfile, target, context) that compose builds; a Dockerfile no service
  // builds is judged as its final stage built from its own folder.
  const images = new Map<string, Image>();
  const linked = new Set<string>();
  // A service's healthcheck is the same text at the same place in each environment that has it.
  const healthScripts: ShellScripts = new Map();
  for (const project of compose.projects) {
    for (const env of project.environments) {
      for (const svc of env.services) {
        const test = get(get(svc.node, 'healthcheck'), 'test');
        try {
          svc.healthTest = healthTest(test, healthScripts);
        } catch (e) {
          // Not analysable (nested too deeply): said on the file; the rules see no parsed test.
          const err = {
            file: test?.prov.file ?? svc.node.prov.file,
            line: test?.prov.range.line,
            message: `healthcheck test of service \`${svc.name}\` could not be analysed: ${shellFailure(e)}`,
          };
          // (Once, though every environment of the project has the service.)
          if (!errors.some((x) => x.file === err.file && x.line === err.line && x.message === err.message)) errors.push(err);
          svc.healthTest = null;
        }
        svc.build = buildRef(env, svc);
        if (!svc.build && svc.image && !svc.image.includes('$')) {
          const df = parseDockerfile(`<image ${svc.image}>`, `FROM ${svc.image}\n`);
          if (df.stages.length) svc.externalImage = { dockerfile: df, stage: df.stages[0] };
        }
        const b = svc.build;
        const link = linkedDockerfile(b);
        if (!b || !link) continue;
        const df = parseOne(link.dockerfile);
        if (!df || df.stages.length === 0) {
          if (!df) b.problem = `Dockerfile \`${link.dockerfile}\` could not be read`;
          continue;
        }
        let stage = df.stages[df.stages.length - 1];
        if (b.target) {
          const t = df.stages.find((s) => s.name === b.target?.toLowerCase());
          if (!t) {
            b.problem = `build target \`${b.target}\` is not a stage of ${df.path}`;
            continue;
          }
          stage = t;
        }
        const key = `${df.path}\0${stage.index}\0${link.context}`;
        let image = images.get(key);
        if (!image) {
          const isFinal = stage.index === df.stages.length - 1;
          const defaultCtx = dirOf(df.path);
          let label = isFinal ? df.path : `${df.path}#${stage.name ?? stage.index}`;
          if (link.context !== defaultCtx) label += ` (context ${link.context || '.'})`;
          image = makeImage(d, df, stage, link.context, label);
          images.set(key, image);
        }
        linked.add(df.path);
        svc.imageModel = image;
        image.services.push(serviceRef(env, svc));
      }
    }
  }
  const out: Image[] = [];
  for (const df of dockerfiles.values()) {
    const own = [...images.values()].filter((i) => i.dockerfile === df);
    if (own.length) out.push(...own);
    else if (!linked.has(df.path) && df.stages.length) out.push(makeImage(d, df, df.stages[df.stages.length - 1], dirOf(df.path)));
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // Entrypoint scripts: follow each image's starts (and compose overrides) to files in the repo.
  const scripts = new Map<string, ScriptModel | null>();
  const loadScript = (repoPath: string): ScriptModel | null => {
    if (scripts.has(repoPath)) return scripts.get(repoPath) ?? null;
    scripts.set(repoPath, null);
    const r = d.readText(repoPath);
    if ('error' in r) {
      errors.push({ file: repoPath, message: r.error });
      return null;
    }
    let m: ScriptModel;
    try {
      m = scriptModel(repoPath, r.text, executableBit(d, repoPath));
    } catch (e) {
      errors.push({ file: repoPath, message: `could not parse: ${shellFailure(e)}` });
      return null;
    }
    if (m.script?.hasErrors) {
      errors.push({
        file: repoPath,
        line: m.script.errorRange?.line,
        message: 'shell syntax error: the script was analysed as far as it parses',
      });
    }
    scripts.set(repoPath, m);
    return m;
  };
  for (const image of out) {
    const starts: StartSpec[] = imageStarts(image);
    for (const ref of image.services) {
      const svc = findService(compose.projects, ref.environment, ref.service, image);
      if (!svc) continue;
      for (const [key, via] of [
        ['entrypoint', 'compose entrypoint'],
        ['command', 'compose command'],
      ] as const) {
        const n = get(svc.node, key);
        if (!n) continue;
        const argv = n.kind === 'seq' ? n.items.map((i) => str(i) ?? '') : null;
        const text = n.kind === 'scalar' ? (str(n) ?? null) : null;
        // `command:` only names the program when the image has no ENTRYPOINT (or a wrapper one).
        if (key === 'command' && (get(svc.node, 'entrypoint') || starts.some((s) => s.via === 'ENTRYPOINT'))) continue;
        starts.push({
          via,
          argv,
          shellText: text,
          refLoc: {
            file: n.prov.file,
            line: n.prov.range.line,
            column: n.prov.range.column,
            endLine: n.prov.range.endLine,
            endColumn: n.prov.range.endColumn,
          },
          environment: ref.environment,
          service: ref.service,
        });
      }
    }
    const ctxFiles = new Set(image.context.files);
    for (const start of starts) {
      const w = scriptWord(start);
      if (!w) continue;
      const paths = imagePaths(w.program, image.stage, image.dockerfile);
      let found = false;
      for (const p of paths) {
        const src = findSource(image.dockerfile, image.stage, p, image.context.dir === '.' ? '' : image.context.dir, (rel) =>
          ctxFiles.has(rel),
        );
        if (!src) continue;
        found = true;
        const model = loadScript(src.repoPath);
        if (!model) break;
        // A binary (no shebang) is not a script. A script in another language (`#!/usr/bin/env python3`) is
        // kept without shell analysis: its interpreter and executable bit still decide whether it starts.
        if (!model.script && !w.interpreter && !model.shebang) break;
        image.scripts.push({
          script: model,
          image,
          via: start.via,
          environment: start.environment,
          service: start.service,
          imagePath: p,
          copy: src.copy,
          chmod: chmodFor(image.dockerfile, image.stage, p, src.copy),
          explicitInterpreter: w.interpreter,
          refLoc: start.refLoc,
        });
        break;
      }
      if (!found && /\.(sh|bash)$|entrypoint/i.test(w.program)) {
        image.unresolvedStarts.push({
          image,
          via: start.via,
          program: w.program,
          reason: w.program.includes('$') ? 'the path uses a variable' : 'no COPY/ADD from the build context provides it',
          refLoc: start.refLoc,
          environment: start.environment,
          service: start.service,
        });
      }
    }
  }

  // CI workflows and dependency update bots: each file read and parsed once, then the CI facts.
  const wfs = parseWorkflows(d, d.files.workflows);
  const updates = parseUpdateConfigs(d, d.files.updateConfigs);
  errors.push(...wfs.errors, ...updates.errors);
  const sortedDockerfiles = [...dockerfiles.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  const ci = ciFacts({
    workflows: wfs.workflows,
    unreadable: wfs.unreadable,
    dockerfiles: ciDockerfiles(sortedDockerfiles),
    compose: compose.projects,
    manifests: d.files.manifests,
    updates: updates.configs,
  });

  return {
    name,
    dockerfiles: sortedDockerfiles,
    images: out,
    envFiles: d.envFiles,
    envExamples: readEnvExamples(d),
    scripts: [...scripts.values()].filter((m): m is ScriptModel => m !== null),
    compose: compose.projects,
    composeFiles: compose.files,
    workflows: wfs.workflows,
    ci,
    git: d.git !== null,
    files: d.files,
    errors: [...d.errors, ...errors],
  };
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i;

/** The Dockerfile and context a service's build links its image to (the build reads that Dockerfile); null when it cannot be linked. */
function linkedDockerfile(b: BuildRef | null): { dockerfile: string; context: string } | null {
  return b && !b.problem && b.context !== null && b.dockerfile !== null ? { dockerfile: b.dockerfile, context: b.context } : null;
}

/** Where a service's `build:` points, relative to the scanned root. */
function buildRef(env: Environment, svc: Service): BuildRef | null {
  const build = get(svc.node, 'build');
  if (!build) return null;
  const ctxNode = get(build, 'context');
  const ctx = str(ctxNode) ?? '.';
  const prov = (ctxNode ?? build).prov;
  const dockerfile = str(get(build, 'dockerfile')) ?? 'Dockerfile';
  const target = str(get(build, 'target')) ?? null;
  if (get(build, 'dockerfile_inline'))
    return { context: null, dockerfile: null, target, prov, problem: 'inline Dockerfile (`dockerfile_inline`) is not analysed' };
  if (REMOTE.test(ctx))
    return { context: null, dockerfile: null, target, prov, problem: `remote build context \`${ctx}\` is not analysed` };
  if (ctx.includes('$') || dockerfile.includes('$'))
    return { context: null, dockerfile: null, target, prov, problem: `build path \`${ctx}\` uses a variable` };
  const context = posix
    .normalize(posix.join(env.dir || '.', ctx))
    .replace(/^\.$/, '')
    .replace(/\/$/, '');
  if (context.startsWith('..') || posix.isAbsolute(ctx)) {
    return { context: null, dockerfile: null, target, prov, problem: `build context \`${ctx}\` is outside the scanned root` };
  }
  const df = posix.isAbsolute(dockerfile) ? null : posix.normalize(posix.join(context || '.', dockerfile));
  if (!df || df.startsWith('..'))
    return { context, dockerfile: null, target, prov, problem: `Dockerfile \`${dockerfile}\` is outside the scanned root` };
  return { context, dockerfile: df, target, prov };
}

/** Parse a compose `healthcheck.test` once, here, so rules never re-parse. */
export function healthTest(test: PNode | undefined, scripts: ShellScripts = new Map()): HealthTest | null {
  if (!test) return null;
  if (test.kind === 'scalar') {
    if (typeof test.value !== 'string') return null;
    return { form: 'shell', argv: [], argvRanges: [], script: shellAt(scripts, test), prov: test.prov };
  }
  if (test.kind !== 'seq' || test.items.length === 0) return null;
  const head = str(test.items[0]);
  const rest = test.items.slice(1);
  if (head === 'NONE') return { form: 'none', argv: [], argvRanges: [], script: null, prov: test.prov };
  if (head === 'CMD-SHELL') {
    const cmd = rest[0];
    if (cmd?.kind !== 'scalar' || typeof cmd.value !== 'string') return null;
    return { form: 'shell', argv: [], argvRanges: [], script: shellAt(scripts, cmd), prov: cmd.prov };
  }
  if (head === 'CMD') {
    const argv = rest.map((n) => str(n) ?? '');
    // ["CMD", "sh", "-c", "..."]: the shell's script is parsed too.
    const c = rest[2];
    const script =
      argv.length >= 3 && /(^|\/)(ba|a|da)?sh$/.test(argv[0]) && argv[1] === '-c' && c?.kind === 'scalar' && typeof c.value === 'string'
        ? shellAt(scripts, c)
        : null;
    return { form: 'exec', argv, argvRanges: rest.map((n) => n.prov.range), script, prov: test.prov };
  }
  return null;
}

/** Parsed shell scripts by text, start position and source layout (a parse depends on nothing else). */
type ShellScripts = Map<string, ReturnType<typeof parseShell>>;

/** The script held in a string scalar, parsed with positions in the scalar's file. */
function shellAt(scripts: ShellScripts, s: PScalar): ReturnType<typeof parseShell> {
  const text = String(s.value);
  const origin = scalarOrigin(s);
  const key = `${origin.line}:${origin.column}:${s.src ?? ''}\0${text}`;
  let script = scripts.get(key);
  if (script === undefined) {
    script = parseShell(text, origin);
    scripts.set(key, script);
  }
  return script;
}

function serviceRef(env: Environment, svc: Service): ImageServiceRef {
  const user = str(get(svc.node, 'user')) ?? null;
  const hc = get(svc.node, 'healthcheck');
  const disabled = hc && (composeBool(str(get(hc, 'disable'))) === true || testIsNone(get(hc, 'test')));
  const init = str(get(svc.node, 'init'));
  return {
    environment: env.name,
    service: svc.name,
    user,
    hasHealthcheck: !!hc && !disabled && get(hc, 'test') !== undefined,
    init: init === undefined ? null : composeBool(init) === true,
  };
}

function testIsNone(n: ReturnType<typeof get>): boolean {
  if (!n) return false;
  if (n.kind === 'seq') return str(n.items[0]) === 'NONE';
  return false;
}

/** One image: a stage of a Dockerfile built from a context. */
export function makeImage(d: Discovery, df: DockerfileModel, stage: Stage, contextDir: string, name?: string): Image {
  return {
    name: name ?? df.path,
    dockerfile: df,
    stage,
    reachableStages: reachableStages(df, stage),
    user: effectiveUser(df, stage),
    context: d.buildContext(contextDir, df.path),
    services: [],
    scripts: [],
    unresolvedStarts: [],
  };
}

function findService(projects: import('./compose.js').ComposeProject[], env: string, name: string, image: Image): Service | null {
  for (const p of projects) {
    for (const e of p.environments) {
      if (e.name !== env) continue;
      const s = e.services.find((x) => x.name === name && x.imageModel === image);
      if (s) return s;
    }
  }
  return null;
}

/** Executable bit from the git index (mode 100755) when in git, else from the file mode. */
function executableBit(d: Discovery, repoPath: string): { executable: boolean | null; source: 'git' | 'file' | null } {
  const mode = d.git?.tracked.get(repoPath);
  if (mode !== undefined) return { executable: (mode & 0o111) !== 0, source: 'git' };
  try {
    return { executable: (statSync(join(d.root, repoPath)).mode & 0o111) !== 0, source: 'file' };
  } catch {
    return { executable: null, source: null };
  }
}

const SHELL_INTERPRETERS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);

/** Read a script's shebang and parse it (with the statement tree) when it is a shell script. */
export function scriptModel(path: string, text: string, mode: { executable: boolean | null; source: 'git' | 'file' | null }): ScriptModel {
  const first = text.split('\n', 1)[0].replace(/\r$/, '');
  let shebang: ScriptModel['shebang'] = null;
  const m = /^#!\s*(\S+)(.*)$/.exec(first);
  if (m) {
    const words = m[2].trim().split(/\s+/).filter(Boolean);
    let interp = m[1];
    let args = words;
    if (baseName(interp) === 'env') {
      const i = words.findIndex((w) => !w.startsWith('-'));
      interp = words[i] ?? 'env';
      args = words.slice(i + 1);
    }
    shebang = { interpreter: baseName(interp), path: m[1], args, range: { line: 1, column: 1, endLine: 1, endColumn: first.length + 1 } };
  }
  const isShell = shebang ? SHELL_INTERPRETERS.has(shebang.interpreter) : /\.(sh|bash)$/.test(path);
  return {
    path,
    text,
    shebang,
    script: isShell ? parseShell(text, { line: 1, column: 1 }, { tree: true }) : null,
    executable: mode.executable,
    modeSource: mode.source,
  };
}

/** Variable names of the example env files (`isExample`); values are dropped as they are read. Unreadable files are skipped (discovery reports them). */
function readEnvExamples(d: Discovery): EnvExample[] {
  const out: EnvExample[] = [];
  for (const f of d.envFiles) {
    if (!f.isExample) continue;
    const r = d.readText(f.path);
    if ('error' in r) continue;
    out.push({ path: f.path, names: envFileNames(r.text) });
  }
  return out;
}

/** Names assigned by an env file: `KEY=value`, `export KEY=value`, `KEY: value`; blank lines and `#` comments skipped. */
export function envFileNames(text: string): string[] {
  const names: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]/.exec(raw);
    if (m && !names.includes(m[1])) names.push(m[1]);
  }
  return names;
}
