/**
 * Taking a snapshot of a running compose project through the Engine API: its containers (by the
 * `com.docker.compose.project` label), their inspect, their processes (`top`: no exec into the
 * container), their health log and their `/etc/passwd` (read through the archive endpoint, to name
 * users as `whoami` would). Read-only. A container removed mid-run, or the engine going away, becomes
 * an error in the snapshot and the containers already read are kept.
 */
import { type EngineClient, EngineError } from './engine.js';
import {
  type ApiContainerInspect,
  type ApiContainerSummary,
  type ApiInfo,
  type ApiTop,
  type ApiVersionInfo,
  type ContainerFacts,
  containerFacts,
  engineFacts,
  LABEL_ONEOFF,
  LABEL_PROBE,
  LABEL_PROJECT,
  type LiveError,
  type LiveSnapshot,
} from './model.js';
import { type ProbeOptions, probeSignals } from './probe.js';
import { readTar } from './tar.js';

/** `ps` columns asked of the engine: PID (to find PID 1), numeric UID, the user name, the command. */
export const PS_ARGS = '-o pid,uid,user,args';
const MAX_PASSWD_BYTES = 1024 * 1024;

export interface SnapshotOptions {
  /** Compose project name (`com.docker.compose.project`). */
  project: string;
  /** Run `--probe-signals` on one container of each service. */
  probeSignals?: boolean;
  probe?: ProbeOptions;
  /** Clock (tests). */
  now?: () => Date;
}

/** Lists the project's containers (one-off `compose run` containers and seaworthy's probes excluded). */
export async function listProjectContainers(client: EngineClient, project: string): Promise<ApiContainerSummary[]> {
  const list = await client.json<ApiContainerSummary[]>('GET', '/containers/json', {
    query: { all: 1, filters: JSON.stringify({ label: [`${LABEL_PROJECT}=${project}`] }) },
  });
  return (list ?? [])
    .filter((c) => {
      const labels = c.Labels ?? {};
      // Engines older than the label filter would return everything: filter again.
      if (labels[LABEL_PROJECT] !== project) return false;
      if (LABEL_PROBE in labels) return false;
      return !/^true$/i.test(labels[LABEL_ONEOFF] ?? '');
    })
    .sort((a, b) => {
      const x = nameOf(a);
      const y = nameOf(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
}

function nameOf(c: ApiContainerSummary): string {
  return (c.Names?.[0] ?? c.Id).replace(/^\//, '');
}

function isGone(e: unknown): boolean {
  return e instanceof EngineError && (e.kind === 'unreachable' || e.kind === 'timeout');
}

/** The engine's answer for a container that no longer exists. */
function isNoSuchContainer(e: unknown): boolean {
  return e instanceof EngineError && e.kind === 'http' && e.status === 404;
}

export async function takeSnapshot(client: EngineClient, opts: SnapshotOptions): Promise<LiveSnapshot> {
  const now = opts.now ?? (() => new Date());
  const version = (await client.negotiate()) as ApiVersionInfo;
  const errors: LiveError[] = [];
  let info: ApiInfo | null = null;
  try {
    info = await client.json<ApiInfo>('GET', '/info');
  } catch (e) {
    if (isGone(e)) throw e;
    errors.push({ message: `could not read the engine's /info (rootless and userns-remap unknown): ${(e as Error).message}` });
  }
  const engine = engineFacts(client.display, client.apiVersion ?? '', version, info);
  const takenAt = now().toISOString();
  const summaries = await listProjectContainers(client, opts.project);

  const containers: ContainerFacts[] = [];
  for (let k = 0; k < summaries.length; k++) {
    const s = summaries[k];
    const name = nameOf(s);
    try {
      containers.push(await readContainer(client, s, engine, errors));
    } catch (e) {
      if (isNoSuchContainer(e)) {
        errors.push({ container: name, message: `container ${name} was removed while seaworthy was reading it; it is not checked` });
        continue;
      }
      if (isGone(e)) {
        const rest = summaries.slice(k).map(nameOf);
        errors.push({
          container: name,
          message: `${(e as Error).message}; ${rest.length} container(s) not checked: ${rest.join(', ')}`,
        });
        break;
      }
      errors.push({ container: name, message: `could not read container ${name}: ${(e as Error).message}` });
    }
  }

  const snapshot: LiveSnapshot = { takenAt, engine, project: opts.project, containers, probes: null, errors };
  if (opts.probeSignals) {
    const { probes, errors: probeErrors } = await probeSignals(client, containers, opts.probe ?? {});
    snapshot.probes = probes;
    errors.push(...probeErrors);
  }
  return snapshot;
}

async function readContainer(
  client: EngineClient,
  s: ApiContainerSummary,
  engine: LiveSnapshot['engine'],
  errors: LiveError[],
): Promise<ContainerFacts> {
  const id = s.Id;
  const inspect = await client.json<ApiContainerInspect>('GET', `/containers/${encodeURIComponent(id)}/json`);
  const name = (inspect.Name ?? nameOf(s)).replace(/^\//, '');
  let top: ApiTop | null = null;
  let topError: string | null = null;
  if (inspect.State?.Running) {
    try {
      top = await readTop(client, id);
    } catch (e) {
      if (isNoSuchContainer(e)) throw e;
      if (isGone(e)) {
        // Keep what was read: the inspect is enough for most rules.
        errors.push({ container: name, message: `${(e as Error).message} (reading the processes of ${name})` });
        return containerFacts(
          { summary: s, inspect, top: null, topError: `the process list could not be read: ${(e as Error).message}`, passwd: null },
          engine,
        );
      }
      topError = `the process list could not be read: ${(e as Error).message}`;
      if (e instanceof EngineError && e.status === 409) topError = `the container is not running (${(e as Error).message})`;
    }
  }
  let passwd: string | null = null;
  if (top) {
    try {
      passwd = await readFile(client, id, '/etc/passwd', MAX_PASSWD_BYTES);
    } catch (e) {
      if (isGone(e)) errors.push({ container: name, message: `${(e as Error).message} (reading /etc/passwd of ${name})` });
      // A missing /etc/passwd (scratch images) only means users are shown by UID.
    }
  }
  return containerFacts({ summary: s, inspect, top, topError, passwd }, engine);
}

/**
 * The container's processes. `ps` runs on the engine's host; when it rejects `-o` (busybox `ps`),
 * the engine's default columns are asked for instead.
 */
export async function readTop(client: EngineClient, id: string): Promise<ApiTop> {
  const path = `/containers/${encodeURIComponent(id)}/top`;
  try {
    return await client.json<ApiTop>('GET', path, { query: { ps_args: PS_ARGS } });
  } catch (e) {
    if (e instanceof EngineError && e.kind === 'http' && e.status === 500) return client.json<ApiTop>('GET', path);
    throw e;
  }
}

/** One file of a container through `GET /containers/{id}/archive` (a tar); null when it is not a regular file. */
export async function readFile(client: EngineClient, id: string, path: string, maxBytes: number): Promise<string | null> {
  const res = await client.raw('GET', `/containers/${encodeURIComponent(id)}/archive`, { query: { path } });
  if (res.body.length > maxBytes + 4096) return null;
  const files = readTar(res.body);
  const base = path.slice(path.lastIndexOf('/') + 1);
  const content = files.get(base) ?? [...files.values()][0];
  return content ? content.toString('utf8') : null;
}
