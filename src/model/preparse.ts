/**
 * Parsing a repository's Dockerfiles and compose files up front, optionally with a worker thread.
 *
 * Parsing is most of a `check`, and every file parses on its own. The split is by parser: the calling
 * thread parses the Dockerfiles (dockerfile-ast + tree-sitter-bash), a worker thread parses the
 * compose files (yaml), both claiming compose files from one shared counter (largest first) once
 * they are free, and the worker posts its trees back (structured clone: exact for these plain-data
 * trees, and a fraction of the cost of parsing). Splitting by parser keeps each thread's code warm in
 * one isolate only (a short run spends much of its time in code not yet optimised; two threads
 * running the same parsers would both pay for that) and spares the worker tree-sitter's start-up.
 *
 * The rest of the pipeline is unchanged: `buildProject` takes a model from here when there is one and
 * parses the file itself otherwise, so a file that fails to parse, or a worker that fails, ends
 * exactly as before (the file is parsed again and reported).
 *
 * The worker is the bundled `dist/parse-worker.js` and it is opt-in: `SEAWORTHY_WORKERS=1`. Measured on
 * the 2-core machine of BENCHMARKS.md it does not pay (same wall time, ~0.1 s more CPU on the corpus):
 * a single-threaded check already keeps the second core about half busy with V8's concurrent garbage
 * collector and background compiler, and the worker's start-up and hand-over take the rest. The
 * bench measures the corpus both ways, so a machine with more cores can show when it would. Running
 * from source (the tests) there is no worker file and everything is parsed on the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Discovery } from '../discover/index.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import { initShell } from '../parse/shell.js';
import { parseYaml, type YamlFile } from '../parse/yaml.js';
import type { DockerfileModel } from './dockerfile.js';

export interface Preparsed {
  dockerfiles: Map<string, DockerfileModel>;
  compose: Map<string, YamlFile>;
}

export async function preparse(d: Discovery): Promise<Preparsed> {
  const read = (paths: string[]) => {
    const out: { path: string; text: string }[] = [];
    for (const path of paths) {
      const r = d.readText(path);
      if ('text' in r) out.push({ path, text: r.text });
    }
    return out.sort((a, b) => b.text.length - a.text.length);
  };
  const dockerfiles = read(d.files.dockerfiles);
  const compose = read(d.files.compose);
  const out: Preparsed = { dockerfiles: new Map(), compose: new Map() };
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const worker = startWorker(compose, counter);
  await initShell();
  for (const f of dockerfiles) {
    try {
      out.dockerfiles.set(f.path, parseDockerfile(f.path, f.text));
    } catch {
      // parsed again by buildProject, which reports the error with the file's name
    }
  }
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= compose.length) break;
    try {
      out.compose.set(compose[i].path, parseYaml(compose[i].path, compose[i].text));
    } catch {
      // as above
    }
  }
  if (worker) for (const [i, y] of await worker) out.compose.set(compose[i].path, y);
  return out;
}

function workerFile(): string | null {
  // From a chunk in dist/chunks/ (or dist/ itself): the worker entry is dist/parse-worker.js.
  for (const rel of ['../parse-worker.js', './parse-worker.js']) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) return file;
  }
  return null;
}

/** Starts the worker when asked to; resolves to the trees it parsed (none if it failed). */
function startWorker(files: { path: string; text: string }[], counter: Int32Array): Promise<[number, YamlFile][]> | null {
  if (process.env.SEAWORTHY_WORKERS !== '1' || files.length < 2) return null;
  const file = workerFile();
  if (!file) return null;
  return new Promise((resolve) => {
    const w = new Worker(file, { workerData: { paths: files.map((f) => f.path), texts: files.map((f) => f.text), counter } });
    w.once('message', (m: [number, YamlFile][]) => resolve(m));
    // A worker that fails leaves its files to the calling thread (they are parsed again there).
    w.once('error', () => resolve([]));
    w.once('exit', () => resolve([]));
  });
}
