/**
 * Records the Engine API answers `verify` reads for a running compose project, as a base recording for
 * test/fixtures/runtime/ (container IDs renamed `c-<service>` so patches stay readable):
 *
 *   DOCKER_HOST=unix:///... npx tsx test/live/record.ts <project> <out.json> "<description>"
 */
import { writeFileSync } from 'node:fs';
import { EngineClient, HttpTransport, resolveEndpoint } from '../../src/live/engine.js';
import { takeSnapshot } from '../../src/live/snapshot.js';
import { RecordingTransport } from './recording.js';

const [project, out, description = ''] = process.argv.slice(2);
if (!project || !out) throw new Error('usage: record.ts <project> <out.json> [description]');
const rec = new RecordingTransport(new HttpTransport(resolveEndpoint()));
const snap = await takeSnapshot(new EngineClient(rec), { project });
// Keep only what the snapshot reads of /info (the rest describes this machine).
const info = rec.recording['GET /info'];
if (info?.body && typeof info.body === 'object') {
  const b = info.body as Record<string, unknown>;
  info.body = Object.fromEntries(
    ['ServerVersion', 'OperatingSystem', 'OSType', 'Driver', 'CgroupVersion', 'SecurityOptions', 'DockerRootDir']
      .filter((k) => k in b)
      .map((k) => [k, b[k]]),
  );
}
const version = rec.recording['GET /version'];
if (version?.body && typeof version.body === 'object') delete (version.body as Record<string, unknown>).KernelVersion;
let text = JSON.stringify({ description, project, responses: rec.recording }, null, 2);
for (const c of snap.containers) {
  const alias = `c-${c.service ?? c.name}`;
  text = text.split(c.id).join(alias);
}
writeFileSync(out, `${text}\n`);
console.log(`${Object.keys(rec.recording).length} answers, ${snap.containers.length} containers → ${out}`);
