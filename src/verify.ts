/**
 * The `verify` pipeline: discover → static model (for the compose project name and locations) →
 * Engine API snapshot → runtime rules → policy → report. Mirrors src/check.ts and reuses its engine
 * (config, waivers, inline ignores in compose files, `--fail-on`) and formatters. Read-only unless
 * `probeSignals` is asked for, and then it only starts, signals and removes its own throwaway copies.
 */
import { resolve } from 'node:path';
import { inlineIgnores, loadProject, localDate } from './check.js';
import { applyPolicy, type Config, enabledRules, resolveFailOn } from './engine/index.js';
import type { CheckReport } from './format/report.js';
import { EngineClient } from './live/engine.js';
import type { LiveContext, LiveSnapshot } from './live/model.js';
import type { ProbeOptions } from './live/probe.js';
import { takeSnapshot } from './live/snapshot.js';
import type { Project } from './model/project.js';
import { RUNTIME_RULES } from './rules/runtime/index.js';
import type { FileError, RawResult, Result, Rule, Severity } from './types.js';
import { VERSION } from './version.js';

/** The rule only the opt-in probe feeds. */
export const PROBE_RULE = 'runtime/graceful-stop';

export interface VerifyOptions {
  /** Compose project name (default: the first compose project the static model finds under the path). */
  project?: string;
  /** Explicit config file (`--config`). */
  config?: string;
  exclude?: string[];
  failOn?: Severity;
  /** Run `runtime/graceful-stop`: start, signal and remove a throwaway copy of each service. */
  probeSignals?: boolean;
  probe?: ProbeOptions;
  /** `YYYY-MM-DD`, for waiver expiry; defaults to the local date of the run. */
  today?: string;
  allowOutsideRoot?: boolean;
  /** The engine (default: DOCKER_HOST or the local socket, with `timeoutMs`). */
  client?: EngineClient;
  env?: NodeJS.ProcessEnv;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  now?: () => Date;
}

export interface VerifyOutcome {
  report: CheckReport;
  snapshot: LiveSnapshot;
  project: Project;
  config: Config;
  configFile: string | null;
}

/** A usage problem of `verify` (no project to look for): exit 2. */
export class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyError';
  }
}

/** Runs the live rules; one rule throwing becomes an error, not a crash. */
export function runLiveRules(
  rules: readonly Rule<LiveContext>[],
  ctx: LiveContext,
): { input: { ruleId: string; raw: RawResult }[]; errors: FileError[] } {
  const input: { ruleId: string; raw: RawResult }[] = [];
  const errors: FileError[] = [];
  for (const rule of rules) {
    try {
      for (const raw of rule.check(ctx)) input.push({ ruleId: rule.meta.id, raw });
    } catch (e) {
      errors.push({ file: '', message: `internal error in rule ${rule.meta.id}: ${(e as Error).message}` });
    }
  }
  return { input, errors };
}

export async function verify(path: string, options: VerifyOptions = {}): Promise<VerifyOutcome> {
  const started = performance.now();
  const { config, configFile, project } = await loadProject(path, options);

  const name = options.project ?? project.compose[0]?.name;
  if (!name) {
    throw new VerifyError(`no compose file under ${resolve(path)} names a compose project; name the running project with --project NAME`);
  }

  const client = options.client ?? EngineClient.fromEnv(options.env ?? process.env, { timeoutMs: options.timeoutMs });
  let snapshot: LiveSnapshot;
  try {
    snapshot = await takeSnapshot(client, {
      project: name,
      probeSignals: options.probeSignals === true,
      probe: options.probe,
      now: options.now,
    });
  } finally {
    if (!options.client) client.close();
  }

  const rules = enabledRules(config, RUNTIME_RULES).filter((r) => options.probeSignals || r.meta.id !== PROBE_RULE);
  const ctx: LiveContext = { snapshot, project };
  const { input, errors: ruleErrors } = runLiveRules(rules, ctx);

  const ignores = inlineIgnores(project);
  const policy = applyPolicy(input, {
    config,
    ignores,
    today: options.today ?? localDate(),
    ranRules: new Set(rules.map((r) => r.meta.id)),
  });
  // Malformed pragmas are `check`'s to report (it reads the same files); keep the rest.
  const pragmaWarnings = new Set([...ignores.values()].flatMap((i) => i.warnings));
  const notices = policy.notices.filter((n) => !pragmaWarnings.has(n));

  const errors: FileError[] = snapshot.errors.map((e) => ({ file: '', message: e.message }));
  if (snapshot.containers.length === 0 && !snapshot.errors.some((e) => e.container)) {
    errors.push({
      file: '',
      message: `no container of compose project '${name}' (label com.docker.compose.project=${name}) on the Docker engine at ${snapshot.engine.endpoint}; start it, or name the running project with --project`,
    });
  }
  errors.push(...ruleErrors);

  const results: Result[] = policy.results;
  const report: CheckReport = {
    tool: { name: 'seaworthy', version: VERSION },
    root: project.name,
    results,
    errors,
    rules: rules.map((r) => r.meta),
    failOn: resolveFailOn(config, options.failOn),
    durationMs: Math.round(performance.now() - started),
    filesScanned: project.composeFiles.size,
    notices,
  };
  return { report, snapshot, project, config, configFile };
}
