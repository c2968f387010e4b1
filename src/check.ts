/**
 * The `check` pipeline: discover → parse/model → rules → policy → report. Library entry point; the
 * CLI only adds argument parsing and printing.
 */
import { basename, resolve } from 'node:path';
import { type Discovery, discover } from './discover/index.js';
import { applyPolicy, buildIgnoreIndex, type Config, enabledRules, forDockerfile, type IgnoreIndex, loadConfig, resolveFailOn } from './engine/index.js';
import type { CheckReport } from './format/report.js';
import { buildProject } from './model/build.js';
import type { Project } from './model/project.js';
import type { PNode } from './parse/yaml.js';
import type { FileError, RawResult, Result, Rule, Severity } from './types.js';
import { VERSION } from './version.js';

export interface CheckOptions {
  /** Explicit config file (`--config`). */
  config?: string;
  exclude?: string[];
  failOn?: Severity;
  /** `YYYY-MM-DD`, for waiver expiry; defaults to the local date of the run. */
  today?: string;
  /** Read files outside the scanned root (symlinks, build contexts). */
  allowOutsideRoot?: boolean;
}

export interface CheckOutcome {
  report: CheckReport;
  project: Project;
  config: Config;
  configFile: string | null;
}

export function localDate(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Runs every enabled rule over the project; one rule throwing becomes an error, not a crash. */
export function runRules(rules: readonly Rule[], project: Project): { input: { ruleId: string; raw: RawResult }[]; errors: FileError[] } {
  const input: { ruleId: string; raw: RawResult }[] = [];
  const errors: FileError[] = [];
  // Several images of one Dockerfile (or services sharing a YAML anchor) can yield the same finding:
  // keep the first. Two results of a rule are the same when their keys (`dedupeKey`) are equal. The
  // key holds the message, so it is built only for results at the same range of the same file (equal
  // keys imply equal ranges). A rule's kept results are compared directly when there are few; many
  // are bucketed by line first (a line's bucket is the result itself until a second one comes).
  // Results of an id that an earlier rule of the list also has are compared with that rule's kept
  // results too.
  let repeated = false;
  if (rules.length > 1) {
    const ids = new Set<string>();
    for (const r of rules) {
      if (ids.has(r.meta.id)) repeated = true;
      ids.add(r.meta.id);
    }
  }
  const keys = new DedupeKeys();
  for (const rule of rules) {
    let raws: RawResult[];
    try {
      raws = rule.check(project);
    } catch (e) {
      errors.push({ file: '', message: `internal error in rule ${rule.meta.id}: ${(e as Error).message}` });
      continue;
    }
    const id = rule.meta.id;
    const from = input.length;
    if (raws.length <= 1 && !repeated) {
      for (let i = 0; i < raws.length; i++) input.push({ ruleId: id, raw: raws[i] });
      continue;
    }
    // Earlier kept results of the same id from other rules of the list (only when ids repeat).
    const earlier: RawResult[] = [];
    if (repeated) for (let k = 0; k < from; k++) if (input[k].ruleId === id) earlier.push(input[k].raw);
    const byLine = raws.length + earlier.length > 32 ? new Map<number, RawResult | RawResult[]>() : null;
    if (byLine !== null) for (const e of earlier) addToLine(byLine, e);
    for (let i = 0; i < raws.length; i++) {
      const raw = raws[i];
      let dup = false;
      if (byLine !== null) {
        const same = byLine.get(raw.location.line);
        if (same !== undefined) dup = Array.isArray(same) ? anySame(keys, id, raw, same) : sameResult(keys, id, raw, same);
        if (!dup) addToLine(byLine, raw);
      } else {
        dup = anySame(keys, id, raw, earlier) || anySameKept(keys, id, raw, input, from);
      }
      if (!dup) input.push({ ruleId: id, raw });
    }
  }
  return { input, errors };
}

/** Files a kept result under its line: the result itself while it is the only one there. */
function addToLine(byLine: Map<number, RawResult | RawResult[]>, raw: RawResult): void {
  const same = byLine.get(raw.location.line);
  if (same === undefined) byLine.set(raw.location.line, raw);
  else if (Array.isArray(same)) same.push(raw);
  else byLine.set(raw.location.line, [same, raw]);
}

function sameRange(a: RawResult, b: RawResult): boolean {
  const x = a.location;
  const y = b.location;
  return x.line === y.line && x.column === y.column && x.endLine === y.endLine && x.endColumn === y.endColumn && x.file === y.file;
}

/** Keys of one rule id's results that met another at the same range, each built once. */
class DedupeKeys {
  private map: Map<RawResult, string> | null = null;
  private ruleId = '';
  of(ruleId: string, raw: RawResult): string {
    if (ruleId !== this.ruleId) {
      this.ruleId = ruleId;
      this.map = null;
    }
    this.map ??= new Map();
    let key = this.map.get(raw);
    if (key === undefined) {
      key = dedupeKey(ruleId, raw);
      this.map.set(raw, key);
    }
    return key;
  }
}

function sameResult(keys: DedupeKeys, ruleId: string, raw: RawResult, other: RawResult): boolean {
  return sameRange(raw, other) && keys.of(ruleId, other) === keys.of(ruleId, raw);
}

function anySame(keys: DedupeKeys, ruleId: string, raw: RawResult, others: readonly RawResult[]): boolean {
  for (let k = 0; k < others.length; k++) if (sameResult(keys, ruleId, raw, others[k])) return true;
  return false;
}

function anySameKept(keys: DedupeKeys, ruleId: string, raw: RawResult, input: readonly { raw: RawResult }[], from: number): boolean {
  for (let k = from; k < input.length; k++) if (sameResult(keys, ruleId, raw, input[k].raw)) return true;
  return false;
}

function dedupeKey(ruleId: string, raw: RawResult): string {
  const l = raw.location;
  return `${ruleId}\0${raw.status}\0${l.file}\0${l.line}\0${l.column}\0${l.endLine}\0${l.endColumn}\0${raw.message}\0${raw.environment ?? ''}`;
}

/** Discovery, config and the project model: what check, verify and report all start from. */
export async function loadProject(
  path: string,
  options: Pick<CheckOptions, 'config' | 'exclude' | 'allowOutsideRoot'>,
): Promise<{ config: Config; configFile: string | null; project: Project }> {
  const { discovery, config, configFile } = await discoverWithConfig(path, options);
  const project = await buildProject(discovery, basename(discovery.root), { environments: config.environments });
  return { config, configFile, project };
}

/** Discovery with the config's own `exclude` globs applied, and the config. */
export async function discoverWithConfig(
  path: string,
  options: Pick<CheckOptions, 'config' | 'exclude' | 'allowOutsideRoot'>,
): Promise<{ discovery: Discovery; config: Config; configFile: string | null }> {
  const abs = resolve(path);
  const discovery0 = await discover(abs, { exclude: options.exclude ?? [], allowOutsideRoot: options.allowOutsideRoot });
  const { config, file: configFile } = loadConfig(discovery0.root, options.config);
  // Config `exclude` globs join the CLI's; discovery runs again only when the config adds some.
  const discovery = config.exclude.length
    ? await discover(abs, { exclude: [...(options.exclude ?? []), ...config.exclude], allowOutsideRoot: options.allowOutsideRoot })
    : discovery0;
  return { discovery, config, configFile };
}

/** Inline-ignore indexes of every file that can carry pragmas: Dockerfiles, scripts, compose files, workflows. */
export function inlineIgnores(project: Project): Map<string, IgnoreIndex> {
  const ignores = new Map<string, IgnoreIndex>();
  for (const df of project.dockerfiles) ignores.set(df.path, forDockerfile(df));
  for (const sc of project.scripts) {
    const sh = sc.script;
    if (sh?.comments?.length) {
      ignores.set(sc.path, buildIgnoreIndex(sc.path, sh.comments, () => sh.commands.map((c) => ({ line: c.range.line, endLine: c.range.endLine, column: c.range.column }))));
    }
  }
  for (const [file, y] of project.composeFiles) {
    if (y.comments.length) ignores.set(file, buildIgnoreIndex(file, y.comments, () => yamlStatements(y.root)));
  }
  for (const w of project.workflows) {
    if (w.yaml.comments.length) ignores.set(w.path, buildIgnoreIndex(w.path, w.yaml.comments, () => yamlStatements(w.yaml.root)));
  }
  return ignores;
}

export async function check(path: string, options: CheckOptions = {}): Promise<CheckOutcome> {
  const started = performance.now();
  const { discovery, config, configFile } = await discoverWithConfig(path, options);
  return checkDiscovered(discovery, config, configFile, options, started);
}

/** `check` from a discovery already made: the whole repository as one model. */
export async function checkDiscovered(
  discovery: Discovery,
  config: Config,
  configFile: string | null,
  options: CheckOptions,
  started: number,
): Promise<CheckOutcome> {
  const project = await buildProject(discovery, basename(discovery.root), { environments: config.environments });
  const rules = enabledRules(config);
  const { input, errors: ruleErrors } = runRules(rules, project);

  const ignores = inlineIgnores(project);
  const notices: FileError[] = [];
  const policy = applyPolicy(input, {
    config,
    ignores,
    today: options.today ?? localDate(),
    ranRules: new Set(rules.map((r) => r.meta.id)),
  });
  notices.push(...policy.notices);
  const failOn = resolveFailOn(config, options.failOn);
  const results: Result[] = policy.results;
  const report: CheckReport = {
    tool: { name: 'seaworthy', version: VERSION },
    root: project.name,
    results,
    errors: [...project.errors, ...ruleErrors],
    rules: rules.map((r) => r.meta),
    failOn,
    durationMs: Math.round(performance.now() - started),
    filesScanned: countFiles(project),
    notices,
  };
  return { report, project, config, configFile };
}

export function countFiles(p: Pick<Project, 'files'>): number {
  const f = p.files;
  return (
    f.dockerfiles.length +
    f.compose.length +
    f.dockerignores.length +
    f.gitignores.length +
    f.envFiles.length +
    f.workflows.length +
    f.configs.length +
    f.manifests.length +
    f.updateConfigs.length
  );
}

/** Statement ranges of a YAML file for inline ignores: every mapping entry, from its key to the end of its value. */
export function yamlStatements(root: PNode | null): { line: number; endLine: number; column: number }[] {
  const out: { line: number; endLine: number; column: number }[] = [];
  const walk = (n: PNode) => {
    if (n.kind === 'map') {
      for (const e of n.entries) {
        out.push({ line: e.keyProv.range.line, endLine: Math.max(e.keyProv.range.endLine, e.value.prov.range.endLine), column: e.keyProv.range.column });
        walk(e.value);
      }
    } else if (n.kind === 'seq') {
      for (const i of n.items) {
        out.push({ line: i.prov.range.line, endLine: i.prov.range.endLine, column: i.prov.range.column });
        walk(i);
      }
    }
  };
  if (root) walk(root);
  return out;
}
