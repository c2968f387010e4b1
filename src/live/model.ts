/**
 * The live model: what `seaworthy verify` knows about a running compose project, as plain data, and
 * the pure functions that build it from the Engine API's answers (`GET /version`, `/info`,
 * `/containers/json`, `/containers/{id}/json`, `/containers/{id}/top`, the container's
 * `/etc/passwd`). Runtime rules read only this (plus the static Project for locations), so they are
 * pure and testable with recorded answers.
 */
import type { Project } from '../model/project.js';
import type { ComposeProject } from '../model/compose.js';

export const LABEL_PROJECT = 'com.docker.compose.project';
export const LABEL_SERVICE = 'com.docker.compose.service';
export const LABEL_CONFIG_FILES = 'com.docker.compose.project.config_files';
export const LABEL_WORKING_DIR = 'com.docker.compose.project.working_dir';
export const LABEL_ONEOFF = 'com.docker.compose.oneoff';
/** Set on the throwaway copies `--probe-signals` starts (never judged, always removed). */
export const LABEL_PROBE = 'dev.seaworthy.probe';

/** Everything the runtime rules see. */
export interface LiveContext {
  snapshot: LiveSnapshot;
  /** The static model of the scanned path (locations, expectations such as the prod overlay). */
  project: Project | null;
}

export interface LiveSnapshot {
  /** ISO time the snapshot was taken (the report's "verified on"). */
  takenAt: string;
  engine: EngineFacts;
  /** The compose project name searched for (`com.docker.compose.project`). */
  project: string;
  /** The project's containers, by name. */
  containers: ContainerFacts[];
  /** Results of `--probe-signals`; null when not asked for. */
  probes: SignalProbe[] | null;
  /** What could not be read (a container removed mid-run, the engine going away). */
  errors: LiveError[];
}

export interface LiveError {
  /** Container name, when the error is about one. */
  container?: string;
  message: string;
}

export interface EngineFacts {
  /** Where the engine was reached (`unix:///var/run/docker.sock`). */
  endpoint: string;
  serverVersion: string | null;
  /** The negotiated API version. */
  apiVersion: string;
  os: string | null;
  /** `name=rootless` in `/info` SecurityOptions: the daemon runs as an unprivileged user. */
  rootless: boolean;
  /**
   * `userns-remap`: container UID 0 is host UID `uid` (read from DockerRootDir, which ends in
   * `/<uid>.<gid>` under remapping). `known: false` when remapping is on but the base is not readable.
   */
  usernsRemap: { uid: number; gid: number; known: boolean } | null;
  securityOptions: string[];
}

export interface HealthProbe {
  start: string;
  end: string;
  exitCode: number;
  output: string;
}

export interface HostFacts {
  privileged: boolean;
  securityOpt: string[];
  capAdd: string[];
  capDrop: string[];
  readonlyRootfs: boolean;
  /** Bytes; 0 = unlimited. */
  memory: number;
  nanoCpus: number;
  cpuQuota: number;
  cpuPeriod: number;
  /** null when unlimited (unset, 0 or -1). */
  pidsLimit: number | null;
  logType: string;
  logOptions: Record<string, string>;
  networkMode: string;
  pidMode: string;
  ipcMode: string;
  utsMode: string;
  usernsMode: string;
  restartPolicy: string;
  init: boolean | null;
}

export interface MountFacts {
  type: string;
  source: string;
  destination: string;
  rw: boolean;
}

export interface PortFacts {
  /** `5432/tcp`. */
  containerPort: string;
  /** '' when the engine binds every interface without saying so. */
  hostIp: string;
  hostPort: string;
}

export interface ProcessFacts {
  /** PID as the engine's `ps` sees it (the host's, or the rootless daemon's namespace). */
  pid: number | null;
  /** UID as the engine's `ps` prints it. */
  hostUid: number | null;
  /** UID inside the container (userns-remap translated); null when the engine's `ps` gave only a name. */
  uid: number | null;
  /** The user name `ps` printed (the engine host's name for the UID: not the container's). */
  hostUser: string | null;
  /** The container's name for `uid` (its `/etc/passwd`), as `whoami` would print. */
  user: string | null;
  /** Command line. */
  args: string;
}

export interface ContainerFacts {
  id: string;
  /** Without the leading `/`. */
  name: string;
  /** `com.docker.compose.service`. */
  service: string | null;
  composeProject: string | null;
  /** `com.docker.compose.project.config_files`, split on commas (absolute paths as compose saw them). */
  configFiles: string[] | null;
  workingDir: string | null;
  /** `Config.Image` (the name it was started from). */
  image: string;
  imageId: string;
  status: string;
  running: boolean;
  restarting: boolean;
  restartCount: number;
  exitCode: number | null;
  oomKilled: boolean;
  pid: number | null;
  /** `State.Health`; null when the container has no healthcheck. */
  health: { status: string; failingStreak: number; log: HealthProbe[] } | null;
  /** `Config.Healthcheck.Test`; null when neither image nor container sets one; `['NONE']` when disabled. */
  healthcheckTest: string[] | null;
  /** `Config.User` ('' = the image default, root unless the image says otherwise). */
  user: string;
  entrypoint: string[] | null;
  cmd: string[] | null;
  stopSignal: string | null;
  /** Seconds; null = the engine default (10). */
  stopTimeout: number | null;
  host: HostFacts;
  mounts: MountFacts[];
  ports: PortFacts[];
  /** Every process (`GET /containers/{id}/top`); null when it could not be read. */
  processes: ProcessFacts[] | null;
  /** Why `processes` is null. */
  processError: string | null;
  /** The container's PID 1 (the process whose PID is `State.Pid`). */
  pid1: ProcessFacts | null;
  /** The container's `/etc/passwd` (UID → name); null when not readable. */
  passwd: Record<string, string> | null;
}

export interface SignalProbe {
  /** The container the copy was made of. */
  container: string;
  service: string | null;
  image: string;
  /** The signal sent (the container's STOPSIGNAL, SIGTERM by default). */
  signal: string;
  /** Seconds the copy was given, as `docker stop` would (the container's stop timeout, default 10). */
  stopTimeout: number;
  /**
   * `exited`: it stopped by itself after the signal; `killed`: it was still running after the stop
   * timeout and got SIGKILL; `exited-early`: it stopped before the signal was sent (it cannot run
   * without what the copy lacks: network, volumes); `error`: the probe could not run.
   */
  outcome: 'exited' | 'killed' | 'exited-early' | 'error';
  exitCode: number | null;
  /** Milliseconds from the signal to the exit. */
  elapsedMs: number | null;
  message?: string;
}

// ---- answers of the Engine API (the fields read) ----

export interface ApiContainerSummary {
  Id: string;
  Names?: string[];
  Image?: string;
  Labels?: Record<string, string> | null;
  State?: string;
}

export interface ApiHealth {
  Status?: string;
  FailingStreak?: number;
  Log?: { Start?: string; End?: string; ExitCode?: number; Output?: string }[] | null;
}

export interface ApiContainerInspect {
  Id: string;
  Name?: string;
  Image?: string;
  RestartCount?: number;
  State?: {
    Status?: string;
    Running?: boolean;
    Restarting?: boolean;
    OOMKilled?: boolean;
    Pid?: number;
    ExitCode?: number;
    Health?: ApiHealth | null;
  };
  Config?: {
    User?: string;
    Image?: string;
    Labels?: Record<string, string> | null;
    Entrypoint?: string[] | string | null;
    Cmd?: string[] | string | null;
    Healthcheck?: { Test?: string[] | null } | null;
    StopSignal?: string;
    StopTimeout?: number | null;
  };
  HostConfig?: {
    Privileged?: boolean;
    SecurityOpt?: string[] | null;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    ReadonlyRootfs?: boolean;
    Memory?: number;
    NanoCpus?: number;
    CpuQuota?: number;
    CpuPeriod?: number;
    PidsLimit?: number | null;
    LogConfig?: { Type?: string; Config?: Record<string, string> | null };
    NetworkMode?: string;
    PidMode?: string;
    IpcMode?: string;
    UTSMode?: string;
    UsernsMode?: string;
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
    Init?: boolean | null;
    PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
  };
  Mounts?: { Type?: string; Source?: string; Destination?: string; RW?: boolean }[] | null;
  NetworkSettings?: { Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null };
}

export interface ApiTop {
  Titles?: string[];
  Processes?: string[][] | null;
}

export interface ApiInfo {
  SecurityOptions?: string[] | null;
  DockerRootDir?: string;
  OperatingSystem?: string;
  ServerVersion?: string;
}

export interface ApiVersionInfo {
  Version?: string;
  ApiVersion?: string;
  Os?: string;
}

// ---- building the model (pure) ----

export function engineFacts(endpoint: string, apiVersion: string, version: ApiVersionInfo, info: ApiInfo | null): EngineFacts {
  const securityOptions = [...(info?.SecurityOptions ?? [])];
  const has = (name: string) => securityOptions.some((o) => o.split(',').includes(`name=${name}`) || o === name);
  let usernsRemap: EngineFacts['usernsRemap'] = null;
  if (has('userns')) {
    const m = /\/(\d+)\.(\d+)\/?$/.exec(info?.DockerRootDir ?? '');
    usernsRemap = m ? { uid: Number(m[1]), gid: Number(m[2]), known: true } : { uid: 0, gid: 0, known: false };
  }
  return {
    endpoint,
    serverVersion: version.Version ?? info?.ServerVersion ?? null,
    apiVersion,
    os: info?.OperatingSystem ?? version.Os ?? null,
    rootless: has('rootless'),
    usernsRemap,
    securityOptions,
  };
}

function argv(v: string[] | string | null | undefined): string[] | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? [v] : [...v];
}

/** `/etc/passwd` text → UID → name (first name wins). */
export function parsePasswd(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || !/^\d+$/.test(f[2]) || f[0] === '') continue;
    if (!(f[2] in out)) out[f[2]] = f[0];
  }
  return out;
}

const NUMERIC = /^\d+$/;

/**
 * Processes from a `top` answer. Works with `-o pid,uid,user,args` (procps), the engine's default
 * `-ef` (UID column holds names) and busybox `ps` (PID USER TIME COMMAND).
 */
export function processesFromTop(
  top: ApiTop,
  opts: { remap: EngineFacts['usernsRemap']; usernsHost: boolean; passwd: Record<string, string> | null },
): ProcessFacts[] {
  const titles = (top.Titles ?? []).map((t) => t.trim().toUpperCase());
  const col = (...names: string[]) => titles.findIndex((t) => names.includes(t));
  const pidCol = col('PID');
  const uidCol = col('UID', 'EUID');
  const userCol = col('USER', 'EUSER', 'RUSER');
  const argsCol = col('COMMAND', 'CMD', 'ARGS');
  const out: ProcessFacts[] = [];
  for (const row of top.Processes ?? []) {
    const cell = (i: number) => (i >= 0 && i < row.length ? String(row[i]).trim() : '');
    const pidText = cell(pidCol);
    const uidText = cell(uidCol);
    const userText = cell(userCol);
    let hostUid: number | null = null;
    let hostUser: string | null = null;
    for (const v of [uidText, userText]) {
      if (v === '') continue;
      if (NUMERIC.test(v)) hostUid ??= Number(v);
      else hostUser ??= v;
    }
    if (hostUid === null && hostUser === 'root') hostUid = 0;
    let uid = hostUid;
    const remap = opts.remap;
    if (remap && !opts.usernsHost && hostUid !== null) {
      if (!remap.known) uid = null;
      else if (hostUid >= remap.uid && hostUid < remap.uid + 65536) uid = hostUid - remap.uid;
    }
    // Without a numeric UID, a name other than root says "not root" but not which UID.
    const user = uid !== null ? (opts.passwd?.[String(uid)] ?? null) : null;
    out.push({
      pid: NUMERIC.test(pidText) ? Number(pidText) : null,
      hostUid,
      uid,
      hostUser,
      user,
      // The command is the last column; `ps` may split it on spaces over several cells.
      args: argsCol >= 0 ? row.slice(argsCol).join(' ').trim() : '',
    });
  }
  return out;
}

function ports(i: ApiContainerInspect): PortFacts[] {
  const actual = i.NetworkSettings?.Ports;
  const source = actual && Object.keys(actual).length > 0 ? actual : (i.HostConfig?.PortBindings ?? {});
  const out: PortFacts[] = [];
  for (const [containerPort, bindings] of Object.entries(source ?? {})) {
    for (const b of bindings ?? []) out.push({ containerPort, hostIp: b.HostIp ?? '', hostPort: b.HostPort ?? '' });
  }
  return out.sort((a, b) => (a.containerPort < b.containerPort ? -1 : a.containerPort > b.containerPort ? 1 : 0));
}

export interface ContainerAnswers {
  summary: ApiContainerSummary;
  inspect: ApiContainerInspect;
  top: ApiTop | null;
  topError: string | null;
  passwd: string | null;
}

export function containerFacts(a: ContainerAnswers, engine: EngineFacts): ContainerFacts {
  const i = a.inspect;
  const labels = { ...(a.summary.Labels ?? {}), ...(i.Config?.Labels ?? {}) };
  const hc = i.HostConfig ?? {};
  const state = i.State ?? {};
  const passwd = a.passwd !== null ? parsePasswd(a.passwd) : null;
  const usernsHost = (hc.UsernsMode ?? '') === 'host';
  const processes = a.top ? processesFromTop(a.top, { remap: engine.usernsRemap, usernsHost, passwd }) : null;
  const pid = typeof state.Pid === 'number' && state.Pid > 0 ? state.Pid : null;
  const pid1 = processes && pid !== null ? (processes.find((p) => p.pid === pid) ?? null) : null;
  const name = (i.Name ?? a.summary.Names?.[0] ?? i.Id.slice(0, 12)).replace(/^\//, '');
  const pidsLimit = typeof hc.PidsLimit === 'number' && hc.PidsLimit > 0 ? hc.PidsLimit : null;
  const health = state.Health
    ? {
        status: state.Health.Status ?? 'none',
        failingStreak: state.Health.FailingStreak ?? 0,
        log: (state.Health.Log ?? []).map((l) => ({
          start: l.Start ?? '',
          end: l.End ?? '',
          exitCode: l.ExitCode ?? -1,
          output: l.Output ?? '',
        })),
      }
    : null;
  const test = i.Config?.Healthcheck?.Test;
  return {
    id: i.Id,
    name,
    service: labels[LABEL_SERVICE] ?? null,
    composeProject: labels[LABEL_PROJECT] ?? null,
    configFiles: labels[LABEL_CONFIG_FILES]
      ? labels[LABEL_CONFIG_FILES]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    workingDir: labels[LABEL_WORKING_DIR] ?? null,
    image: i.Config?.Image ?? a.summary.Image ?? '',
    imageId: i.Image ?? '',
    status: state.Status ?? a.summary.State ?? 'unknown',
    running: state.Running === true,
    restarting: state.Restarting === true || state.Status === 'restarting',
    restartCount: i.RestartCount ?? 0,
    exitCode: typeof state.ExitCode === 'number' ? state.ExitCode : null,
    oomKilled: state.OOMKilled === true,
    pid,
    health,
    healthcheckTest: test && test.length > 0 ? [...test] : null,
    user: i.Config?.User ?? '',
    entrypoint: argv(i.Config?.Entrypoint),
    cmd: argv(i.Config?.Cmd),
    stopSignal: i.Config?.StopSignal || null,
    stopTimeout: typeof i.Config?.StopTimeout === 'number' ? i.Config.StopTimeout : null,
    host: {
      privileged: hc.Privileged === true,
      securityOpt: [...(hc.SecurityOpt ?? [])],
      capAdd: [...(hc.CapAdd ?? [])],
      capDrop: [...(hc.CapDrop ?? [])],
      readonlyRootfs: hc.ReadonlyRootfs === true,
      memory: hc.Memory ?? 0,
      nanoCpus: hc.NanoCpus ?? 0,
      cpuQuota: hc.CpuQuota ?? 0,
      cpuPeriod: hc.CpuPeriod ?? 0,
      pidsLimit,
      logType: hc.LogConfig?.Type ?? '',
      logOptions: { ...(hc.LogConfig?.Config ?? {}) },
      networkMode: hc.NetworkMode ?? '',
      pidMode: hc.PidMode ?? '',
      ipcMode: hc.IpcMode ?? '',
      utsMode: hc.UTSMode ?? '',
      usernsMode: hc.UsernsMode ?? '',
      restartPolicy: hc.RestartPolicy?.Name ?? '',
      init: typeof hc.Init === 'boolean' ? hc.Init : null,
    },
    mounts: (i.Mounts ?? []).map((m) => ({
      type: m.Type ?? '',
      source: m.Source ?? '',
      destination: m.Destination ?? '',
      rw: m.RW !== false,
    })),
    ports: ports(i),
    processes,
    processError: processes
      ? null
      : (a.topError ??
        (state.Running ? 'the process list could not be read' : `the container is not running (${state.Status ?? 'stopped'})`)),
    pid1,
    passwd,
  };
}

/** A compose label path (absolute, as compose saw it) names the repository file `rel` (relative to the scanned root). */
export function sameFile(labelPath: string, rel: string): boolean {
  const l = labelPath.replace(/\\/g, '/');
  const r = rel.replace(/\\/g, '/').replace(/^\.\//, '');
  return l === r || l.endsWith(`/${r}`);
}

/**
 * The static model's compose project for a snapshot: the one of the same name; else (a project
 * started with `docker compose -p other`) the one whose files the containers' `config_files` labels
 * name; else none.
 */
export function composeProjectOf(ctx: LiveContext): ComposeProject | null {
  const compose = ctx.project?.compose ?? [];
  const byName = compose.find((c) => c.name === ctx.snapshot.project);
  if (byName) return byName;
  const labels = ctx.snapshot.containers.flatMap((c) => c.configFiles ?? []);
  if (labels.length === 0) return null;
  return compose.find((c) => c.environments.some((e) => e.files.some((f) => labels.some((l) => sameFile(l, f))))) ?? null;
}
