/**
 * `--probe-signals`: for each service, start a throwaway copy of one of its containers (same image,
 * entrypoint, command, user, environment, init; network `none`, no volumes, no restart policy, never
 * privileged), send it the container's stop signal (SIGTERM unless STOPSIGNAL says otherwise) as
 * `docker stop` would, and measure how long it takes to exit and with which code. After the stop
 * timeout it gets SIGKILL (exit 137). Every copy is labelled `dev.seaworthy.probe=1` and removed in a
 * `finally`, on errors, timeouts and Ctrl-C too; a sweep by run label catches any copy whose create
 * answer was lost. The original containers are never touched.
 */
import { randomBytes } from 'node:crypto';
import { type EngineClient, EngineError } from './engine.js';
import { type ApiContainerInspect, type ContainerFacts, LABEL_PROBE, type LiveError, type SignalProbe } from './model.js';

export const LABEL_PROBE_RUN = 'dev.seaworthy.probe.run';
export const LABEL_PROBE_OF = 'dev.seaworthy.probe.of';
/** `docker stop`'s default grace period. */
export const DEFAULT_STOP_TIMEOUT_S = 10;

export interface ProbeOptions {
  /** How long the copy runs before the signal, so the app can install its handlers (default 2000 ms). */
  settleMs?: number;
  /** Cancels the probes (the copies are still removed). */
  signal?: AbortSignal;
  /** Label value shared by this run's copies (default: random). */
  runId?: string;
}

interface ProbeInspect extends ApiContainerInspect {
  Config?: ApiContainerInspect['Config'] & { Env?: string[] | null; WorkingDir?: string; Tty?: boolean };
  HostConfig?: ApiContainerInspect['HostConfig'] & { Tmpfs?: Record<string, string> | null; ShmSize?: number };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new EngineError('the signal probe was cancelled', 'timeout', ''));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new EngineError('the signal probe was cancelled', 'timeout', ''));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One container per service (the first by name); containers outside compose stand for themselves. */
export function probeTargets(containers: readonly ContainerFacts[]): ContainerFacts[] {
  const seen = new Set<string>();
  const out: ContainerFacts[] = [];
  for (const c of containers) {
    const key = c.service ?? `container:${c.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

export async function probeSignals(
  client: EngineClient,
  containers: readonly ContainerFacts[],
  opts: ProbeOptions = {},
): Promise<{ probes: SignalProbe[]; errors: LiveError[] }> {
  const runId = opts.runId ?? randomBytes(6).toString('hex');
  const errors: LiveError[] = [];
  const targets = probeTargets(containers);
  const probes = await Promise.all(targets.map((c) => probeOne(client, c, runId, opts, errors)));
  await sweep(client, runId, errors);
  return { probes, errors };
}

/** Removes any copy of this run still present. */
async function sweep(client: EngineClient, runId: string, errors: LiveError[]): Promise<void> {
  try {
    const left = await client.json<{ Id: string; Names?: string[] }[]>('GET', '/containers/json', {
      query: { all: 1, filters: JSON.stringify({ label: [`${LABEL_PROBE_RUN}=${runId}`] }) },
    });
    for (const c of left ?? []) await remove(client, c.Id, (c.Names?.[0] ?? c.Id).replace(/^\//, ''), errors);
  } catch (e) {
    errors.push({ message: `could not check for leftover probe containers (label ${LABEL_PROBE_RUN}=${runId}): ${(e as Error).message}` });
  }
}

async function remove(client: EngineClient, id: string, name: string, errors: LiveError[]): Promise<void> {
  try {
    await client.json('DELETE', `/containers/${encodeURIComponent(id)}`, { query: { force: 1, v: 1 }, okStatuses: [404] });
  } catch (e) {
    errors.push({
      container: name,
      message: `could not remove the probe container ${name} (${id.slice(0, 12)}): ${(e as Error).message}; remove it with \`docker rm -f ${id.slice(0, 12)}\``,
    });
  }
}

function probeName(c: ContainerFacts, runId: string): string {
  const base = (c.service ?? c.name).replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 40);
  return `seaworthy-probe-${base}-${runId}`;
}

async function probeOne(
  client: EngineClient,
  c: ContainerFacts,
  runId: string,
  opts: ProbeOptions,
  errors: LiveError[],
): Promise<SignalProbe> {
  const signalName = normaliseSignal(c.stopSignal ?? 'SIGTERM');
  const stopTimeout = c.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S;
  const base: SignalProbe = {
    container: c.name,
    service: c.service,
    image: c.image,
    signal: signalName,
    stopTimeout,
    outcome: 'error',
    exitCode: null,
    elapsedMs: null,
  };
  let id: string | null = null;
  const name = probeName(c, runId);
  try {
    const orig = await client.json<ProbeInspect>('GET', `/containers/${encodeURIComponent(c.id)}/json`, { signal: opts.signal });
    const cfg = orig.Config ?? {};
    const hc = orig.HostConfig ?? {};
    const body = {
      Image: orig.Image ?? c.imageId ?? c.image,
      Entrypoint: cfg.Entrypoint ?? null,
      Cmd: cfg.Cmd ?? null,
      User: cfg.User ?? '',
      Env: cfg.Env ?? [],
      WorkingDir: cfg.WorkingDir ?? '',
      Tty: cfg.Tty === true,
      StopSignal: cfg.StopSignal || undefined,
      StopTimeout: stopTimeout,
      Labels: { [LABEL_PROBE]: '1', [LABEL_PROBE_RUN]: runId, [LABEL_PROBE_OF]: c.name },
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: 'none',
        Init: hc.Init ?? null,
        RestartPolicy: { Name: 'no' },
        AutoRemove: false,
        Privileged: false,
        ReadonlyRootfs: hc.ReadonlyRootfs === true,
        Tmpfs: hc.Tmpfs ?? undefined,
        CapAdd: hc.CapAdd ?? null,
        CapDrop: hc.CapDrop ?? null,
        SecurityOpt: (hc.SecurityOpt ?? []).filter((o) => /^no-new-privileges/.test(o)),
        Memory: hc.Memory ?? 0,
        NanoCpus: hc.NanoCpus ?? 0,
        PidsLimit: hc.PidsLimit ?? null,
        ShmSize: hc.ShmSize || undefined,
        LogConfig: { Type: 'none', Config: {} },
      },
    };
    const created = await client.json<{ Id: string }>('POST', '/containers/create', { query: { name }, body, signal: opts.signal });
    id = created.Id;
    await client.json('POST', `/containers/${encodeURIComponent(id)}/start`, { okStatuses: [304], signal: opts.signal });
    await sleep(opts.settleMs ?? 2000, opts.signal);
    const before = await client.json<ApiContainerInspect>('GET', `/containers/${encodeURIComponent(id)}/json`, { signal: opts.signal });
    if (!before.State?.Running) {
      return {
        ...base,
        outcome: 'exited-early',
        exitCode: before.State?.ExitCode ?? null,
        message: `the copy stopped by itself within ${opts.settleMs ?? 2000} ms (exit code ${before.State?.ExitCode ?? '?'}), before the signal: it may need the network or volumes the copy does not get`,
      };
    }
    // Wait first, then signal: the wait answers as soon as the copy exits.
    const waitTimeout = (stopTimeout + 30) * 1000;
    const waiting = client.json<{ StatusCode?: number }>('POST', `/containers/${encodeURIComponent(id)}/wait`, {
      query: { condition: 'not-running' },
      timeoutMs: waitTimeout,
      signal: opts.signal,
    });
    waiting.catch(() => undefined);
    const t0 = performance.now();
    await client.json('POST', `/containers/${encodeURIComponent(id)}/kill`, { query: { signal: signalName }, signal: opts.signal });
    // The grace period's timer is cancelled as soon as the copy exits (it must not keep the process alive).
    const grace = new AbortController();
    const graceSignal = opts.signal ? AbortSignal.any([opts.signal, grace.signal]) : grace.signal;
    const graceful = await Promise.race([
      waiting.then((r) => ({ r })),
      sleep(stopTimeout * 1000, graceSignal).then(
        () => null,
        (e) => {
          if (opts.signal?.aborted) throw e;
          return null;
        },
      ),
    ]).finally(() => grace.abort());
    if (graceful) {
      const exitCode = graceful.r?.StatusCode ?? null;
      return { ...base, outcome: 'exited', exitCode, elapsedMs: Math.round(performance.now() - t0) };
    }
    await client.json('POST', `/containers/${encodeURIComponent(id)}/kill`, {
      query: { signal: 'SIGKILL' },
      okStatuses: [409],
      signal: opts.signal,
    });
    const r = await waiting;
    return { ...base, outcome: 'killed', exitCode: r?.StatusCode ?? 137, elapsedMs: Math.round(performance.now() - t0) };
  } catch (e) {
    return { ...base, outcome: 'error', message: `the signal probe failed: ${(e as Error).message}` };
  } finally {
    if (id) await remove(client, id, name, errors);
  }
}

/** `TERM`, `15`, `sigterm` → `SIGTERM` (numbers are passed through). */
export function normaliseSignal(s: string): string {
  const t = s.trim().toUpperCase();
  if (/^\d+$/.test(t)) return t;
  return t.startsWith('SIG') ? t : `SIG${t}`;
}
