/**
 * A small Docker Engine API client on `node:http`/`node:https` (no dependency): the local socket by
 * default, or `DOCKER_HOST` (`unix://`, `tcp://`; TLS from `DOCKER_CERT_PATH`/`DOCKER_TLS_VERIFY`
 * with the Go SDK's semantics), API version negotiation, a timeout on every request, and errors that
 * say where the engine was looked for.
 *
 * The HTTP exchange goes through a `Transport`, so tests can record and replay the engine's answers
 * (`test/fixtures/runtime/`) and wrap the real one (an engine that goes away mid-run).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Highest API version seaworthy speaks; negotiation picks min(this, the server's ApiVersion). */
export const CLIENT_MAX_API_VERSION = '1.47';
/** Lowest API version whose answers carry everything the runtime rules read. */
export const CLIENT_MIN_API_VERSION = '1.25';
export const DEFAULT_SOCKET = '/var/run/docker.sock';
/** Default per-request timeout. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Largest response body read (inspect of a container is a few KB; a top of thousands of processes less than this). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export type Endpoint =
  | { kind: 'unix'; socketPath: string; display: string }
  | { kind: 'tcp'; host: string; port: number; tls: TlsSettings | null; display: string };

export interface TlsSettings {
  /** PEM contents; null when absent (system CAs, no client certificate). */
  ca: string | null;
  cert: string | null;
  key: string | null;
  /** `DOCKER_TLS_VERIFY` set: verify the server's certificate. */
  verify: boolean;
}

export type EngineErrorKind = 'unreachable' | 'timeout' | 'http' | 'protocol' | 'config';

/** Every failure of the client. `kind` says what happened; `status` is set for `http`. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly kind: EngineErrorKind,
    readonly endpoint: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Reads DOCKER_HOST and the TLS variables. Throws an EngineError (`config`) for hosts it cannot use. */
export function resolveEndpoint(env: NodeJS.ProcessEnv = process.env): Endpoint {
  const raw = (env.DOCKER_HOST ?? '').trim();
  if (raw === '') return { kind: 'unix', socketPath: DEFAULT_SOCKET, display: `unix://${DEFAULT_SOCKET}` };
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(raw);
  if (!m) {
    throw new EngineError(`DOCKER_HOST=${raw} is not a URL such as unix:///var/run/docker.sock or tcp://host:2376`, 'config', raw);
  }
  const scheme = m[1].toLowerCase();
  if (scheme === 'unix') {
    const socketPath = m[2];
    if (!socketPath.startsWith('/')) throw new EngineError(`DOCKER_HOST=${raw}: a unix socket path must be absolute`, 'config', raw);
    return { kind: 'unix', socketPath, display: raw };
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    const certPath = (env.DOCKER_CERT_PATH ?? '').trim();
    const verify = (env.DOCKER_TLS_VERIFY ?? '').trim() !== '';
    const useTls = scheme === 'https' || certPath !== '' || verify;
    let url: URL;
    try {
      url = new URL(`http://${m[2]}`);
    } catch {
      throw new EngineError(`DOCKER_HOST=${raw}: cannot read the host and port`, 'config', raw);
    }
    if (url.hostname === '') throw new EngineError(`DOCKER_HOST=${raw}: no host name`, 'config', raw);
    const port = url.port ? Number(url.port) : useTls ? 2376 : 2375;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const tls = useTls ? readTls(certPath || join(homedir(), '.docker'), verify, raw) : null;
    return { kind: 'tcp', host, port, tls, display: raw };
  }
  if (scheme === 'ssh') {
    throw new EngineError(
      `DOCKER_HOST=${raw}: ssh:// hosts are not supported; forward the socket (ssh -L /tmp/docker.sock:/var/run/docker.sock ...) and use unix:///tmp/docker.sock`,
      'config',
      raw,
    );
  }
  throw new EngineError(`DOCKER_HOST=${raw}: unsupported scheme '${scheme}' (use unix:// or tcp://)`, 'config', raw);
}

function readTls(dir: string, verify: boolean, display: string): TlsSettings {
  const read = (name: string, required: boolean): string | null => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (e) {
      if (!required) return null;
      throw new EngineError(`cannot read ${join(dir, name)} for TLS to ${display}: ${(e as Error).message}`, 'config', display);
    }
  };
  const cert = read('cert.pem', false);
  const key = read('key.pem', false);
  if ((cert === null) !== (key === null)) {
    throw new EngineError(
      `TLS to ${display}: ${dir} has ${cert ? 'cert.pem but no key.pem' : 'key.pem but no cert.pem'}`,
      'config',
      display,
    );
  }
  return { ca: read('ca.pem', verify), cert, key, verify };
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'HEAD';
  /** Path with query string, e.g. `/v1.41/containers/json?all=1`. */
  path: string;
  body?: Buffer | string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Aborts the request (the probe's Ctrl-C). */
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP exchange with the engine. Rejects with an EngineError. */
export interface Transport {
  readonly display: string;
  request(req: TransportRequest): Promise<TransportResponse>;
}

/** The real transport: a unix socket or TCP (with TLS). */
export class HttpTransport implements Transport {
  readonly display: string;
  private readonly agent: http.Agent;

  constructor(private readonly endpoint: Endpoint) {
    this.display = endpoint.display;
    if (endpoint.kind === 'tcp' && endpoint.tls) {
      const t = endpoint.tls;
      this.agent = new https.Agent({
        keepAlive: true,
        ca: t.ca ?? undefined,
        cert: t.cert ?? undefined,
        key: t.key ?? undefined,
        rejectUnauthorized: t.verify,
      });
    } else {
      this.agent = new http.Agent({ keepAlive: true });
    }
  }

  request(req: TransportRequest): Promise<TransportResponse> {
    const ep = this.endpoint;
    const secure = ep.kind === 'tcp' && ep.tls !== null;
    const options: http.RequestOptions = {
      method: req.method,
      path: req.path,
      agent: this.agent,
      // Over a socket the host name is meaningless; over TCP it must stay the real one (TLS checks it).
      headers: { ...(ep.kind === 'unix' ? { Host: 'docker' } : {}), ...(req.headers ?? {}) },
    };
    if (ep.kind === 'unix') options.socketPath = ep.socketPath;
    else {
      options.host = ep.host;
      options.port = ep.port;
    }
    if (req.body !== undefined) {
      (options.headers as Record<string, string | number>)['Content-Length'] = Buffer.byteLength(req.body);
    }
    const where = this.display;
    return new Promise<TransportResponse>((resolve, reject) => {
      let settled = false;
      const done = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        f();
      };
      const request = (secure ? https : http).request(options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) {
            request.destroy();
            done(() =>
              reject(
                new EngineError(
                  `the Docker engine at ${where} sent more than ${MAX_BODY_BYTES} bytes for ${req.method} ${req.path}`,
                  'protocol',
                  where,
                ),
              ),
            );
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => done(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })));
        res.on('error', (e) => done(() => reject(connectionError(e, where, req))));
      });
      const timer = setTimeout(() => {
        request.destroy();
        done(() =>
          reject(
            new EngineError(
              `the Docker engine at ${where} did not answer ${req.method} ${stripQuery(req.path)} within ${fmtMs(req.timeoutMs)}`,
              'timeout',
              where,
            ),
          ),
        );
      }, req.timeoutMs);
      const onAbort = () => {
        request.destroy();
        done(() => reject(new EngineError(`request to the Docker engine at ${where} was cancelled`, 'timeout', where)));
      };
      if (req.signal?.aborted) onAbort();
      else req.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (e) => done(() => reject(connectionError(e, where, req))));
      if (req.body !== undefined) request.write(req.body);
      request.end();
    });
  }

  /** Closes idle keep-alive connections (so a CLI run can exit promptly). */
  close(): void {
    this.agent.destroy();
  }
}

function stripQuery(p: string): string {
  const i = p.indexOf('?');
  return i < 0 ? p : p.slice(0, i);
}

function fmtMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function connectionError(e: Error & { code?: string }, where: string, req: TransportRequest): EngineError {
  const code = e.code ?? '';
  const hint: Record<string, string> = {
    ENOENT: 'no socket there: is dockerd running? Set DOCKER_HOST to reach another engine',
    ECONNREFUSED: 'connection refused: is dockerd running and listening there?',
    EACCES: 'permission denied: run as a member of the docker group, or as root',
    ECONNRESET: 'the connection was reset: did the engine stop?',
    EPIPE: 'the connection was closed: did the engine stop?',
    ENOTFOUND: 'unknown host name',
    EHOSTUNREACH: 'host unreachable',
    ETIMEDOUT: 'connection timed out',
  };
  if (
    /certificate|self[- ]signed|SSL|TLS/i.test(e.message) ||
    code.startsWith('ERR_TLS') ||
    code.startsWith('CERT_') ||
    code.includes('SSL')
  ) {
    return new EngineError(
      `cannot reach the Docker engine at ${where}: TLS failed: ${e.message} (check DOCKER_CERT_PATH and DOCKER_TLS_VERIFY)`,
      'unreachable',
      where,
    );
  }
  const why = hint[code] ? `${e.message} (${hint[code]})` : e.message;
  return new EngineError(
    `cannot reach the Docker engine at ${where}: ${why} [${req.method} ${stripQuery(req.path)}]`,
    'unreachable',
    where,
  );
}

/** `1.41` → [1, 41]. */
export function parseApiVersion(v: string): [number, number] | null {
  const m = /^v?(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function compareApiVersions(a: string, b: string): number {
  const x = parseApiVersion(a) ?? [0, 0];
  const y = parseApiVersion(b) ?? [0, 0];
  return x[0] - y[0] || x[1] - y[1];
}

/**
 * The version to speak: min(client maximum, server ApiVersion). Throws when that is below what
 * seaworthy needs or below the server's minimum.
 */
export function negotiateApiVersion(server: { ApiVersion?: string; MinAPIVersion?: string }, where: string): string {
  const sv = server.ApiVersion;
  if (!sv || !parseApiVersion(sv))
    throw new EngineError(`the Docker engine at ${where} did not report its API version (GET /version)`, 'protocol', where);
  const chosen = compareApiVersions(sv, CLIENT_MAX_API_VERSION) < 0 ? sv.replace(/^v/, '') : CLIENT_MAX_API_VERSION;
  if (compareApiVersions(chosen, CLIENT_MIN_API_VERSION) < 0) {
    throw new EngineError(
      `the Docker engine at ${where} speaks API ${sv}; seaworthy needs ${CLIENT_MIN_API_VERSION} or later (Docker 1.13+)`,
      'protocol',
      where,
    );
  }
  if (server.MinAPIVersion && parseApiVersion(server.MinAPIVersion) && compareApiVersions(chosen, server.MinAPIVersion) < 0) {
    throw new EngineError(
      `the Docker engine at ${where} requires API ${server.MinAPIVersion} or later; seaworthy speaks up to ${CLIENT_MAX_API_VERSION}`,
      'protocol',
      where,
    );
  }
  return chosen;
}

export interface ClientOptions {
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body. */
  body?: unknown;
  /** Raw body with its content type (a tar for `POST /build`). */
  rawBody?: { data: Buffer; contentType: string };
  /** Overrides the client's timeout (long waits). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Statuses that are not errors (e.g. 304 Not Modified for a start). */
  okStatuses?: number[];
}

/** The engine's JSON error body: `{"message": "..."}`. */
function engineMessage(body: Buffer): string {
  const text = body.toString('utf8').trim();
  try {
    const j = JSON.parse(text) as { message?: unknown };
    if (typeof j.message === 'string') return j.message;
  } catch {
    // not JSON
  }
  return text.slice(0, 500) || '(empty answer)';
}

export class EngineClient {
  private version: string | null = null;
  private versionInfo: Record<string, unknown> | null = null;
  readonly timeoutMs: number;

  constructor(
    readonly transport: Transport,
    opts: ClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** A client for DOCKER_HOST (or the local socket). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, opts: ClientOptions = {}): EngineClient {
    return new EngineClient(new HttpTransport(resolveEndpoint(env)), opts);
  }

  get display(): string {
    return this.transport.display;
  }

  /** The negotiated API version (after `negotiate`). */
  get apiVersion(): string | null {
    return this.version;
  }

  /** `GET /version` (unversioned) and picks the API version; returns the engine's answer. */
  async negotiate(): Promise<Record<string, unknown>> {
    if (this.versionInfo) return this.versionInfo;
    const info = (await this.rawJson('GET', '/version', {})) as Record<string, unknown>;
    this.version = negotiateApiVersion(info as { ApiVersion?: string; MinAPIVersion?: string }, this.display);
    this.versionInfo = info;
    return info;
  }

  /** A JSON request on the negotiated version (`/v1.xx/...`). */
  async json<T = unknown>(method: TransportRequest['method'], path: string, opts: RequestOptions = {}): Promise<T> {
    if (!this.version) await this.negotiate();
    return (await this.rawJson(method, `/v${this.version}${path}`, opts)) as T;
  }

  /** A request on the negotiated version, returning the raw body. */
  async raw(method: TransportRequest['method'], path: string, opts: RequestOptions = {}): Promise<TransportResponse> {
    if (!this.version) await this.negotiate();
    return this.send(method, `/v${this.version}${path}`, opts);
  }

  private async rawJson(method: TransportRequest['method'], path: string, opts: RequestOptions): Promise<unknown> {
    const res = await this.send(method, path, opts);
    if (res.body.length === 0) return null;
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new EngineError(
        `the Docker engine at ${this.display} answered ${method} ${stripQuery(path)} with something that is not JSON`,
        'protocol',
        this.display,
      );
    }
  }

  private async send(method: TransportRequest['method'], path: string, opts: RequestOptions): Promise<TransportResponse> {
    const q = Object.entries(opts.query ?? {}).filter(([, v]) => v !== undefined);
    const qs = q.length ? `?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}` : '';
    const req: TransportRequest = { method, path: `${path}${qs}`, timeoutMs: opts.timeoutMs ?? this.timeoutMs, signal: opts.signal };
    if (opts.rawBody !== undefined) {
      req.body = opts.rawBody.data;
      req.headers = { 'Content-Type': opts.rawBody.contentType };
    } else if (opts.body !== undefined) {
      req.body = JSON.stringify(opts.body);
      req.headers = { 'Content-Type': 'application/json' };
    }
    const res = await this.transport.request(req);
    if (res.status >= 400 && !(opts.okStatuses ?? []).includes(res.status)) {
      throw new EngineError(
        `the Docker engine at ${this.display} answered ${method} ${stripQuery(path)} with ${res.status}: ${engineMessage(res.body)}`,
        'http',
        this.display,
        res.status,
      );
    }
    return res;
  }

  /** Closes idle connections of the real transport. */
  close(): void {
    const t = this.transport as { close?: () => void };
    t.close?.();
  }
}
