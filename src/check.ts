/**
 * The `check` pipeline: discover → parse/model → rules → policy → report. Library entry point; the
 * CLI only adds argument parsing and printing.
 */
import { basename, resolve } from 'node:path';
import { type Discovery, discover } from './discover/index.js';
import { applyPolicy, buildIgnoreIndex, type Config, enabledRules, forDockerfile, type IgnoreIndex, loadConfig, resolveFailOn } from './engine/index.js';
import { type CheckReport, sortNotices } from './format/report.js';
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
  // keep the first. Two results of a rule are the same when their keys (rule id, status, file, line,
  // column, end line, end column, message and environment joined by NULs) are equal, so they are at
  // the same range (`sameResult` compares what the key holds, without building it). A
  // rule's few results are compared with its kept ones only when the bit of their line (`spot`) is
  // already set in SEEN_LINES (cleared again after the rule); many are bucketed by spot. Results of an id that an
  // earlier rule of the list also has are compared with that rule's kept results too.
  let repeated = false;
  if (rules.length > 1) {
    const ids = new Set<string>();
    for (const r of rules) {
      if (ids.has(r.meta.id)) repeated = true;
      ids.add(r.meta.id);
    }
  }
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
    if (!repeated && raws.length <= 32) {
      if (raws.length === 1) {
        input.push({ ruleId: id, raw: raws[0] });
        continue;
      }
      for (let i = 0; i < raws.length; i++) {
        const raw = raws[i];
        const bit = spot(raw.location) & 1023;
        const word = bit >>> 5;
        const mask = 1 << (bit & 31);
        if ((SEEN_LINES[word] & mask) !== 0 && anySameKept(raw, input, from)) continue;
        SEEN_LINES[word] |= mask;
        input.push({ ruleId: id, raw });
      }
      for (let i = 0; i < raws.length; i++) SEEN_LINES[(spot(raws[i].location) & 1023) >>> 5] = 0;
      continue;
    }
    // Earlier kept results of the same id from other rules of the list (only when ids repeat).
    const byLine = new Map<number, RawResult | RawResult[]>();
    if (repeated) for (let k = 0; k < from; k++) if (input[k].ruleId === id) addToLine(byLine, input[k].raw);
    for (let i = 0; i < raws.length; i++) {
      const raw = raws[i];
      const same = byLine.get(spot(raw.location));
      if (same !== undefined && (Array.isArray(same) ? anySame(raw, same) : sameResult(raw, same))) continue;
      addToLine(byLine, raw);
      input.push({ ruleId: id, raw });
    }
  }
  return { input, errors };
}

/** 1,024 bits, one per `spot` modulo 1,024: where one rule's kept results are (runRules). */
const SEEN_LINES = new Uint32Array(32);

/**
 * A number for a result's line in its file: equal for results at the same line of the same file, and
 * mostly different for the same line of other files (a batch has tens of files, most results are
 * near their tops), without building a string.
 */
function spot(l: RawResult['location']): number {
  return l.line * 4096 + (l.file.length & 4095);
}

/** Files a kept result under its spot: the result itself while it is the only one there. */
function addToLine(byLine: Map<number, RawResult | RawResult[]>, raw: RawResult): void {
  const key = spot(raw.location);
  const same = byLine.get(key);
  if (same === undefined) byLine.set(key, raw);
  else if (Array.isArray(same)) same.push(raw);
  else byLine.set(key, [same, raw]);
}

/**
 * Whether two results of one rule have equal keys (see runRules): the same status and range, and the
 * same message and environment (undefined and '' alike). Only a NUL in a message or environment
 * could make different ones join into equal keys; then the joined texts are compared.
 */
function sameResult(a: RawResult, b: RawResult): boolean {
  const x = a.location;
  const y = b.location;
  if (x.line !== y.line || x.column !== y.column || x.endLine !== y.endLine || x.endColumn !== y.endColumn || x.file !== y.file) return false;
  if (a.status !== b.status) return false;
  const ea = a.environment ?? '';
  const eb = b.environment ?? '';
  if (a.message === b.message && ea === eb) return true;
  if (a.message.includes('\0') || b.message.includes('\0') || ea.includes('\0') || eb.includes('\0')) return `${a.message}\0${ea}` === `${b.message}\0${eb}`;
  return false;
}

function anySame(raw: RawResult, others: readonly RawResult[]): boolean {
  for (let k = 0; k < others.length; k++) if (sameResult(raw, others[k])) return true;
  return false;
}

function anySameKept(raw: RawResult, input: readonly { raw: RawResult }[], from: number): boolean {
  for (let k = from; k < input.length; k++) if (sameResult(raw, input[k].raw)) return true;
  return false;
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
  notices.push(...sortNotices(policy.notices));
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
