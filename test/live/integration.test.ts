/**
 * `verify` against a real Docker engine (DESIGN.md recipe; `.ci/run` installs and starts it): images
 * built FROM scratch with busybox, containers on network none with compose labels. Skipped with a
 * message only when no engine answers and CI is unset; in CI a missing engine fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, HttpTransport, resolveEndpoint, type Transport, type TransportRequest } from '../../src/live/engine.js';
import { LABEL_PROBE } from '../../src/live/model.js';
import { verify } from '../../src/verify.js';
import type { Result } from '../../src/types.js';
import { validateSarif } from '../format/sarif-validator.js';
import {
  buildTestImages,
  containersWithLabel,
  demoComposeFiles,
  findEngine,
  removeTestContainers,
  runContainer,
  startDemo,
} from './docker.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/seaworthy.js');
const state = await findEngine();
if (!state.client) {
  console.warn(
    `[seaworthy] skipping the real-engine tests: ${state.reason}. Start dockerd (see .ci/run) or set DOCKER_HOST; with CI set they fail instead.`,
  );
}

const runId = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
const dirs: string[] = [];

function repo(project: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'seaworthy-live-'));
  for (const [f, c] of Object.entries(demoComposeFiles(project))) writeFileSync(join(dir, f), c);
  dirs.push(dir);
  return dir;
}

const byRule = (results: Result[], target: string) => new Map(results.filter((r) => r.target === target).map((r) => [r.ruleId, r]));

/** Wraps the real transport: records requests and lets a test act before one is sent. */
class SpyTransport implements Transport {
  readonly requests: string[] = [];
  constructor(
    private readonly inner: Transport,
    private readonly before: (req: TransportRequest) => Promise<void> = async () => {},
  ) {}
  get display() {
    return this.inner.display;
  }
  async request(req: TransportRequest) {
    this.requests.push(`${req.method} ${req.path}`);
    await this.before(req);
    return this.inner.request(req);
  }
}

describe.skipIf(!state.client)('verify on a real Docker engine', () => {
  const client = state.client as EngineClient;
  let images: { base: string; hardened: string; careless: string };
  const project = `sw${runId}`;
  let dir: string;

  beforeAll(async () => {
    images = await buildTestImages(client);
    dir = repo(project);
    await startDemo(client, images, project, dir, runId);
  }, 120_000);

  afterAll(async () => {
    await removeTestContainers(client, runId);
    client.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a hardened container passes every runtime rule; a careless one fails the matching rules; no probe copy is left', async () => {
    const before = await client.json<{ State: { StartedAt: string } }>('GET', `/containers/${project}-backend-1/json`);
    const { report, snapshot } = await verify(dir, { probeSignals: true, probe: { settleMs: 500 }, today: '2026-11-29' });
    expect(report.errors).toEqual([]);
    expect(snapshot.engine.serverVersion).toBeTruthy();

    const backend = byRule(report.results, `${project}-backend-1`);
    expect(backend.size).toBe(15);
    for (const [id, r] of backend) expect([id, r.status, r.message]).toEqual([id, 'pass', expect.any(String)]);
    expect(backend.get('runtime/non-root')?.evidence).toBe('`appuser` (UID 1001)');
    expect(backend.get('runtime/pid1-app')?.evidence).toContain('docker-init');
    expect(backend.get('runtime/graceful-stop')?.evidence).toMatch(/after SIGTERM \(exit 143/);
    expect(backend.get('runtime/non-root')?.location).toMatchObject({ file: 'docker-compose.yml', line: 3 });

    const worker = byRule(report.results, `${project}-worker-1`);
    const fails = [...worker].filter(([, r]) => r.status === 'fail').map(([id]) => id);
    expect(fails.sort()).toEqual([
      'runtime/capabilities',
      'runtime/graceful-stop',
      'runtime/healthy',
      'runtime/log-rotation',
      'runtime/no-new-privileges',
      'runtime/non-root',
      'runtime/pid1-app',
      'runtime/prod-overlay-applied',
      'runtime/read-only-rootfs',
      'runtime/resource-limits',
    ]);
    expect(worker.get('runtime/healthy')?.message).toContain('curl: not found');
    expect(worker.get('runtime/pid1-app')?.message).toContain('sh -c');
    expect(worker.get('runtime/graceful-stop')?.message).toContain('exit 137');
    expect(worker.get('runtime/non-root')?.location).toMatchObject({ file: 'docker-compose.yml', line: 6 });

    expect(await containersWithLabel(client, LABEL_PROBE)).toEqual([]);
    const after = await client.json<{ State: { StartedAt: string; Running: boolean } }>('GET', `/containers/${project}-backend-1/json`);
    expect(after.State).toMatchObject({ Running: true, StartedAt: before.State.StartedAt });
  }, 60_000);

  it('the signal probe tells an app that handles SIGTERM from one behind sh -c, and leaves nothing behind', async () => {
    const sig = `sig${runId}`;
    const common = { project: sig, configFiles: [`/srv/${sig}/docker-compose.yml`], runId, image: images.base };
    await runContainer(client, {
      ...common,
      name: `${sig}-handles-1`,
      service: 'handles',
      config: { Entrypoint: ['/bin/sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'], StopTimeout: 3 },
    });
    await runContainer(client, {
      ...common,
      name: `${sig}-wrapped-1`,
      service: 'wrapped',
      config: { Entrypoint: ['/bin/sh', '-c', 'sleep 600; echo done'], StopTimeout: 2 },
    });
    const empty = mkdtempSync(join(tmpdir(), 'seaworthy-live-'));
    dirs.push(empty);
    const started = Date.now();
    const { report, snapshot } = await verify(empty, { project: sig, probeSignals: true, probe: { settleMs: 500 } });
    expect(Date.now() - started).toBeLessThan(20_000);
    const probes = new Map((snapshot.probes ?? []).map((p) => [p.service, p]));
    expect(probes.get('handles')).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(probes.get('handles')?.elapsedMs).toBeLessThan(3_000);
    expect(probes.get('wrapped')).toMatchObject({ outcome: 'killed', exitCode: 137 });
    const stop = report.results.filter((r) => r.ruleId === 'runtime/graceful-stop').map((r) => [r.target, r.status, r.location.file]);
    expect(stop.sort()).toEqual([
      [`${sig}-handles-1`, 'pass', ''],
      [`${sig}-wrapped-1`, 'fail', ''],
    ]);
    expect(await containersWithLabel(client, LABEL_PROBE)).toEqual([]);
  }, 60_000);

  it('is read-only without --probe-signals: GET requests only', async () => {
    const spy = new SpyTransport(new HttpTransport(resolveEndpoint()));
    const { report } = await verify(dir, { client: new EngineClient(spy) });
    expect(report.results.length).toBeGreaterThan(0);
    expect(spy.requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
  });

  it('a container removed mid-run: a clear error, the other results kept', async () => {
    const gone = `gone${runId}`;
    const common = { project: gone, configFiles: [`/srv/${gone}/docker-compose.yml`], runId, image: images.hardened };
    const victim = await runContainer(client, { ...common, name: `${gone}-a-1`, service: 'a' });
    await runContainer(client, { ...common, name: `${gone}-b-1`, service: 'b' });
    const spy = new SpyTransport(new HttpTransport(resolveEndpoint()), async (req) => {
      if (req.path.includes(`/containers/${victim}/json`)) await client.json('DELETE', `/containers/${victim}`, { query: { force: 1 } });
    });
    const { report } = await verify(dir, { client: new EngineClient(spy), project: gone });
    expect(report.errors.map((e) => e.message)).toEqual([
      expect.stringContaining(`container ${gone}-a-1 was removed while seaworthy was reading it`),
    ]);
    expect(new Set(report.results.map((r) => r.target))).toEqual(new Set([`${gone}-b-1`]));
    expect(byRule(report.results, `${gone}-b-1`).get('runtime/non-root')?.status).toBe('pass');
  }, 30_000);

  it('the engine going away mid-run: clear errors, the results read so far kept', async (ctx) => {
    const ep = resolveEndpoint();
    if (ep.kind !== 'unix') ctx.skip();
    const proxyDir = mkdtempSync(join(tmpdir(), 'seaworthy-proxy-'));
    dirs.push(proxyDir);
    const proxyPath = join(proxyDir, 'docker.sock');
    const conns = new Set<net.Socket>();
    const proxy = net.createServer((c) => {
      const up = net.connect((ep as { socketPath: string }).socketPath);
      conns.add(c).add(up);
      c.pipe(up).pipe(c);
      c.on('error', () => up.destroy());
      up.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => proxy.listen(proxyPath, r));
    const stop = () => {
      proxy.close();
      for (const s of conns) s.destroy();
    };
    // The engine "stops" while the worker is read (containers are read by name: the backend first),
    // when its process list is asked for.
    let tops = 0;
    const spy = new SpyTransport(new HttpTransport(resolveEndpoint({ DOCKER_HOST: `unix://${proxyPath}` })), async (req) => {
      if (/\/containers\/[^/]+\/top/.test(req.path) && ++tops === 2) stop();
    });
    try {
      const { report } = await verify(dir, { client: new EngineClient(spy, { timeoutMs: 3_000 }) });
      expect(report.errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/cannot reach the Docker engine at unix:.*reading the processes of .*worker-1/),
      ]);
      const backend = byRule(report.results, `${project}-backend-1`);
      expect(backend.get('runtime/non-root')?.status).toBe('pass');
      expect(byRule(report.results, `${project}-worker-1`).get('runtime/non-root')?.status).toBe('unknown');
      expect(byRule(report.results, `${project}-worker-1`).get('runtime/resource-limits')?.status).toBe('fail');
    } finally {
      stop();
    }
  }, 30_000);

  it('the CLI: JSON and valid SARIF, exit 1 on the careless container, exit 0 below its severities', () => {
    if (!existsSync(join(ROOT, 'dist/seaworthy.cjs'))) throw new Error('dist/seaworthy.cjs missing: run `npm run build` (npm test does)');
    const run = (args: string[]) =>
      spawnSync(process.execPath, [BIN, 'verify', dir, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const json = run(['--format', 'json']);
    expect(json.status).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out.errors).toEqual([]);
    expect(out.results.find((r: Result) => r.ruleId === 'runtime/non-root' && r.target === `${project}-worker-1`)).toMatchObject({
      status: 'fail',
      location: { file: 'docker-compose.yml', line: 6 },
    });
    const sarif = run(['--format', 'sarif']);
    expect(sarif.status).toBe(1);
    expect(validateSarif(sarif.stdout).filter((f) => f.level === 'error' || f.level === 'warning')).toEqual([]);
    expect(run(['--fail-on', 'critical']).status).toBe(0);
  }, 60_000);
});
