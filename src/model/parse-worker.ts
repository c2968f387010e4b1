/**
 * The parse worker (bundled as dist/parse-worker.js): takes its share of the jobs of `preparse`
 * from the shared counter and posts the models back. See src/model/preparse.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initShell } from '../parse/shell.js';
import type { YamlFile } from '../parse/yaml.js';
import type { DockerfileModel } from './dockerfile.js';
import { claimJobs, type ParseJob, type WorkerResults } from './preparse.js';

const { jobs, counter } = workerData as { jobs: ParseJob[]; counter: Int32Array };
await initShell();
const results: WorkerResults = [];
claimJobs(jobs, counter, (i: number, model: DockerfileModel | YamlFile) => {
  results.push([i, model]);
});
parentPort?.postMessage(results);
