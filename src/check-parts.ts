/**
 * `check` in parts (src/partition.ts): each part's model is built, judged and handed on as sorted
 * results, then dropped. The results, errors and notices are the ones the whole-repository check gives
 * (the tests compare both on the shared corpus, with and without CI); only memory and time differ.
 * With CI workflows or update-bot configuration, the ci/ rules are judged once before the parts
 * (judgeCi) and their results merged into the parts' in report order.
 *
 * It runs on the main thread alone. A worker thread taking batches too was built and measured
 * (shared corpus, 2 vCPUs, 7 interleaved runs): 0.54 s wall against 0.57 s, for 0.79 s CPU against
 * 0.61 s and a second heap (310–440 MB at 16× the corpus). A single check already keeps the second
 * core partly busy with V8's garbage collector and compiler threads; two checks side by side each take
 * ~30% longer than one alone. It did not pay, so it was taken out.
 */
import { basename } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A batch's model is dropped when the next is built, but V8 may let the garbage of many batches pile
 * up before it collects (16× the shared corpus: peak RSS mostly ~240 MB, one run in three 330–350
 * MB). Past this much heap in use after a batch, a full collection is asked for (a few ms with a
 * batch's live data); below it, V8 decides as usual.
 */
const HEAP_CEILING = 160 * 1024 * 1024;

/**
 * V8's `gc()`, when bin/seaworthy.js set `--expose-gc` (a flag set at run time reaches new contexts,
 * not the main one); null otherwise (the library in a process without the flag). Looked up once, when
 * first needed.
 */
let collector: (() => void) | null | undefined;
function collectGarbage(): void {
  if (collector === undefined) {
    try {
      collector = runInNewContext('typeof gc === "function" ? gc : null') as (() => void) | null;
    } catch {
      collector = null;
    }
  }
  collector?.();
}
import {
  type CheckOptions,
  type CheckOutcome,
  checkDiscovered,
  countFiles,
  discoverWithConfig,
  inlineIgnores,
  localDate,
  runRules,
} from './check.js';
import { type Discovery, type DiscoveryView, filterFiles } from './discover/index.js';
import { applyPolicy, type Config, enabledRules, forDockerfile, type IgnoreIndex, resolveFailOn, waiverNotices } from './engine/index.js';
import { compareResults, sortNotices } from './format/report.js';
import { buildProject, ciPart, likelyNeedsTreeSitter } from './model/build.js';
import { ciDockerfile, ciFacts } from './model/ci.js';
import type { DockerfileModel } from './model/dockerfile.js';
import type { CiCompose, CiDockerfile } from './model/workflow.js';
import { parseUpdateConfigs } from './parse/update-config.js';
import { parseWorkflows } from './parse/workflow.js';
import { initShell } from './parse/shell.js';
import type { DiscoveredFiles, Project } from './model/project.js';
import {
  batchParts,
  CI_SPLIT_FILES,
  environmentsIn,
  judgesCiApart,
  type Part,
  partFiles,
  planParts,
  REPOSITORY_RULES,
  rootPart,
} from './partition.js';
import type { FileError, Result, Rule, RuleMeta, Severity } from './types.js';

/** What a check in parts gives besides its results (which went to the sink). */
export interface PartsOutcome {
  root: string;
  errors: FileError[];
  notices: FileError[];
  rules: RuleMeta[];
  failOn: Severity;
  filesScanned: number;
  /** How many parts the repository was split in. */
  parts: number;
  /** How many batches of parts it was checked in. */
  batches: number;
  /** With a Dockerfile, compose file or example env file at the root: how many parts the root's part took in (rootClosure); else null. */
  rootTookIn: number | null;
}

export type StreamedCheck = { kind: 'parts'; outcome: PartsOutcome; durationMs: () => number } | { kind: 'whole'; outcome: CheckOutcome };

/** What judging one part (or batch) gives. */
interface PartOutput {
  results: Result[];
  errors: FileError[];
  notices: FileError[];
  escaped: boolean;
  /** Its results about the repository itself (no file), as keys: every part must give the same. */
  repoKeys: string;
}

/** What every part is judged with: the rules (all that run, the parts', the repository-wide ones) and the policy's inputs. */
interface PartSetup {
  name: string;
  config: Config;
  today: string;
  ranRules: Set<string>;
  partRules: Rule[];
  repositoryRules: Rule[];
  /** The ci/ rules, when they are judged apart from the parts (judgesCiApart); else they are among `partRules`. */
  ciRules: Rule[];
  /** Inline ignores used by the ci/ rules judged apart (see PolicyOptions.sharedUse). */
  sharedUse: Set<string>;
  /** How many results each config waiver matched, over every part (see PolicyOptions.waiverTally). */
  waiverTally: number[];
}

interface JudgeOptions {
  /** The repository-wide rules instead of the parts'. */
  repository?: boolean;
  /** Keep the results about the repository itself (no file): only the first part does, so a waiver counts them once. */
  keepRepo?: boolean;
  /** The part's Dockerfiles as the ci/ rules judged apart saw them (ciKeys), compared with the part's own build. */
  ciSaw?: Map<string, string>;
  /** The part already built (buildPart). */
  built?: BuiltPart;
}

/** A part's view and model. */
interface BuiltPart {
  view: DiscoveryView;
  project: Project;
}

async function buildPart(d: Discovery, setup: PartSetup, part: Part, files: DiscoveredFiles): Promise<BuiltPart> {
  const view = d.view(part.inScope, files);
  return { view, project: await buildProject(view, setup.name, { environments: environmentsIn(setup.config.environments, part) }) };
}

/** Builds, judges and drops one part or batch. */
async function judgePart(d: Discovery, setup: PartSetup, part: Part, files: DiscoveredFiles, opts: JudgeOptions = {}): Promise<PartOutput> {
  const { view, project } = opts.built ?? (await buildPart(d, setup, part, files));
  const ran = runRules(opts.repository ? setup.repositoryRules : setup.partRules, project);
  // Results about the repository itself come from facts every part shares: the first part's are
  // kept (hand compares the others').
  const repo = ran.input.filter((x) => x.raw.location.file === '');
  const repoKeys = repo
    .map((x) => `${x.ruleId}\0${x.raw.status}\0${x.raw.message}`)
    .sort()
    .join('\n');
  const input = repo.length && !opts.keepRepo ? ran.input.filter((x) => x.raw.location.file !== '') : ran.input;
  const policy = applyPolicy(input, {
    config: setup.config,
    ignores: inlineIgnores(project),
    today: setup.today,
    ranRules: setup.ranRules,
    sharedUse: setup.sharedUse,
    waiverTally: setup.waiverTally,
  });
  const errors = [...project.errors, ...ran.errors];
  if (opts.ciSaw) {
    const own = ciKeys(project.dockerfiles);
    for (const file of [...new Set([...own.keys(), ...opts.ciSaw.keys()])].sort())
      if (own.get(file) !== opts.ciSaw.get(file))
        errors.push({
          file,
          message:
            'internal error: the CI facts saw this Dockerfile differently from the build of its part; its ci/ results may differ from a whole check',
        });
  }
  return { results: policy.results, errors, notices: policy.notices, escaped: view.escaped(), repoKeys };
}

/** The Dockerfiles of a build as the CI facts see them: path → final FROM (as written, resolved, where). */
function ciKeys(dockerfiles: readonly DockerfileModel[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const df of dockerfiles) {
    const c = ciDockerfile(df);
    if (!c) continue;
    const r = c.from.instr.range;
    keys.set(c.path, `${c.from.raw}\0${c.from.resolved}\0${r.line}:${r.column}-${r.endLine}:${r.endColumn}`);
  }
  return keys;
}

/** A part's files without the workflows and update configuration (judged apart, by judgeCi). */
function withoutCi(files: DiscoveredFiles): DiscoveredFiles {
  return files.workflows.length || files.updateConfigs.length ? { ...files, workflows: [], updateConfigs: [] } : files;
}

/** The ci/ rules judged once, apart from the parts (judgesCiApart). */
interface CiJudged {
  results: Result[];
  errors: FileError[];
  notices: FileError[];
  /** Per batch: its Dockerfiles as the CI facts saw them (ciKeys). */
  saw: Map<Part, Map<string, string>>;
}

/**
 * Judges the ci/ rules once for a repository checked in parts: the workflows and update
 * configuration are parsed, and each batch is read lightly for what the CI facts need of it (its
 * Dockerfiles' final FROMs, from skeletons that parse no shell, and its compose projects' builds:
 * ciPart), the way the whole build would give them. Results in a Dockerfile honour its inline
 * ignores (the part reports the unused ones, knowing these were used: `setup.sharedUse`).
 */
function judgeCi(d: Discovery, setup: PartSetup, batches: Part[]): CiJudged {
  const dockerfiles: CiDockerfile[] = [];
  const compose: CiCompose[] = [];
  const ignores = new Map<string, IgnoreIndex>();
  const saw = new Map<Part, Map<string, string>>();
  for (const batch of batches) {
    const view = d.view(batch.inScope, withoutCi(partFiles(d.files, batch)));
    const light = ciPart(view, setup.name, { environments: environmentsIn(setup.config.environments, batch) });
    for (const df of light.dockerfiles) {
      const c = ciDockerfile(df);
      if (c) dockerfiles.push(c);
      if (df.comments.length) {
        const index = forDockerfile(df);
        if (index.suppressions.length) ignores.set(df.path, index);
      }
    }
    saw.set(batch, ciKeys(light.dockerfiles));
    for (const p of light.compose) compose.push(p);
  }
  // Batches are runs of path order, but a compose build can name a Dockerfile discovery does not list.
  dockerfiles.sort((a, b) => (a.path < b.path ? -1 : 1));
  const reader = d.view(() => true);
  const wfs = parseWorkflows(reader, d.files.workflows);
  const updates = parseUpdateConfigs(reader, d.files.updateConfigs);
  const ci = ciFacts({
    workflows: wfs.workflows,
    unreadable: wfs.unreadable,
    dockerfiles,
    compose,
    manifests: d.files.manifests,
    updates: updates.configs,
  });
  const project: Project = {
    name: setup.name,
    dockerfiles: [],
    images: [],
    envFiles: [],
    envExamples: [],
    scripts: [],
    compose: [],
    composeFiles: new Map(),
    workflows: wfs.workflows,
    ci,
    git: d.git !== null,
    files: d.files,
    errors: [],
  };
  const ran = runRules(setup.ciRules, project);
  const own = inlineIgnores(project);
  for (const [file, index] of own) ignores.set(file, index);
  const policy = applyPolicy(ran.input, {
    config: setup.config,
    ignores,
    today: setup.today,
    ranRules: setup.ranRules,
    sharedUse: setup.sharedUse,
    waiverTally: setup.waiverTally,
  });
  // Unused ignores in Dockerfiles are the parts' to report (the parts' results may use them).
  const notices = policy.notices.filter((n) => own.has(n.file));
  return { results: policy.results, errors: [...wfs.errors, ...updates.errors, ...ran.errors], notices, saw };
}

/** Builds of the root's files (rootClosure) before the repository is checked whole instead. */
const ROOT_BUILDS = 6;

/**
 * The root's part (the first of `planned`) with the parts its build reads from taken in, built
 * (judged later, from this build) until it reads nothing of another part; null when that takes more
 * than ROOT_BUILDS builds or most of the repository's files (then a whole check costs less).
 */
async function rootClosure(d: Discovery, setup: PartSetup, planned: Part[]): Promise<{ part: Part; built: BuiltPart } | null> {
  const others = planned.slice(1);
  const total = countFiles(d);
  // (Those an example env file at the root documents, from the start: planParts.)
  let takenIn: Part[] = planned[0].members ?? [];
  for (let i = 0; i < ROOT_BUILDS; i++) {
    const part = rootPart(takenIn);
    const files = withoutCi(partFiles(d.files, part));
    if (countFiles({ files }) * 2 > total) return null;
    const built = await buildPart(d, setup, part, files);
    const outside = built.view.escapedPaths().filter((p) => p !== '.');
    const more = others.filter((q) => !takenIn.includes(q) && outside.some((p) => q.inScope(p)));
    if (!more.length) return { part, built };
    takenIn = others.filter((q) => takenIn.includes(q) || more.includes(q));
  }
  return null;
}

/** Discovered files per batch of parts (see batchParts). */
const BATCH_FILES = 48;

/** Where a check in parts hands its results: `start` once (before any result), then `results` in report order. */
export interface ResultSink {
  /** `root`: the repository's name, the target of results about the repository as a whole. */
  start(info: { root: string; rules: RuleMeta[]; failOn: Severity }): void;
  results(sorted: Result[]): void;
  /** No more results about the repository as a whole (target `root`, or `root (…)`) will come. */
  repositoryDone?(): void;
  /**
   * Before any result: targets with results located in other files than their own, which come in
   * other hand-ons (the ci/ rules' passes of a Dockerfile point at the workflow step that scans it).
   * Each maps to the last file (in path order) its results are located in, the target's own path
   * included: its results are all in once results located at or after that file have been handed on.
   */
  spread?(targets: ReadonlyMap<string, string>): void;
}

/**
 * Checks `path` in parts when it splits (see planParts), handing each part's results to `sink`
 * sorted, in the order of the whole report; otherwise checks it whole (nothing goes to the sink, the
 * outcome holds the report).
 */
export async function checkStreamed(path: string, options: CheckOptions, sink: ResultSink): Promise<StreamedCheck> {
  const started = performance.now();
  const { discovery: d, config, configFile } = await discoverWithConfig(path, options);
  // A repository whose build will load tree-sitter starts loading it now: its wasm is read and
  // compiled while the split is planned (its first build awaits it, and reports a failure).
  if (likelyNeedsTreeSitter(d.files)) initShell().catch(() => {});
  const enabled = enabledRules(config);
  const ciApart = judgesCiApart(d.files);
  const isCi = (r: Rule) => ciApart && r.meta.family === 'ci';
  const setup: PartSetup = {
    name: basename(d.root),
    config,
    today: options.today ?? localDate(),
    ranRules: new Set(enabled.map((r) => r.meta.id)),
    partRules: enabled.filter((r) => !REPOSITORY_RULES.has(r.meta.id) && !isCi(r)),
    repositoryRules: enabled.filter((r) => REPOSITORY_RULES.has(r.meta.id)),
    ciRules: enabled.filter(isCi),
    sharedUse: new Set(),
    waiverTally: [],
  };
  // SEAWORTHY_PARTS=0 checks whole whatever the repository (for comparing, or to rule the split out);
  // SEAWORTHY_PARTS=1 splits a repository with CI whatever its size (for comparing).
  const force = process.env.SEAWORTHY_PARTS;
  const planned = force === '0' ? null : planParts(d, config, force === '1' ? 0 : CI_SPLIT_FILES);
  const whole = async (): Promise<StreamedCheck> => ({
    kind: 'whole',
    outcome: await checkDiscovered(d, config, configFile, options, started),
  });
  if (planned === null) return whole();
  // The files at the root (with a Dockerfile, compose file or example env file there) are judged
  // before the others: a root image's context is the whole repository, its build follows the
  // entrypoint scripts it copies wherever they are, a root compose file builds Dockerfiles in other
  // folders. Each part its build reads from is taken in (so no file is read, or judged, by two
  // parts), until it reads nothing of another part. Nothing has been handed on yet: if it takes in
  // most of the repository, the repository is checked whole.
  let top: Part | null = null;
  let topBuilt: BuiltPart | undefined;
  let rest = planned;
  if (planned[0].kind === 'root') {
    const closed = await rootClosure(d, setup, planned);
    if (closed === null) return whole();
    top = closed.part;
    topBuilt = closed.built;
    rest = planned.filter((p) => p.kind !== 'root' && !closed.part.members?.includes(p));
    // (Its results about the repository itself are kept by the first of the others.)
    if (!rest.length) return whole();
  }
  const parts = batchParts(rest, d.files, BATCH_FILES);

  // The ci/ rules, once, when the repository has CI (the parts are checked without them).
  const ci = ciApart ? judgeCi(d, setup, top ? [top, ...parts] : parts) : null;
  const atTop = top
    ? await judgePart(d, setup, top, withoutCi(partFiles(d.files, top)), { ciSaw: ci?.saw.get(top), built: topBuilt })
    : null;
  topBuilt = undefined; // (its model is not kept while the others are checked)

  const rules = enabled.map((r) => r.meta);
  const failOn = resolveFailOn(config, options.failOn);
  sink.start({ root: setup.name, rules, failOn });
  const emit = (sorted: Result[]) => sink.results(sorted);

  const errors: FileError[] = [];
  const notices: FileError[] = [];
  // The repository-wide rules, once, on the files they read; their results are merged into the
  // parts' in order. (The errors of reading those files are the parts' to report.)
  const wideFiles = new Set([...d.files.envFiles, ...d.files.gitignores]);
  const inWide = (rel: string) => wideFiles.has(rel);
  const wide = await judgePart(d, setup, { path: '', kind: 'tree', inScope: inWide }, filterFiles(d.files, inWide), {
    repository: true,
    keepRepo: true,
  });
  notices.push(...wide.notices);
  let apart = wide.results;
  if (ci) {
    errors.push(...ci.errors);
    notices.push(...ci.notices);
    apart = apart.concat(ci.results);
  }
  if (atTop) {
    errors.push(...atTop.errors);
    notices.push(...atTop.notices);
    apart = apart.concat(atTop.results);
  }
  const pending = apart.sort(compareResults);
  let pendingAt = 0;
  // Results about the repository as a whole come from the first batch (those without a file) and from
  // the repository-wide rules: the sink is told once the last of them has been handed on.
  const isRepository = (t: string) => t === setup.name || t.startsWith(`${setup.name} (`);
  let lastRepository = -1;
  for (let i = 0; i < pending.length; i++) if (isRepository(pending[i].target)) lastRepository = i;
  let repositoryDone = false;
  // Results judged apart (the repository-wide rules', the ci/ rules') located away from their target
  // (a file): the sink learns up to which file each such target's results come.
  const spread = new Map<string, string>();
  for (const r of pending) {
    const f = r.location.file;
    if (f === r.target || f === '' || isRepository(r.target)) continue;
    let until = spread.get(r.target) ?? r.target;
    if (f > until) until = f; // (paths compare as strings)
    spread.set(r.target, until);
  }
  if (spread.size) sink.spread?.(spread);

  // Results about the repository itself (no file) sort first. They come from facts every part shares
  // (a part holds no CI workflow; with CI, the ci/ rules were judged apart), so each part gives the
  // same ones: the first part's are kept (judgePart drops the others'), and a part that gives others
  // is an error here, not a silent difference.
  let repoKeys: string | null = atTop ? atTop.repoKeys : null;
  const hand = (part: Part, o: PartOutput) => {
    errors.push(...o.errors);
    notices.push(...o.notices);
    if (o.escaped)
      errors.push({
        file: part.path,
        message:
          'internal error: checked as a part of the repository, it reads files outside that part; its results may differ from a whole check',
      });
    if (repoKeys === null) repoKeys = o.repoKeys;
    else if (o.repoKeys !== repoKeys)
      errors.push({ file: part.path, message: 'internal error: repository-wide results of this part differ from the first part’s' });
    const own = o.results.sort(compareResults); // those without a file (the first part's) first
    // Merge in the repository-wide rules' results that sort before each of this part's.
    const out: Result[] = [];
    for (const r of own) {
      while (pendingAt < pending.length && compareResults(pending[pendingAt], r) < 0) out.push(pending[pendingAt++]);
      out.push(r);
    }
    // And those that sort before the end of this batch's run of paths: each hand-on holds the results
    // of one run of paths (the first also those without a file), so a target's results come together.
    const end = runEnd(part);
    while (pendingAt < pending.length && pending[pendingAt].location.file < end) out.push(pending[pendingAt++]);
    if (out.length) emit(out);
    if (!repositoryDone && pendingAt > lastRepository) {
      repositoryDone = true;
      sink.repositoryDone?.();
    }
  };

  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    hand(part, await judgePart(d, setup, part, withoutCi(partFiles(d.files, part)), { keepRepo: i === 0, ciSaw: ci?.saw.get(part) }));
    if (getHeapStatistics().used_heap_size > HEAP_CEILING) collectGarbage();
  }
  if (pendingAt < pending.length) emit(pending.slice(pendingAt));
  notices.push(...waiverNotices(config, setup.waiverTally, setup.today, setup.ranRules));

  return {
    kind: 'parts',
    outcome: {
      root: setup.name,
      errors: [...d.errors, ...errors],
      notices: sortNotices(notices),
      rules,
      failOn,
      filesScanned: countFiles(d),
      parts: planned.length,
      batches: parts.length,
      rootTookIn: top ? (top.members?.length ?? 0) : null,
    },
    durationMs: () => Math.round(performance.now() - started),
  };
}

/** The first path after a part's (or batch's) run of paths: `dir0` after `dir/…`, `file\0` after a file. */
function runEnd(part: Part): string {
  const last = part.members ? part.members[part.members.length - 1] : part;
  return last.kind === 'tree' ? `${last.path}0` : `${last.path}\0`;
}
