/**
 * Recorded Engine API answers: a recording maps `METHOD /path?query` (API version prefix removed,
 * query decoded) to `{status, body}`; archive answers (tar) are stored as `{status, tar: {name: text}}`
 * so fixtures stay readable. `RecordingTransport` writes one from a real engine, `ReplayTransport`
 * answers from one (exact key, then the path without its query, else 404), and a case file
 * (test/fixtures/runtime/<rule>/<case>.json) is a base recording plus a JSON merge patch (RFC 7386).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Transport, TransportRequest, TransportResponse } from '../../src/live/engine.js';
import { createTar, readTar } from '../../src/live/tar.js';

export interface RecordedAnswer {
  status: number;
  body?: unknown;
  tar?: Record<string, string>;
  /** Delay before answering (ms), for timeout tests. */
  delayMs?: number;
}

export type Recording = Record<string, RecordedAnswer>;

export const RUNTIME_FIXTURES = join(import.meta.dirname, '../fixtures/runtime');

/** `/v1.41/containers/x/top?ps_args=-o%20pid` → `/containers/x/top?ps_args=-o pid`. */
export function keyOf(method: string, path: string): string {
  const [p, q] = path.split('?', 2) as [string, string | undefined];
  const bare = p.replace(/^\/v\d+\.\d+(?=\/)/, '');
  if (!q) return `${method} ${bare}`;
  const params = new URLSearchParams(q);
  const query = [...params.entries()].map(([k, v]) => `${k}=${v}`).join('&');
  return `${method} ${bare}?${query}`;
}

function withoutQuery(key: string): string {
  const i = key.indexOf('?');
  return i < 0 ? key : key.slice(0, i);
}

export class ReplayTransport implements Transport {
  readonly display = 'unix:///replay.sock';
  readonly requests: string[] = [];

  constructor(private readonly recording: Recording) {}

  async request(req: TransportRequest): Promise<TransportResponse> {
    const key = keyOf(req.method, req.path);
    this.requests.push(key);
    const answer = this.recording[key] ?? this.recording[withoutQuery(key)];
    if (!answer) return json(404, { message: `page not found (no recorded answer for ${key})` });
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (answer.tar) {
      return {
        status: answer.status,
        headers: { 'content-type': 'application/x-tar' },
        body: createTar(Object.entries(answer.tar).map(([name, content]) => ({ name, content }))),
      };
    }
    return json(answer.status, answer.body);
  }
}

function json(status: number, body: unknown): TransportResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
  };
}

/** Wraps a real transport and records every exchange. */
export class RecordingTransport implements Transport {
  readonly recording: Recording = {};

  constructor(private readonly inner: Transport) {}

  get display(): string {
    return this.inner.display;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const res = await this.inner.request(req);
    const key = keyOf(req.method, req.path);
    const type = String(res.headers['content-type'] ?? '');
    if (type.includes('tar')) {
      const files: Record<string, string> = {};
      for (const [name, content] of readTar(res.body)) files[name] = content.toString('utf8');
      this.recording[key] = { status: res.status, tar: files };
    } else {
      const text = res.body.toString('utf8');
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // keep text
      }
      this.recording[key] = { status: res.status, body };
    }
    return res;
  }
}

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export interface Expectation {
  container: string;
  status: 'pass' | 'fail' | 'unknown';
  /** Effective severity of a fail, when it differs from the rule's default. */
  severity?: string;
  /** Location: file and line of the service in the static model (`''`/1 when unmapped). */
  file?: string;
  line?: number;
  /** Substring the evidence of a pass must contain. */
  evidence?: string;
}

export interface RuntimeCase {
  description: string;
  /** Base recording, relative to test/fixtures/runtime/. */
  base: string;
  patch?: Record<string, unknown>;
  /** Compose project name (default: the base's `project`). */
  project?: string;
  /** Static repository for locations, relative to test/fixtures/runtime/ (default `repo`); `null` for none. */
  repo?: string | null;
  /** Recorded probe results (`--probe-signals`), for runtime/graceful-stop. */
  probes?: unknown[];
  expect: Expectation[];
}

export interface BaseRecording {
  description: string;
  project: string;
  responses: Recording;
}

export function loadCase(file: string): { case: RuntimeCase; recording: Recording; project: string } {
  const c = JSON.parse(readFileSync(file, 'utf8')) as RuntimeCase;
  const baseFile = join(RUNTIME_FIXTURES, c.base);
  const base = JSON.parse(readFileSync(baseFile, 'utf8')) as BaseRecording;
  const recording = mergePatch(base.responses, c.patch ?? {}) as Recording;
  return { case: c, recording, project: c.project ?? base.project };
}

export function loadRecording(rel: string): BaseRecording {
  return JSON.parse(readFileSync(join(RUNTIME_FIXTURES, rel), 'utf8')) as BaseRecording;
}

export function fixtureDir(file: string): string {
  return dirname(file);
}
