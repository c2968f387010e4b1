/**
 * A fake Docker engine for client tests: a real HTTP server on a unix socket in a temp folder (or on
 * 127.0.0.1 with TLS), answering from a recording (test/live/recording.ts) or a handler, and logging
 * every request. Tests can make it hang, fail or go away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTar } from '../../src/live/tar.js';
import { keyOf, type Recording } from './recording.js';

export type Handler = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void | Promise<void>;

export interface FakeEngine {
  /** `unix:///tmp/.../docker.sock` or `tcp://127.0.0.1:port`. */
  host: string;
  socketPath: string | null;
  port: number | null;
  /** `METHOD /v1.41/path?query` of every request, in order. */
  requests: string[];
  /** Stops listening and cuts open connections (the engine going away). */
  close(): Promise<void>;
}

/** Answers from a recording, as the ReplayTransport does, but over real HTTP. */
export function replay(recording: Recording): Handler {
  return (req, _body, res) => {
    const key = keyOf(req.method ?? 'GET', req.url ?? '/');
    const a = recording[key] ?? recording[key.split('?')[0]];
    if (!a) return sendJson(res, 404, { message: `page not found: ${key}` });
    if (a.tar) {
      res.writeHead(a.status, { 'Content-Type': 'application/x-tar' });
      res.end(createTar(Object.entries(a.tar).map(([name, content]) => ({ name, content }))));
      return;
    }
    sendJson(res, a.status, a.body);
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startFakeEngine(
  handler: Handler,
  opts: { tls?: { cert: string; key: string; ca: string; requestCert: boolean } } = {},
): Promise<FakeEngine> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const listener: http.RequestListener = (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, Buffer.concat(chunks), res)).catch((e) => sendJson(res, 500, { message: String(e) }));
    });
  };
  const server = opts.tls
    ? https.createServer(
        {
          cert: opts.tls.cert,
          key: opts.tls.key,
          ca: opts.tls.ca,
          requestCert: opts.tls.requestCert,
          rejectUnauthorized: opts.tls.requestCert,
        },
        listener,
      )
    : http.createServer(listener);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let dir: string | null = null;
  let socketPath: string | null = null;
  let port: number | null = null;
  if (opts.tls) {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'seaworthy-engine-'));
    socketPath = join(dir, 'docker.sock');
    await new Promise<void>((r) => server.listen(socketPath as string, r));
  }
  let closed = false;
  return {
    host: socketPath ? `unix://${socketPath}` : `tcp://127.0.0.1:${port}`,
    socketPath,
    port,
    requests,
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await done;
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
