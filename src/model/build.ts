/** Builds the Project from a Discovery: every file is read and parsed once, here. */
import { posix } from 'node:path';
import { loadCompose } from '../compose/load.js';
import type { Discovery } from '../discover/index.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import { initShell, parseShell } from '../parse/shell.js';
import { get, type PNode, posInScalar, str } from '../parse/yaml.js';
import type { FileError } from '../types.js';
import type { BuildRef, Environment, HealthTest, Service } from './compose.js';
import type { DockerfileModel, Stage } from './dockerfile.js';
import { effectiveUser, reachableStages } from './image.js';
import type { Image, ImageServiceRef, Project } from './project.js';

export interface BuildOptions {
  /** Explicit compose environments from the config (`environments:`). */
  environments?: Record<string, string[]>;
}

export async function buildProject(d: Discovery, name: string, options: BuildOptions = {}): Promise<Project> {
  await initShell();
  const errors: FileError[] = [];
  const dockerfiles = new Map<string, DockerfileModel>();
  const tried = new Set<string>();
  const parseOne = (path: string): DockerfileModel | null => {
    if (tried.has(path)) return dockerfiles.get(path) ?? null;
    tried.add(path);
    const r = d.readText(path);
    if ('error' in r) {
      errors.push({ file: path, message: r.error });
      return null;
    }
    try {
      const model = parseDockerfile(path, r.text);
      if (model.stages.length === 0) {
        const p = model.problems[0];
        errors.push({ file: path, message: `not a Dockerfile: ${p?.message ?? 'no FROM instruction'}`, line: p?.range.line });
      }
      dockerfiles.set(path, model);
      return model;
    } catch (e) {
      errors.push({ file: path, message: `could not parse: ${(e as Error).message}` });
      return null;
    }
  };
  for (const path of d.files.dockerfiles) parseOne(path);

  const compose = loadCompose({ read: (p) => d.readText(p) }, d.files.compose, options.environments ?? {}, name);
  errors.push(...compose.errors);

  // Images: one per (Dockerfile, target, context) that compose builds; a Dockerfile no service
  // builds is judged as its final stage built from its own folder.
  const images = new Map<string, Image>();
  const linked = new Set<string>();
  for (const project of compose.projects) {
    for (const env of project.environments) {
      for (const svc of env.services) {
        svc.healthTest = healthTest(get(get(svc.node, 'healthcheck'), 'test'));
        svc.build = buildRef(env, svc);
        if (!svc.build && svc.image && !svc.image.includes('$')) {
          const df = parseDockerfile(`<image ${svc.image}>`, `FROM ${svc.image}\n`);
          if (df.stages.length) svc.externalImage = { dockerfile: df, stage: df.stages[0] };
        }
        const b = svc.build;
        if (!b || b.problem || b.context === null || b.dockerfile === null) continue;
        const df = parseOne(b.dockerfile);
        if (!df || df.stages.length === 0) {
          if (!df) b.problem = `Dockerfile \`${b.dockerfile}\` could not be read`;
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
        const key = `${df.path}\0${stage.index}\0${b.context}`;
        let image = images.get(key);
        if (!image) {
          const isFinal = stage.index === df.stages.length - 1;
          const defaultCtx = dirOf(df.path);
          let label = isFinal ? df.path : `${df.path}#${stage.name ?? stage.index}`;
          if (b.context !== defaultCtx) label += ` (context ${b.context || '.'})`;
          image = makeImage(d, df, stage, b.context, label);
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

  return {
    name,
    dockerfiles: [...dockerfiles.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
    images: out,
    envFiles: d.envFiles,
    compose: compose.projects,
    composeFiles: compose.files,
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

/** Where a service's `build:` points, relative to the scanned root. */
function buildRef(env: Environment, svc: Service): BuildRef | null {
  const build = get(svc.node, 'build');
  if (!build) return null;
  const ctxNode = get(build, 'context');
  const ctx = str(ctxNode) ?? '.';
  const prov = (ctxNode ?? build).prov;
  const dockerfile = str(get(build, 'dockerfile')) ?? 'Dockerfile';
  const target = str(get(build, 'target')) ?? null;
  if (get(build, 'dockerfile_inline')) return { context: null, dockerfile: null, target, prov, problem: 'inline Dockerfile (`dockerfile_inline`) is not analysed' };
  if (REMOTE.test(ctx)) return { context: null, dockerfile: null, target, prov, problem: `remote build context \`${ctx}\` is not analysed` };
  if (ctx.includes('$') || dockerfile.includes('$')) return { context: null, dockerfile: null, target, prov, problem: `build path \`${ctx}\` uses a variable` };
  const context = posix.normalize(posix.join(env.dir || '.', ctx)).replace(/^\.$/, '').replace(/\/$/, '');
  if (context.startsWith('..') || posix.isAbsolute(ctx)) {
    return { context: null, dockerfile: null, target, prov, problem: `build context \`${ctx}\` is outside the scanned root` };
  }
  const df = posix.isAbsolute(dockerfile) ? null : posix.normalize(posix.join(context || '.', dockerfile));
  if (!df || df.startsWith('..')) return { context, dockerfile: null, target, prov, problem: `Dockerfile \`${dockerfile}\` is outside the scanned root` };
  return { context, dockerfile: df, target, prov };
}

/** Parse a compose `healthcheck.test` once, here, so rules never re-parse. */
export function healthTest(test: PNode | undefined): HealthTest | null {
  if (!test) return null;
  if (test.kind === 'scalar') {
    if (typeof test.value !== 'string') return null;
    const o = posInScalar(test, 0);
    return { form: 'shell', argv: [], argvRanges: [], script: parseShell(test.value, o), prov: test.prov };
  }
  if (test.kind !== 'seq' || test.items.length === 0) return null;
  const head = str(test.items[0]);
  const rest = test.items.slice(1);
  if (head === 'NONE') return { form: 'none', argv: [], argvRanges: [], script: null, prov: test.prov };
  if (head === 'CMD-SHELL') {
    const cmd = rest[0];
    if (!cmd || cmd.kind !== 'scalar' || typeof cmd.value !== 'string') return null;
    return { form: 'shell', argv: [], argvRanges: [], script: parseShell(cmd.value, posInScalar(cmd, 0)), prov: test.prov };
  }
  if (head === 'CMD') {
    const argv = rest.map((n) => str(n) ?? '');
    // ["CMD", "sh", "-c", "..."]: the shell's script is parsed too.
    const c = rest[2];
    const script =
      argv.length >= 3 && /(^|\/)(ba|a|da)?sh$/.test(argv[0]) && argv[1] === '-c' && c?.kind === 'scalar' && typeof c.value === 'string'
        ? parseShell(c.value, posInScalar(c, 0))
        : null;
    return { form: 'exec', argv, argvRanges: rest.map((n) => n.prov.range), script, prov: test.prov };
  }
  return null;
}

function serviceRef(env: Environment, svc: Service): ImageServiceRef {
  const user = str(get(svc.node, 'user')) ?? null;
  const hc = get(svc.node, 'healthcheck');
  const disabled = hc && (str(get(hc, 'disable')) === 'true' || testIsNone(get(hc, 'test')));
  const init = str(get(svc.node, 'init'));
  return {
    environment: env.name,
    service: svc.name,
    user,
    hasHealthcheck: !!hc && !disabled && get(hc, 'test') !== undefined,
    init: init === undefined ? null : init === 'true',
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
  };
}
