/**
 * The snapshot and the verify pipeline against recorded answers served by a fake engine on a unix
 * socket: read-only requests only, an engine answering errors, a container removed mid-run, the
 * engine going away mid-run, the probe cleaning up after a failure, config and waivers for runtime ids.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/engine/index.js';
import { EngineClient } from '../../src/live/engine.js';
import { processesFromTop } from '../../src/live/model.js';
import { probeSignals } from '../../src/live/probe.js';
import { takeSnapshot } from '../../src/live/snapshot.js';
import { verifiedPractices } from '../../src/live/verified.js';
import { verify } from '../../src/verify.js';
import { type FakeEngine, replay, sendJson, startFakeEngine } from './fake-engine.js';
import { loadRecording, type Recording, RUNTIME_FIXTURES } from './recording.js';

const BASE = loadRecording('recordings/shop-engine-20.10.json');
const engines: FakeEngine[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function serve(handler: Parameters<typeof startFakeEngine>[0]): Promise<{ engine: FakeEngine; client: EngineClient }> {
  const engine = await startFakeEngine(handler);
  engines.push(engine);
  return { engine, client: EngineClient.fromEnv({ DOCKER_HOST: engine.host }, { timeoutMs: 2_000 }) };
}

function repoCopy(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'seaworthy-verify-'));
  cpSync(join(RUNTIME_FIXTURES, 'repo'), dir, { recursive: true });
  for (const [f, c] of Object.entries(files)) writeFileSync(join(dir, f), c);
  dirs.push(dir);
  return dir;
}

describe('takeSnapshot over a socket', () => {
  it('reads the project with GET requests only (never exec, stop or remove)', async () => {
    const { engine, client } = await serve(replay(BASE.responses));
    const snap = await takeSnapshot(client, { project: 'shop' });
    client.close();
    expect(snap.errors).toEqual([]);
    expect(snap.containers.map((c) => [c.name, c.service, c.pid1?.args])).toEqual([
      ['shop-backend-1', 'backend', '/sbin/docker-init -- /bin/sleep 3600'],
      ['shop-worker-1', 'worker', '/bin/sh -c sleep 3600; echo bye'],
    ]);
    expect(snap.containers[0].processes?.map((p) => [p.uid, p.user])).toEqual([
      [1001, 'appuser'],
      [1001, 'appuser'],
    ]);
    expect(snap.engine).toMatchObject({ apiVersion: '1.41', serverVersion: '20.10.24+dfsg1', rootless: false, usernsRemap: null });
    expect(engine.requests.every((r) => r.startsWith('GET '))).toBe(true);
    expect(engine.requests).toContain(
      `GET /v1.41/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: ['com.docker.compose.project=shop'] }))}`,
    );
  });

  it('keeps going when /info answers 500 (rootless and userns-remap then unknown)', async () => {
    const rec: Recording = { ...BASE.responses, 'GET /info': { status: 500, body: { message: 'boom' } } };
    const { client } = await serve(replay(rec));
    const snap = await takeSnapshot(client, { project: 'shop' });
    client.close();
    expect(snap.containers).toHaveLength(2);
    expect(snap.errors.map((e) => e.message)).toEqual([expect.stringContaining("could not read the engine's /info")]);
  });

  it('a container removed mid-run: a clear error, the other container is still checked', async () => {
    const rec: Recording = {
      ...BASE.responses,
      'GET /containers/c-backend/json': { status: 404, body: { message: 'No such container: c-backend' } },
    };
    const { client } = await serve(replay(rec));
    const snap = await takeSnapshot(client, { project: 'shop' });
    client.close();
    expect(snap.containers.map((c) => c.name)).toEqual(['shop-worker-1']);
    expect(snap.errors).toEqual([
      { container: 'shop-backend-1', message: expect.stringContaining('shop-backend-1 was removed while seaworthy was reading it') },
    ]);
  });

  it('a container that stops between inspect and top (409): processes unknown, no error', async () => {
    const rec: Recording = {
      ...BASE.responses,
      'GET /containers/c-worker/top?ps_args=-o pid,uid,user,args': { status: 409, body: { message: 'Container c-worker is not running' } },
    };
    const { client } = await serve(replay(rec));
    const snap = await takeSnapshot(client, { project: 'shop' });
    client.close();
    expect(snap.errors).toEqual([]);
    expect(snap.containers[1]).toMatchObject({ processes: null, processError: expect.stringContaining('not running') });
  });

  it('the engine going away mid-run: the containers read are kept, the rest named as not checked', async () => {
    const handler = replay(BASE.responses);
    let engine: FakeEngine | null = null;
    const { client, engine: e } = await serve((req, body, res) => {
      if (req.url?.includes('/containers/c-backend/top')) {
        // Dies while answering: the connection is cut and the socket disappears.
        void engine?.close();
        return;
      }
      return handler(req, body, res);
    });
    engine = e;
    const snap = await takeSnapshot(client, { project: 'shop' });
    client.close();
    expect(snap.containers.map((c) => [c.name, c.processes])).toEqual([['shop-backend-1', null]]);
    expect(snap.errors.map((x) => x.message)).toEqual([
      expect.stringMatching(/cannot reach the Docker engine at unix:.*reading the processes of shop-backend-1/),
      expect.stringMatching(/cannot reach the Docker engine at .*1 container\(s\) not checked: shop-worker-1/),
    ]);
  });
});

describe('processesFromTop', () => {
  it('reads the engine default `ps -ef` columns (UID holds names) and keeps the whole command', () => {
    const ps = processesFromTop(
      {
        Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
        Processes: [
          ['root', '4242', '4200', '0', '05:00', '?', '00:00:00', 'nginx: master process nginx -g daemon off;'],
          ['101', '4250', '4242', '0', '05:00', '?', '00:00:00', 'nginx: worker process'],
          ['www-data', '4251', '4242', '0', '05:00', '?', '00:00:00', 'nginx: worker process'],
        ],
      },
      { remap: null, usernsHost: false, passwd: { '0': 'root', '101': 'nginx' } },
    );
    expect(ps.map((p) => [p.pid, p.uid, p.user, p.hostUser, p.args])).toEqual([
      [4242, 0, 'root', 'root', 'nginx: master process nginx -g daemon off;'],
      [4250, 101, 'nginx', null, 'nginx: worker process'],
      [4251, null, null, 'www-data', 'nginx: worker process'],
    ]);
  });
});

describe('probeSignals cleanup', () => {
  it('removes the copy when the probe fails midway, and sweeps by run label', async () => {
    const calls: string[] = [];
    const handler = replay(BASE.responses);
    const { client } = await serve((req, body, res) => {
      const path = (req.url ?? '').replace(/^\/v[\d.]+/, '').split('?')[0];
      calls.push(`${req.method} ${path}`);
      if (req.method === 'POST' && path === '/containers/create') {
        const spec = JSON.parse(body.toString());
        expect(spec.HostConfig).toMatchObject({ NetworkMode: 'none', Privileged: false, RestartPolicy: { Name: 'no' } });
        expect(spec.Labels['dev.seaworthy.probe']).toBe('1');
        return sendJson(res, 201, { Id: 'probe-1' });
      }
      if (req.method === 'POST' && path === '/containers/probe-1/start') return sendJson(res, 204, undefined);
      if (path === '/containers/probe-1/json') return sendJson(res, 200, { Id: 'probe-1', State: { Running: true } });
      if (path === '/containers/probe-1/wait') return; // never answers: the kill fails first
      if (path === '/containers/probe-1/kill') return sendJson(res, 500, { message: 'cannot kill container: permission denied' });
      if (req.method === 'DELETE') return sendJson(res, 204, undefined);
      if (req.method === 'GET' && path === '/containers/json' && req.url?.includes('probe.run')) return sendJson(res, 200, []);
      return handler(req, body, res);
    });
    const snap = await takeSnapshot(client, { project: 'shop' });
    const { probes, errors } = await probeSignals(client, snap.containers.slice(0, 1), { settleMs: 10, runId: 'test' });
    client.close();
    expect(probes).toMatchObject([
      { container: 'shop-backend-1', outcome: 'error', message: expect.stringContaining('permission denied') },
    ]);
    expect(errors).toEqual([]);
    expect(calls).toContain('DELETE /containers/probe-1');
    expect(calls.indexOf('DELETE /containers/probe-1')).toBeGreaterThan(calls.indexOf('POST /containers/probe-1/kill'));
    expect(calls.filter((c) => c === 'GET /containers/json').length).toBe(2); // the project listing and the sweep
  });
});

describe('verify pipeline (recorded engine)', () => {
  const client = async (rec: Recording = BASE.responses) => (await serve(replay(rec))).client;

  it('reports every runtime rule per container at the service line, graceful-stop only when probing', async () => {
    const { report, snapshot } = await verify(repoCopy(), { client: await client(), today: '2026-11-29' });
    expect(report.errors).toEqual([]);
    expect(report.rules.map((r) => r.id)).not.toContain('runtime/graceful-stop');
    expect(report.rules).toHaveLength(14);
    const worker = report.results.filter((r) => r.target === 'shop-worker-1');
    expect(new Set(worker.map((r) => r.location.line))).toEqual(new Set([6]));
    expect(
      worker
        .filter((r) => r.status === 'fail')
        .map((r) => r.ruleId)
        .sort(),
    ).toEqual([
      'runtime/capabilities',
      'runtime/healthy',
      'runtime/log-rotation',
      'runtime/no-new-privileges',
      'runtime/non-root',
      'runtime/pid1-app',
      'runtime/prod-overlay-applied',
      'runtime/read-only-rootfs',
      'runtime/resource-limits',
    ]);
    expect(report.results.filter((r) => r.target === 'shop-backend-1' && r.status !== 'pass')).toEqual([]);
    const practices = verifiedPractices(report.results, snapshot);
    expect(practices.find((p) => p.ruleId === 'runtime/non-root' && p.container === 'shop-backend-1')).toMatchObject({
      status: 'verified',
      service: 'backend',
      practices: ['dockerfile/non-root-user', 'compose/service-user'],
      evidence: '`appuser` (UID 1001)',
      verifiedOn: snapshot.takenAt.slice(0, 10),
    });
    expect(practices.find((p) => p.ruleId === 'runtime/non-root' && p.container === 'shop-worker-1')?.status).toBe('contradicted');
  });

  it('applies the config: waivers and severities for runtime ids, rules turned off', async () => {
    const dir = repoCopy({
      'seaworthy.yml': [
        'rules:',
        '  runtime/log-rotation: off',
        '  runtime/capabilities: high',
        'waivers:',
        '  - rule: runtime/read-only-rootfs',
        '    reason: the worker writes its spool to the container layer until ADR-12 lands',
        '  - rule: dockerfile/pinned-base',
        '    reason: a static waiver is not stale for verify',
        '',
      ].join('\n'),
    });
    const { report } = await verify(dir, { client: await client(), today: '2026-11-29' });
    const of = (id: string) => report.results.filter((r) => r.ruleId === id && r.target === 'shop-worker-1');
    expect(of('runtime/log-rotation')).toEqual([]);
    expect(of('runtime/capabilities')[0]).toMatchObject({ status: 'fail', severity: 'high' });
    expect(of('runtime/read-only-rootfs')[0]).toMatchObject({ status: 'waived', waiver: { reason: expect.stringContaining('ADR-12') } });
    expect(report.notices ?? []).toEqual([]);
  });

  it('an inline ignore on the compose service silences a runtime rule', async () => {
    const dir = repoCopy({
      'docker-compose.yml':
        'name: shop\nservices:\n  backend:\n    image: seaworthy-test/hardened:1\n    init: true\n  # seaworthy-ignore runtime/pid1-app -- the worker image is a vendor image we cannot change\n  worker:\n    image: seaworthy-test/careless:1\n',
    });
    const { report } = await verify(dir, { client: await client(), today: '2026-11-29' });
    expect(report.results.find((r) => r.ruleId === 'runtime/pid1-app' && r.target === 'shop-worker-1')).toMatchObject({
      status: 'waived',
      location: { line: 7 },
    });
  });

  it('a typo in a runtime rule id is a config error', async () => {
    const dir = repoCopy({ 'seaworthy.yml': 'rules:\n  runtime/non-rot: low\n' });
    await expect(verify(dir, { client: await client() })).rejects.toThrow(ConfigError);
    await expect(verify(dir, { client: await client() })).rejects.toThrow(/did you mean 'runtime\/non-root'/);
  });

  it('no container of the project: an error naming the label', async () => {
    const rec: Recording = { ...BASE.responses, 'GET /containers/json': { status: 200, body: [] } };
    const { report } = await verify(repoCopy(), { client: await client(rec), project: 'other' });
    expect(report.results).toEqual([]);
    expect(report.errors.map((e) => e.message)).toEqual([expect.stringContaining('label com.docker.compose.project=other')]);
  });

  it('a path without a compose project and no --project: a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seaworthy-empty-'));
    dirs.push(dir);
    await expect(verify(dir, { client: await client() })).rejects.toThrow(/name the running project with --project/);
  });
});
