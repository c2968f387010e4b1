/**
 * A real Docker engine for integration tests (DESIGN.md "A real Docker engine in tests"): images built
 * `FROM scratch` with the host's static busybox through `POST /build` (the classic builder works
 * offline), containers on network `none` with compose labels. `.ci/run` starts the daemon and exports
 * DOCKER_HOST; locally, tests skip when no engine answers unless CI is set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { EngineClient, EngineError } from '../../src/live/engine.js';
import { LABEL_CONFIG_FILES, LABEL_PROJECT, LABEL_SERVICE } from '../../src/live/model.js';
import { createTar } from '../../src/live/tar.js';

/** Marks every container the tests create, so a run cleans up after itself (and after a crashed run). */
export const LABEL_TEST = 'dev.seaworthy.test';

export const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];

export type EngineState = { client: EngineClient; reason: null } | { client: null; reason: string };

/** The engine, or why there is none. In CI (CI set) a missing engine is an error, never a skip. */
export async function findEngine(): Promise<EngineState> {
  const client = EngineClient.fromEnv(process.env, { timeoutMs: 5_000 });
  try {
    await client.negotiate();
    return { client, reason: null };
  } catch (e) {
    client.close();
    const reason = `no Docker engine: ${(e as Error).message}`;
    if (process.env.CI) throw new Error(`${reason} (CI is set: the engine tests must run; .ci/run starts dockerd)`);
    return { client: null, reason };
  }
}

export function busyboxPath(): string {
  const p = BUSYBOX_PATHS.find((x) => existsSync(x));
  if (!p) throw new Error('no static busybox on this machine: apt-get install -y busybox-static');
  return p;
}

export const PASSWD =
  'root:x:0:0:root:/root:/bin/sh\nappuser:x:1001:1001:app:/home/appuser:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n';
export const GROUP = 'root:x:0:\nappuser:x:1001:\nnogroup:x:65534:\n';

/** Builds an image through `POST /build` from a Dockerfile and files; throws with the build log on failure. */
export async function buildImage(
  client: EngineClient,
  tag: string,
  dockerfile: string,
  files: Record<string, Buffer | string> = {},
): Promise<void> {
  const tar = createTar([
    { name: 'Dockerfile', content: dockerfile },
    ...Object.entries(files).map(([name, content]) => ({ name, content, mode: 0o755 })),
  ]);
  const res = await client.raw('POST', '/build', {
    query: { t: tag, rm: 1, forcerm: 1, version: '1' },
    rawBody: { data: tar, contentType: 'application/x-tar' },
    timeoutMs: 120_000,
  });
  const log = res.body.toString('utf8');
  if (/"errorDetail"/.test(log)) throw new Error(`docker build ${tag} failed:\n${log}`);
}

/** The images the tests use: a busybox base with /etc/passwd, a hardened one and a careless one. */
export async function buildTestImages(client: EngineClient): Promise<{ base: string; hardened: string; careless: string }> {
  const busybox = readFileSync(busyboxPath());
  const base = 'seaworthy-test/base:1';
  await buildImage(
    client,
    base,
    'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\nCOPY passwd /etc/passwd\nCOPY group /etc/group\n',
    { busybox, passwd: PASSWD, group: GROUP },
  );
  const hardened = 'seaworthy-test/hardened:1';
  await buildImage(
    client,
    hardened,
    `FROM ${base}\nUSER appuser\nHEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD ["/bin/true"]\nENTRYPOINT ["/bin/sleep"]\nCMD ["3600"]\n`,
  );
  const careless = 'seaworthy-test/careless:1';
  await buildImage(
    client,
    careless,
    `FROM ${base}\nHEALTHCHECK --interval=1s --timeout=2s --retries=1 CMD curl -fsS http://localhost:8080/health\nENTRYPOINT sleep 3600; echo bye\n`,
  );
  return { base, hardened, careless };
}

export interface ContainerSpec {
  name: string;
  image: string;
  project: string;
  service: string;
  configFiles: string[];
  /** Container config fields (Entrypoint, Cmd, User, Healthcheck, StopTimeout...). */
  config?: Record<string, unknown>;
  /** HostConfig fields; NetworkMode is always `none`. */
  host?: Record<string, unknown>;
  runId: string;
}

/** Creates and starts a container with compose labels on network none; returns its id. */
export async function runContainer(client: EngineClient, spec: ContainerSpec): Promise<string> {
  const body = {
    Image: spec.image,
    ...(spec.config ?? {}),
    Labels: {
      [LABEL_PROJECT]: spec.project,
      [LABEL_SERVICE]: spec.service,
      [LABEL_CONFIG_FILES]: spec.configFiles.join(','),
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      [LABEL_TEST]: spec.runId,
    },
    HostConfig: { ...(spec.host ?? {}), NetworkMode: 'none' },
  };
  const { Id } = await client.json<{ Id: string }>('POST', '/containers/create', { query: { name: spec.name }, body });
  await client.json('POST', `/containers/${Id}/start`, { okStatuses: [304] });
  return Id;
}

/** Removes every container carrying the test label (this run's, or with `all`, any run's). */
export async function removeTestContainers(client: EngineClient, runId?: string): Promise<void> {
  const label = runId ? `${LABEL_TEST}=${runId}` : LABEL_TEST;
  const list = await client.json<{ Id: string }[]>('GET', '/containers/json', {
    query: { all: 1, filters: JSON.stringify({ label: [label] }) },
  });
  for (const c of list ?? []) {
    await client.json('DELETE', `/containers/${c.Id}`, { query: { force: 1, v: 1 }, okStatuses: [404] }).catch(() => undefined);
  }
}

/** Containers of a label (e.g. probes left behind). */
export async function containersWithLabel(client: EngineClient, label: string): Promise<string[]> {
  const list = await client.json<{ Id: string }[]>('GET', '/containers/json', {
    query: { all: 1, filters: JSON.stringify({ label: [label] }) },
  });
  return (list ?? []).map((c) => c.Id);
}

/** Polls until `f` returns a value (not undefined), or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** Waits until a container's health status is one of `statuses`. */
export function waitForHealth(client: EngineClient, id: string, statuses: string[]): Promise<string> {
  return waitFor(`health of ${id.slice(0, 12)} to be ${statuses.join('/')}`, async () => {
    const i = await client.json<{ State?: { Health?: { Status?: string } } }>('GET', `/containers/${id}/json`);
    const s = i.State?.Health?.Status;
    return s && statuses.includes(s) ? s : undefined;
  });
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/** The compose files of the demo project (its static model gives the locations). */
export function demoComposeFiles(project: string): Record<string, string> {
  return {
    'docker-compose.yml': [
      `name: ${project}`,
      'services:',
      '  backend:',
      '    image: seaworthy-test/hardened:1',
      '    init: true',
      '  worker:',
      '    image: seaworthy-test/careless:1',
      '',
    ].join('\n'),
    'docker-compose.prod.yml': [
      'services:',
      '  backend:',
      '    read_only: true',
      '    security_opt: ["no-new-privileges:true"]',
      '    cap_drop: [ALL]',
      '    mem_limit: 64m',
      '    cpus: 0.5',
      '    pids_limit: 64',
      '    logging:',
      '      driver: json-file',
      '      options: {max-size: "1m", max-file: "3"}',
      '  worker:',
      '    restart: "no"',
      '',
    ].join('\n'),
  };
}

/**
 * Starts the demo project: `backend` hardened as the reference document wants it (started with the
 * prod overlay), `worker` careless (root, `sh -c` PID 1, no limits, a healthcheck calling curl, which
 * busybox lacks; started without the overlay). Waits until both health states settle.
 */
export async function startDemo(
  client: EngineClient,
  images: { hardened: string; careless: string },
  project: string,
  dir: string,
  runId: string,
) {
  const base = `${dir}/docker-compose.yml`;
  const prod = `${dir}/docker-compose.prod.yml`;
  const backend = await runContainer(client, {
    name: `${project}-backend-1`,
    image: images.hardened,
    project,
    service: 'backend',
    configFiles: [base, prod],
    config: { StopTimeout: 2 },
    host: {
      Init: true,
      ReadonlyRootfs: true,
      SecurityOpt: ['no-new-privileges:true'],
      CapDrop: ['ALL'],
      Memory: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 64,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '3' } },
    },
    runId,
  });
  const worker = await runContainer(client, {
    name: `${project}-worker-1`,
    image: images.careless,
    project,
    service: 'worker',
    configFiles: [base],
    config: { StopTimeout: 2 },
    runId,
  });
  await Promise.all([waitForHealth(client, backend, ['healthy']), waitForHealth(client, worker, ['unhealthy'])]);
  return { backend, worker };
}
