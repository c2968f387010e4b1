/**
 * The worker thread of a check in parts (src/check-parts.ts): claims parts from the counter it
 * shares with the main thread, judges them the same way, and posts each part's results back.
 */
import { parentPort } from 'node:worker_threads';
import { judgePart, type PartWorkerData } from './check-parts.js';
import { restoreDiscovery } from './discover/index.js';
import { makeBatch, makePart } from './partition.js';

export async function partWorker(data: PartWorkerData): Promise<void> {
  const d = restoreDiscovery(data.discovery);
  const counter = new Int32Array(data.next);
  const parts = data.parts.map((batch) => makeBatch(batch.map((p) => makePart(p.path, p.kind))));
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= parts.length) break;
    parentPort?.postMessage(await judgePart(d, data.setup, i, parts[i]));
  }
}
