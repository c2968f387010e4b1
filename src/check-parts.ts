/**
 * `check` in parts (src/partition.ts): each part's model is built, judged and handed on as sorted
 * results, then dropped. The results, errors and notices are the ones the whole-repository check gives
 * (the tests compare both on the shared corpus); only memory and time differ.
 *
 * On a machine with two or more cores, a worker thread takes parts too (`workerBundle`): the parts
 * are independent, so the two threads claim them from one shared counter and the results are put
 * back in order before they are handed on. Worth it only for many parts (the worker's start-up,
 * its own copy of the bundle and of the shell grammar, costs ~40 ms of the other core).
 */
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type CheckOptions, type CheckOutcome, checkDiscovered, countFiles, discoverWithConfig, inlineIgnores, localDate, runRules } from './check.js';
import { type Discovery, type DiscoveryData, filterFiles } from './discover/index.js';
import { applyPolicy, type Config, enabledRules, resolveFailOn } from './engine/index.js';
import { compareResults } from './format/report.js';
import { buildProject } from './model/build.js';
import type { DiscoveredFiles } from './model/project.js';
import { batchParts, mayPlanParts, type Part, partFiles, planParts, REPOSITORY_RULES } from './partition.js';
import type { FileError, Result, Rule, RuleMeta, Severity } from './types.js';

/** What a check in parts gives besides its results (which went to `emit`). */
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
  /** How many of the batches the worker thread checked (0: no worker). */
  byWorker: number;
}

export type StreamedCheck = { kind: 'parts'; outcome: PartsOutcome; durationMs: () => number } | { kind: 'whole'; outcome: CheckOutcome };

export interface StreamOptions extends CheckOptions {
  /** The CLI bundle (dist/seaworthy.cjs), to run a worker thread from; none: no worker. */
  workerBundle?: string | null;
  /** A part worker already started (bin/seaworthy.js starts one with the process): used or ended. */
  worker?: Worker | null;
}

/** What judging one part gives. Plain data: it crosses from the worker thread. */
export interface PartOutput {
  index: number;
  results: Result[];
  errors: FileError[];
  notices: FileError[];
  escaped: boolean;
}

/** What both threads need to judge parts the same way. */
export interface PartSetup {
  name: string;
  config: Config;
  today: string;
}

/** The rules of a setup (all enabled, the parts', the repository-wide ones), worked out once. */
const rulesOf = new WeakMap<PartSetup, { ranRules: Set<string>; parts: Rule[]; repository: Rule[] }>();

function setupRules(setup: PartSetup) {
  let r = rulesOf.get(setup);
  if (!r) {
    const rules = enabledRules(setup.config);
    r = {
      ranRules: new Set(rules.map((x) => x.meta.id)),
      parts: rules.filter((x) => !REPOSITORY_RULES.has(x.meta.id)),
      repository: rules.filter((x) => REPOSITORY_RULES.has(x.meta.id)),
    };
    rulesOf.set(setup, r);
  }
  return r;
}

/** Builds, judges and drops one part (`repository`: the repository-wide rules instead of the parts'). */
export async function judgePart(d: Discovery, setup: PartSetup, index: number, part: Part, files?: DiscoveredFiles, repository = false): Promise<PartOutput> {
  const { ranRules, parts, repository: wide } = setupRules(setup);
  const which = repository ? wide : parts;
  const view = d.view(part.inScope, files ?? partFiles(d.files, part));
  const project = await buildProject(view, setup.name, { environments: setup.config.environments });
  const ran = runRules(which, project);
  const policy = applyPolicy(ran.input, { config: setup.config, ignores: inlineIgnores(project), today: setup.today, ranRules });
  return { index, results: policy.results, errors: [...project.errors, ...ran.errors], notices: policy.notices, escaped: view.escaped() };
}

/** What a part worker gets first (src/part-worker.ts); each batch's parts (`{ path, kind }[][]`) follow. */
export interface PartWorkerStart {
  discovery: DiscoveryData;
  setup: PartSetup;
  /** One Int32: the next batch to claim, shared by both threads. */
  next: SharedArrayBuffer;
}

/** `workerData` of a part worker: what the bundle, run in a worker thread, looks for. */
export const PART_WORKER = 'part-worker';

/** Discovered files per batch of parts (see batchParts). */
const BATCH_FILES = 48;

/** How long the main thread waits for a worker that gives nothing back before it does the work itself. */
const WORKER_STALL_MS = 10_000;

/** The worker's old-generation heap limit. */
const WORKER_OLD_MB = 96;

/**
 * Files to parse for a worker thread to pay for its start-up, and files beyond which it is not
 * started: two heaps (and results waiting to be put in order) cost more memory than a check in parts
 * should take (16× the shared corpus: ~250 MB on one thread, ~310–440 MB with the worker).
 */
const WORKER_MIN_FILES = 64;
const WORKER_MAX_FILES = 3000;

/**
 * Checks `path` in parts when it splits (see planParts), handing each part's results to `emit`
 * sorted, in the order of the whole report; otherwise checks it whole (nothing is emitted, the
 * outcome holds the report).
 */
export async function checkStreamed(path: string, options: StreamOptions, emit: (sorted: Result[]) => void): Promise<StreamedCheck> {
  const started = performance.now();
  const { discovery: d, config, configFile } = await discoverWithConfig(path, options);
  const setup: PartSetup = { name: basename(d.root), config, today: options.today ?? localDate() };
  const next = new SharedArrayBuffer(4);
  const counter = new Int32Array(next);
  // The worker starts before the split is planned (it takes ~80 ms to be ready): the repository is
  // large enough, and nothing rules a split out before the plan does.
  const f = d.files;
  const wanted =
    process.env.SEAWORTHY_WORKER !== '0' &&
    process.env.SEAWORTHY_PARTS !== '0' &&
    availableParallelism() >= 2 &&
    f.dockerfiles.length + f.compose.length >= WORKER_MIN_FILES &&
    f.dockerfiles.length + f.compose.length <= WORKER_MAX_FILES &&
    mayPlanParts(d, config);
  let worker: Worker | null = options.worker ?? null;
  if (!wanted) {
    void worker?.terminate();
    worker = null;
  } else if (worker === null && options.workerBundle) worker = startPartWorker(options.workerBundle);
  // Parts judged by either thread wait here until every part before them has been handed on.
  const done = new Map<number, PartOutput>();
  let handed = 0;
  // Nothing is handed on before the repository-wide results are known (`ready`).
  let ready = false;
  const flush = () => {
    if (!ready) return;
    for (let o = done.get(handed); o !== undefined; o = done.get(handed)) {
      done.delete(handed++);
      hand(o);
    }
  };
  // (A worker started with the process may have died already: its threadId is then -1.)
  let workerGone = worker === null || worker.threadId === -1;
  let fromWorker = 0;
  let wake: (() => void) | null = null;
  if (worker) {
    worker.on('message', (o: PartOutput) => {
      fromWorker++;
      done.set(o.index, o);
      flush();
      wake?.();
    });
    const gone = () => {
      workerGone = true;
      wake?.();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
  }
  worker?.postMessage({ discovery: d.toData(), setup, next } satisfies PartWorkerStart);
  // SEAWORTHY_PARTS=0 checks whole whatever the repository (for comparing, or to rule the split out).
  const planned = process.env.SEAWORTHY_PARTS === '0' ? null : planParts(d, config);
  if (planned === null) {
    void worker?.terminate();
    return { kind: 'whole', outcome: await checkDiscovered(d, config, configFile, options, started) };
  }
  // With a worker, smaller batches (about 16 per thread) keep both threads busy to the end.
  const files = f.dockerfiles.length + f.compose.length + f.dockerignores.length + f.gitignores.length + f.envFiles.length + f.configs.length + f.manifests.length;
  const parts = batchParts(planned, d.files, worker ? Math.max(8, Math.min(BATCH_FILES, Math.ceil(files / 32))) : BATCH_FILES);
  worker?.postMessage(parts.map((p) => (p.members ?? [p]).map((m) => ({ path: m.path, kind: m.kind as 'tree' | 'file' }))));

  const errors: FileError[] = [];
  const notices: FileError[] = [];
  // The repository-wide rules, once, on the files they read; their results are merged into the
  // parts' in order. (The errors of reading those files are the parts' to report.)
  const wideFiles = new Set([...d.files.envFiles, ...d.files.gitignores]);
  const inWide = (rel: string) => wideFiles.has(rel);
  const wide = await judgePart(d, setup, -1, { path: '', kind: 'tree', inScope: inWide }, filterFiles(d.files, inWide), true);
  notices.push(...wide.notices);
  const pending = wide.results.sort(compareResults);
  let pendingAt = 0;

  // Results about the repository itself (no file) sort first. They come from facts every part shares
  // (no CI workflow), so each part gives the same ones: the first part's are kept, and a part that
  // gives others is an error here, not a silent difference.
  let repoKeys: string | null = null;
  const hand = (o: PartOutput) => {
    const part = parts[o.index];
    errors.push(...o.errors);
    notices.push(...o.notices);
    if (o.escaped) errors.push({ file: part.path, message: 'internal error: checked as a part of the repository, it reads files outside that part; its results may differ from a whole check' });
    const own: Result[] = [];
    const repo: Result[] = [];
    for (const r of o.results) (r.location.file === '' ? repo : own).push(r);
    repo.sort(compareResults);
    const keys = repo.map((r) => `${r.ruleId}\0${r.status}\0${r.message}`).join('\n');
    own.sort(compareResults);
    if (repoKeys === null) {
      repoKeys = keys;
      own.unshift(...repo); // no file: before every other result
    } else if (keys !== repoKeys) {
      errors.push({ file: part.path, message: 'internal error: repository-wide results of this part differ from the first part’s' });
    }
    // Merge in the repository-wide rules' results that sort before each of this part's.
    const out: Result[] = [];
    for (const r of own) {
      while (pendingAt < pending.length && compareResults(pending[pendingAt], r) < 0) out.push(pending[pendingAt++]);
      out.push(r);
    }
    if (out.length) emit(out);
  };
  ready = true;
  flush();

  // SEAWORTHY_WORKER=first (tests): the main thread waits for the worker's first batch, so the
  // worker's path is taken whatever the timing.
  while (worker && process.env.SEAWORTHY_WORKER === 'first' && fromWorker === 0 && !workerGone) {
    await new Promise<void>((r) => {
      wake = r;
    });
    wake = null;
  }
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= parts.length) break;
    done.set(i, await judgePart(d, setup, i, parts[i]));
    flush();
    // Let the worker's results in.
    if (worker) await new Promise((r) => setImmediate(r));
  }
  // The worker's last parts; parts it claimed but never gave back (it failed, or went a whole
  // WORKER_STALL_MS without giving any) are judged here.
  while (handed < parts.length && !workerGone) {
    const before = fromWorker;
    const timer = setTimeout(() => wake?.(), WORKER_STALL_MS);
    await new Promise<void>((r) => {
      wake = r;
    });
    clearTimeout(timer);
    wake = null;
    if (fromWorker === before && !workerGone) {
      void worker?.terminate();
      workerGone = true;
    }
  }
  for (let i = handed; i < parts.length; i++) {
    if (!done.has(i)) done.set(i, await judgePart(d, setup, i, parts[i]));
    flush();
  }
  // It ends on its own once the batches are all claimed.
  if (pendingAt < pending.length) emit(pending.slice(pendingAt));

  return {
    kind: 'parts',
    outcome: {
      root: setup.name,
      errors: [...d.errors, ...errors],
      notices,
      rules: enabledRules(config).map((r) => r.meta),
      failOn: resolveFailOn(config, options.failOn),
      filesScanned: countFiles(d),
      parts: planned.length,
      batches: parts.length,
      byWorker: fromWorker,
    },
    durationMs: () => Math.round(performance.now() - started),
  };
}

/**
 * A worker thread running the CLI bundle (bin/run-bundle.js, with the code cache) as a part worker;
 * it waits for its work by message. Unreferenced: it never keeps the process alive.
 */
export function startPartWorker(bundle: string): Worker {
  const runner = pathToFileURL(join(dirname(bundle), '..', 'bin', 'run-bundle.js')).href;
  const w = new Worker(`import(${JSON.stringify(runner)}).then((m) => m.runBundle(${JSON.stringify(bundle)}));`, {
    eval: true,
    workerData: PART_WORKER,
    // A batch's model is small; a tight heap keeps the worker's memory near it (V8 otherwise lets a
    // heap grow well past what it holds). A worker that runs out is gone, and its batches are judged
    // by the main thread.
    resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_MB },
  });
  w.unref();
  return w;
}
