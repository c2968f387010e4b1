/**
 * The parse worker (bundled as dist/parse-worker.js): parses compose files (YAML), claiming them
 * from the counter it shares with the calling thread, and posts the trees back. It loads the YAML
 * parser only. See src/model/preparse.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseYaml, type YamlFile } from '../parse/yaml.js';

const { paths, texts, counter } = workerData as { paths: string[]; texts: string[]; counter: Int32Array };
const results: [number, YamlFile][] = [];
for (;;) {
  const i = Atomics.add(counter, 0, 1);
  if (i >= paths.length) break;
  try {
    results.push([i, parseYaml(paths[i], texts[i])]);
  } catch {
    // parsed again by the calling thread, which reports the error with the file's name
  }
}
parentPort?.postMessage(results);
