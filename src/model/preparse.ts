/**
 * Parsing a repository's Dockerfiles and compose files up front, on two threads when that pays.
 *
 * Parsing is most of a `check` (dockerfile-ast + tree-sitter-bash for the Dockerfiles, yaml for the
 * compose files) and every file parses on its own, so with a second core a worker thread takes a
 * share: both threads claim files from one shared counter (largest first) until none is left, and
 * the worker posts its models back (structured clone: exact for these plain-data models, and a
 * fraction of the cost of parsing). The rest of the pipeline is unchanged: `buildProject` takes a
 * model from here when there is one and parses the file itself otherwise, so a file that fails to
 * parse, or a worker that fails, ends exactly as before (the file is parsed again and reported).
 *
 * The worker is the bundled `dist/parse-worker.js`; when it is not there (running from source, as
 * the tests do), when no second core is idle, or when the repository is too small to pay for the
 * worker's start-up, everything is parsed on the calling thread. `SEAWORTHY_WORKERS=0` never starts
 * the worker, `SEAWORTHY_WORKERS=1` always does (tests, benchmarks).
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Discovery } from '../discover/index.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import { initShell } from '../parse/shell.js';
import { parseYaml, type YamlFile } from '../parse/yaml.js';
import type { DockerfileModel } from './dockerfile.js';

export interface ParseJob {
  kind: 'dockerfile' | 'compose';
  path: string;
  text: string;
}

export interface Preparsed {
  dockerfiles: Map<string, DockerfileModel>;
  compose: Map<string, YamlFile>;
}

/** What the worker posts back: job index → model, for the jobs it parsed without an exception. */
export type WorkerResults = [number, DockerfileModel | YamlFile][];

/**
 * Below this much text a worker costs more than it saves: its start-up (loading the parsers and
 * tree-sitter's wasm, ~50 ms of CPU) is about the time the calling thread needs for this much.
 */
export const WORKER_MIN_BYTES = 256 * 1024;

export function parseJob(job: ParseJob): DockerfileModel | YamlFile {
  return job.kind === 'dockerfile' ? parseDockerfile(job.path, job.text) : parseYaml(job.path, job.text);
}

/** Claims jobs from the shared counter until none is left; an exception leaves the job to the caller. */
export function claimJobs(
  jobs: readonly ParseJob[],
  counter: Int32Array,
  done: (index: number, model: DockerfileModel | YamlFile) => void,
): void {
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= jobs.length) return;
    try {
      done(i, parseJob(jobs[i]));
    } catch {
      // parsed again by buildProject, which reports the error with the file's name
    }
  }
}

export async function preparse(d: Discovery): Promise<Preparsed> {
  const jobs: ParseJob[] = [];
  for (const [kind, paths] of [
    ['dockerfile', d.files.dockerfiles],
    ['compose', d.files.compose],
  ] as const) {
    for (const path of paths) {
      const r = d.readText(path);
      if ('text' in r) jobs.push({ kind, path, text: r.text });
    }
  }
  jobs.sort((a, b) => b.text.length - a.text.length);
  const out: Preparsed = { dockerfiles: new Map(), compose: new Map() };
  const store = (i: number, model: DockerfileModel | YamlFile) => {
    const job = jobs[i];
    if (job.kind === 'dockerfile') out.dockerfiles.set(job.path, model as DockerfileModel);
    else out.compose.set(job.path, model as YamlFile);
  };
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const worker = startWorker(jobs, counter);
  await initShell();
  claimJobs(jobs, counter, store);
  if (worker) for (const [i, model] of await worker) store(i, model);
  return out;
}

function workerFile(): string | null {
  if (process.env.SEAWORTHY_WORKERS === '0') return null;
  // From a chunk in dist/chunks/ (or dist/ itself): the worker entry is dist/parse-worker.js.
  for (const rel of ['../parse-worker.js', './parse-worker.js']) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Starts the worker when it pays: a second core that is idle (a busy machine gives the worker no core
 * of its own, and its start-up and hand-over then only add work), and enough text to parse.
 * Resolves to what the worker parsed (nothing if it failed).
 */
function startWorker(jobs: ParseJob[], counter: Int32Array): Promise<WorkerResults> | null {
  if (jobs.length < 2) return null;
  if (process.env.SEAWORTHY_WORKERS !== '1') {
    const cores = availableParallelism();
    if (cores < 2 || loadavg()[0] > cores - 1) return null;
    let bytes = 0;
    for (const j of jobs) bytes += j.text.length;
    if (bytes < WORKER_MIN_BYTES) return null;
  }
  const file = workerFile();
  if (!file) return null;
  return new Promise((resolve) => {
    const w = new Worker(file, { workerData: { jobs, counter } });
    w.once('message', (m: WorkerResults) => resolve(m));
    // A worker that fails leaves its files to the calling thread (they are parsed again there).
    w.once('error', () => resolve([]));
    w.once('exit', () => resolve([]));
  });
}
