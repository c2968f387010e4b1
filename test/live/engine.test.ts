/** The Engine API client against fake engines on real sockets: DOCKER_HOST, negotiation, TLS, errors, timeouts. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLIENT_MAX_API_VERSION,
  EngineClient,
  EngineError,
  HttpTransport,
  negotiateApiVersion,
  resolveEndpoint,
} from '../../src/live/engine.js';
import { createTar, readTar } from '../../src/live/tar.js';
import { type FakeEngine, sendJson, startFakeEngine } from './fake-engine.js';
import { RUNTIME_FIXTURES } from './recording.js';

const TLS_DIR = join(RUNTIME_FIXTURES, 'tls');
const tls = (f: string) => readFileSync(join(TLS_DIR, f), 'utf8');

const engines: FakeEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function engine(...args: Parameters<typeof startFakeEngine>): Promise<FakeEngine> {
  const e = await startFakeEngine(...args);
  engines.push(e);
  return e;
}

function versionHandler(apiVersion: string, min = '1.12') {
  return (req: { url?: string }, _b: Buffer, res: import('node:http').ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/version') return sendJson(res, 200, { Version: '99.0.0', ApiVersion: apiVersion, MinAPIVersion: min, Os: 'linux' });
    if (path.endsWith('/containers/json')) return sendJson(res, 200, []);
    if (path.endsWith('/info')) return sendJson(res, 500, { message: 'Error response from daemon: the info broke' });
    sendJson(res, 404, { message: 'page not found' });
  };
}

async function caught(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected an EngineError');
}

describe('resolveEndpoint (DOCKER_HOST)', () => {
  it('defaults to the local socket', () => {
    expect(resolveEndpoint({})).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock', display: 'unix:///var/run/docker.sock' });
  });
  it('reads unix:// and tcp:// hosts', () => {
    expect(resolveEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toMatchObject({
      kind: 'unix',
      socketPath: '/run/user/1000/docker.sock',
    });
    expect(resolveEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5' })).toMatchObject({ kind: 'tcp', host: '10.0.0.5', port: 2375, tls: null });
    expect(resolveEndpoint({ DOCKER_HOST: 'tcp://[::1]:2380' })).toMatchObject({ kind: 'tcp', host: '::1', port: 2380 });
  });
  it('uses TLS from DOCKER_CERT_PATH, verifying only with DOCKER_TLS_VERIFY (the Go SDK semantics), port 2376 by default', () => {
    const verified = resolveEndpoint({ DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: TLS_DIR });
    expect(verified).toMatchObject({ kind: 'tcp', port: 2376, tls: { verify: true } });
    if (verified.kind === 'tcp') expect(verified.tls?.ca).toContain('BEGIN CERTIFICATE');
    const unverified = resolveEndpoint({ DOCKER_HOST: 'tcp://docker.example', DOCKER_CERT_PATH: TLS_DIR });
    expect(unverified).toMatchObject({ port: 2376, tls: { verify: false } });
  });
  it('rejects what it cannot use, saying why', () => {
    const empty = mkdtempSync(join(tmpdir(), 'seaworthy-certs-'));
    try {
      expect(() => resolveEndpoint({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: empty })).toThrow(
        /cannot read .*ca\.pem/,
      );
      writeFileSync(join(empty, 'cert.pem'), 'x');
      expect(() => resolveEndpoint({ DOCKER_HOST: 'tcp://h:2376', DOCKER_CERT_PATH: empty })).toThrow(/cert\.pem but no key\.pem/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(() => resolveEndpoint({ DOCKER_HOST: 'ssh://me@host' })).toThrow(/ssh:\/\/ hosts are not supported/);
    expect(() => resolveEndpoint({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' })).toThrow(/unsupported scheme 'npipe'/);
    expect(() => resolveEndpoint({ DOCKER_HOST: 'docker.sock' })).toThrow(/not a URL/);
    expect(() => resolveEndpoint({ DOCKER_HOST: 'unix://docker.sock' })).toThrow(/must be absolute/);
  });
});

describe('API version negotiation', () => {
  it('speaks min(client maximum, server ApiVersion)', () => {
    expect(negotiateApiVersion({ ApiVersion: '1.41', MinAPIVersion: '1.12' }, 'x')).toBe('1.41');
    expect(negotiateApiVersion({ ApiVersion: '1.52', MinAPIVersion: '1.44' }, 'x')).toBe(CLIENT_MAX_API_VERSION);
  });
  it('refuses engines too old for the runtime rules, or requiring more than seaworthy speaks', () => {
    expect(() => negotiateApiVersion({ ApiVersion: '1.24' }, 'x')).toThrow(/speaks API 1\.24; seaworthy needs 1\.25/);
    expect(() => negotiateApiVersion({ ApiVersion: '1.60', MinAPIVersion: '1.50' }, 'x')).toThrow(/requires API 1\.50 or later/);
    expect(() => negotiateApiVersion({}, 'x')).toThrow(/did not report its API version/);
  });
  it('asks GET /version unversioned, then prefixes every path with the negotiated version', async () => {
    for (const [server, used] of [
      ['1.41', '1.41'],
      ['1.52', CLIENT_MAX_API_VERSION],
    ]) {
      const e = await engine(versionHandler(server, '1.24'));
      const client = new EngineClient(new HttpTransport(resolveEndpoint({ DOCKER_HOST: e.host })));
      await client.json('GET', '/containers/json', { query: { all: 1 } });
      client.close();
      expect(e.requests).toEqual(['GET /version', `GET /v${used}/containers/json?all=1`]);
    }
  });
});

describe('errors', () => {
  it('an absent socket: "cannot reach the Docker engine at ..." with a hint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seaworthy-nosock-'));
    const host = `unix://${dir}/docker.sock`;
    try {
      const err = await caught(EngineClient.fromEnv({ DOCKER_HOST: host }).negotiate());
      expect(err.kind).toBe('unreachable');
      expect(err.message).toContain(`cannot reach the Docker engine at ${host}`);
      expect(err.message).toMatch(/is dockerd running/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a closed TCP port: connection refused', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const err = await caught(EngineClient.fromEnv({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }).negotiate());
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain(`cannot reach the Docker engine at tcp://127.0.0.1:${port}`);
    expect(err.message).toMatch(/refused/);
  });

  it('an engine that answers 500 or 404: the status and the engine message', async () => {
    const e = await engine(versionHandler('1.41'));
    const client = EngineClient.fromEnv({ DOCKER_HOST: e.host });
    const err = await caught(client.json('GET', '/info'));
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(err.message).toContain('answered GET /v1.41/info with 500: Error response from daemon: the info broke');
    const gone = await caught(client.json('GET', '/containers/abc/json'));
    expect(gone).toMatchObject({ kind: 'http', status: 404 });
    client.close();
  });

  it('an engine that does not answer: a timeout naming the request', async () => {
    const e = await engine((req, _b, res) => {
      if (req.url === '/version') return sendJson(res, 200, { ApiVersion: '1.41' });
      // never answers anything else
    });
    const client = EngineClient.fromEnv({ DOCKER_HOST: e.host }, { timeoutMs: 200 });
    const started = Date.now();
    const err = await caught(client.json('GET', '/containers/json'));
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain(`the Docker engine at ${e.host} did not answer GET /v1.41/containers/json within 200 ms`);
    expect(Date.now() - started).toBeLessThan(5_000);
    client.close();
  });

  it('an engine that goes away between requests', async () => {
    const e = await engine(versionHandler('1.41'));
    const client = EngineClient.fromEnv({ DOCKER_HOST: e.host });
    await client.negotiate();
    await e.close();
    const err = await caught(client.json('GET', '/containers/json'));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain(`cannot reach the Docker engine at ${e.host}`);
    client.close();
  });

  it('an answer that is not JSON', async () => {
    const e = await engine((req, _b, res) => {
      if (req.url === '/version') return sendJson(res, 200, { ApiVersion: '1.41' });
      res.end('<html>proxy error</html>');
    });
    const client = EngineClient.fromEnv({ DOCKER_HOST: e.host });
    expect((await caught(client.json('GET', '/info'))).kind).toBe('protocol');
    client.close();
  });
});

describe('TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)', () => {
  it('talks to a TLS engine that requires a client certificate', async () => {
    const e = await engine(versionHandler('1.43'), {
      tls: { cert: tls('server-cert.pem'), key: tls('server-key.pem'), ca: tls('ca.pem'), requestCert: true },
    });
    const client = EngineClient.fromEnv({ DOCKER_HOST: e.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: TLS_DIR });
    expect(await client.json('GET', '/containers/json')).toEqual([]);
    client.close();
  });

  it('refuses a server certificate its CA did not sign, saying TLS failed', async () => {
    const e = await engine(versionHandler('1.43'), {
      tls: { cert: tls('server-cert.pem'), key: tls('server-key.pem'), ca: tls('ca.pem'), requestCert: false },
    });
    const other = mkdtempSync(join(tmpdir(), 'seaworthy-ca-'));
    try {
      // The client certificate stands in for an unrelated CA.
      writeFileSync(join(other, 'ca.pem'), tls('cert.pem'));
      const err = await caught(EngineClient.fromEnv({ DOCKER_HOST: e.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: other }).negotiate());
      expect(err.kind).toBe('unreachable');
      expect(err.message).toMatch(/TLS failed/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('tar', () => {
  it('round-trips the files of a build context and reads an archive answer', () => {
    const tar = createTar([
      { name: 'Dockerfile', content: 'FROM scratch\n' },
      { name: 'passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
    ]);
    const files = readTar(tar);
    expect([...files.keys()]).toEqual(['Dockerfile', 'passwd']);
    expect(files.get('passwd')?.toString()).toBe('root:x:0:0::/root:/bin/sh\n');
    expect(readTar(Buffer.from('not a tar'))).toEqual(new Map());
  });
});
