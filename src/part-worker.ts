/**
 * The worker thread of a check in parts (src/check-parts.ts). It can be started before the main
 * thread knows whether it will be needed (bin/seaworthy.js starts it with the process for `check`),
 * so it gets its work by message: first the discovery and setup (`PartWorkerStart`), then each
 * batch's parts once the split is planned. It loads the shell grammar meanwhile, claims batches from
 * the counter it shares with the main thread, judges them the same way, and posts their results.
 */
import { parentPort } from 'node:worker_threads';
import { judgePart, type PartWorkerStart } from './check-parts.js';
import { restoreDiscovery } from './discover/index.js';
import { initShell } from './parse/shell.js';
import { makeBatch, makePart } from './partition.js';

export async function partWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  port.on('message', (m) => {
    const w = waiters.shift();
    if (w) w(m);
    else messages.push(m);
  });
  const next = () => new Promise<unknown>((resolve) => (messages.length ? resolve(messages.shift()) : waiters.push(resolve)));
  const [start] = (await Promise.all([next(), initShell()])) as [PartWorkerStart, void];
  const d = restoreDiscovery(start.discovery);
  const counter = new Int32Array(start.next);
  const batches = (await next()) as { path: string; kind: 'tree' | 'file' }[][];
  const parts = batches.map((batch) => makeBatch(batch.map((p) => makePart(p.path, p.kind))));
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= parts.length) break;
    port.postMessage(await judgePart(d, start.setup, i, parts[i]));
  }
  port.close();
}
