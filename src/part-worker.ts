/**
 * The worker thread of a check in parts (src/check-parts.ts): claims parts from the counter it
 * shares with the main thread, judges them the same way, and posts each part's results back.
 */
import { parentPort } from 'node:worker_threads';
import { judgePart, type PartWorkerData } from './check-parts.js';
import { restoreDiscovery } from './discover/index.js';
import { initShell } from './parse/shell.js';
import { makeBatch, makePart } from './partition.js';

export async function partWorker(data: PartWorkerData): Promise<void> {
  const d = restoreDiscovery(data.discovery);
  const counter = new Int32Array(data.next);
  const port = parentPort;
  if (!port) return;
  // The batches come once the main thread has planned the split (the worker starts before that).
  // The shell grammar is loaded meanwhile.
  const [batches] = await Promise.all([new Promise<{ path: string; kind: 'tree' | 'file' }[][]>((resolve) => port.once('message', resolve)), initShell()]);
  const parts = batches.map((batch) => makeBatch(batch.map((p) => makePart(p.path, p.kind))));
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= parts.length) break;
    port.postMessage(await judgePart(d, data.setup, i, parts[i]));
  }
}
