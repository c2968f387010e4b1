/**
 * `seaworthy.yml`: loading and strict validation. Every problem (unknown key, unknown rule id, wrong
 * type, bad date, malformed YAML, alias bomb) is a ConfigError naming the file, the key and the line,
 * so a typo can never silently disable a check.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node as YamlNode,
  parseDocument,
  type YAMLMap,
  type YAMLSeq,
  visit,
} from 'yaml';
import { ALL_RULES_BY_ID, type AnyRule } from '../rules/all.js';
import { SEVERITIES, type Severity } from '../types.js';

/** Config file names looked up at the scanned root, in this order. */
export const CONFIG_FILE_NAMES = ['seaworthy.yml', '.seaworthy.yml', 'seaworthy.yaml', '.seaworthy.yaml'] as const;

/** Default for `--fail-on` when neither the CLI nor the config sets it. */
export const DEFAULT_FAIL_ON: Severity = 'high';

/** Largest config file read (a config is a few lines; anything bigger is a mistake or an attack). */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Passed to yaml's toJS: bounds alias expansion (YAML "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Upper bound on AST nodes the validator visits (aliases included). */
const MAX_VISITED_NODES = 100_000;

export type RuleSetting = Severity | 'off';

export interface Waiver {
  rule: string;
  reason: string;
  /** gitignore-syntax globs matched against the result's file (relative to the root, POSIX). */
  paths?: string[];
  /** `YYYY-MM-DD`; the waiver stops hiding findings after this day. */
  expires?: string;
  /** Where the waiver is written: the config file (relative to the root when inside it) and line. */
  source?: { file: string; line: number };
}

export interface Config {
  rules: Record<string, RuleSetting>;
  waivers: Waiver[];
  exclude: string[];
  failOn?: Severity;
  environments: Record<string, string[]>;
}

export function emptyConfig(): Config {
  return { rules: {}, waivers: [], exclude: [], environments: {} };
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Finds and validates the config. `explicitPath` (the CLI's `--config`) is resolved against the
 * current directory; without it, `seaworthy.yml` then `.seaworthy.yml` (then the `.yaml` spellings)
 * at `root` are tried. `file` is null when no config exists (an empty config is returned).
 */
export function loadConfig(root: string, explicitPath?: string): { config: Config; file: string | null } {
  let file: string;
  if (explicitPath !== undefined) {
    file = explicitPath;
    if (!isFile(file)) throw new ConfigError(`${file}: config file not found (given with --config)`, file);
  } else {
    const found = CONFIG_FILE_NAMES.map((n) => path.join(root, n)).find(isFile);
    if (!found) return { config: emptyConfig(), file: null };
    file = found;
  }
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new ConfigError(`${file}: cannot read config file: ${(e as Error).message}`, file);
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new ConfigError(`${file}: config file is too large (${size} bytes; limit ${MAX_CONFIG_BYTES})`, file);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read config file: ${(e as Error).message}`, file);
  }
  const config = parseConfig(text, file, { sourceName: sourceName(root, file) });
  return { config, file };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The name waivers cite as their source: the path relative to the root when inside it, else as given. */
function sourceName(root: string, file: string): string {
  const rel = path.relative(path.resolve(root), path.resolve(file));
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return file;
}

export interface ParseConfigOptions {
  /** Name recorded in `Waiver.source.file` (default: `path.basename(file)`). */
  sourceName?: string;
  /** Rule registry to validate ids against (default: every rule, static and runtime). */
  registry?: ReadonlyMap<string, AnyRule>;
}

/** Parses and validates config text. `file` is used in error messages. Pure. */
export function parseConfig(text: string, file: string, opts: ParseConfigOptions = {}): Config {
  const registry = opts.registry ?? ALL_RULES_BY_ID;
  const source = opts.sourceName ?? path.basename(file);
  if (text.includes('\u0000')) throw new ConfigError(`${file}: not a text file (contains NUL bytes)`, file);

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    const what = err.message.split(/ at line \d+, column \d+/)[0].split('\n')[0];
    throw new ConfigError(
      `${file}:${pos.line}:${pos.col}: malformed YAML: ${what}`,
      file,
      pos.line,
      pos.col,
    );
  }
  // Resource check before walking: yaml counts alias expansions and throws past the limit.
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError) {
      let first: { line: number; col: number } | null = null;
      visit(doc, {
        Alias(_, node) {
          first = lineCounter.linePos(node.range?.[0] ?? 0);
          return visit.BREAK;
        },
      });
      const at = first as { line: number; col: number } | null;
      throw new ConfigError(
        `${file}${at ? `:${at.line}:${at.col}` : ''}: too many YAML alias expansions (limit ${MAX_ALIAS_COUNT}; a resource exhaustion attack?)`,
        file,
        at?.line,
        at?.col,
      );
    }
    throw new ConfigError(`${file}: cannot read YAML: ${(e as Error).message}`, file);
  }

  return new Validator(doc, lineCounter, file, source, registry).config();
}

const TOP_KEYS = ['rules', 'waivers', 'exclude', 'failOn', 'environments'] as const;
const WAIVER_KEYS = ['rule', 'reason', 'paths', 'expires'] as const;

class Validator {
  private visited = 0;

  constructor(
    private readonly doc: Document,
    private readonly lc: LineCounter,
    private readonly file: string,
    private readonly source: string,
    private readonly registry: ReadonlyMap<string, AnyRule>,
  ) {}

  config(): Config {
    const config = emptyConfig();
    const root = this.deref(this.doc.contents as YamlNode | null);
    if (root === null || (isScalar(root) && root.value === null)) return config; // empty file
    if (!isMap(root)) throw this.error(root, undefined, `the config must be a mapping of ${TOP_KEYS.join(', ')}`);

    for (const [key, keyNode, value] of this.entries(root, 'top level', TOP_KEYS)) {
      switch (key) {
        case 'rules':
          config.rules = this.rules(value, keyNode);
          break;
        case 'waivers':
          config.waivers = this.waivers(value, keyNode);
          break;
        case 'exclude':
          config.exclude = this.stringList(value, keyNode, 'exclude', 'a list of globs');
          break;
        case 'failOn':
          config.failOn = this.severity(value, keyNode, 'failOn', false) as Severity;
          break;
        case 'environments':
          config.environments = this.environments(value, keyNode);
          break;
      }
    }
    return config;
  }

  private rules(node: YamlNode | null, keyNode: YamlNode): Record<string, RuleSetting> {
    const out: Record<string, RuleSetting> = {};
    if (this.isNull(node)) return out;
    if (!isMap(node)) throw this.error(node ?? keyNode, 'rules', 'must be a mapping of rule id to severity or off');
    for (const [id, idNode, value] of this.entries(node, 'rules')) {
      this.ruleId(id, idNode, 'rules');
      out[id] = this.severity(value, idNode, `rules.${id}`, true);
    }
    return out;
  }

  private waivers(node: YamlNode | null, keyNode: YamlNode): Waiver[] {
    if (this.isNull(node)) return [];
    if (!isSeq(node)) throw this.error(node ?? keyNode, 'waivers', 'must be a list of waivers');
    const out: Waiver[] = [];
    node.items.forEach((raw, i) => {
      const item = this.deref(raw as YamlNode | null);
      const where = `waivers[${i}]`;
      if (!isMap(item)) {
        throw this.error(item ?? node, where, `must be a mapping with ${WAIVER_KEYS.join(', ')}`);
      }
      const w: Partial<Waiver> = { source: { file: this.source, line: this.pos(item).line } };
      for (const [key, keyNode, value] of this.entries(item, where, WAIVER_KEYS)) {
        const k = `${where}.${key}`;
        switch (key) {
          case 'rule': {
            const id = this.string(value, keyNode, k, 'a rule id');
            this.ruleId(id, value ?? keyNode, k);
            w.rule = id;
            break;
          }
          case 'reason': {
            const reason = this.string(value, keyNode, k, 'a non-empty string saying why').trim();
            if (reason === '') throw this.error(value ?? keyNode, k, 'must not be empty: say why the finding is accepted');
            w.reason = reason;
            break;
          }
          case 'paths': {
            const paths = this.stringList(value, keyNode, k, 'a list of globs');
            if (paths.length === 0) throw this.error(value ?? keyNode, k, 'must list at least one glob (omit it to waive everywhere)');
            w.paths = paths;
            break;
          }
          case 'expires':
            w.expires = this.date(value, keyNode, k);
            break;
        }
      }
      if (w.rule === undefined) throw this.error(item, where, "missing the required key 'rule'");
      if (w.reason === undefined) throw this.error(item, where, "missing the required key 'reason' (say why the finding is accepted)");
      out.push(w as Waiver);
    });
    return out;
  }

  private environments(node: YamlNode | null, keyNode: YamlNode): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (this.isNull(node)) return out;
    if (!isMap(node)) throw this.error(node ?? keyNode, 'environments', 'must be a mapping of environment name to a list of compose files');
    for (const [name, nameNode, value] of this.entries(node, 'environments')) {
      if (name.trim() === '') throw this.error(nameNode, 'environments', 'environment names must not be empty');
      const files = this.stringList(value, nameNode, `environments.${name}`, 'a list of compose file paths');
      if (files.length === 0) throw this.error(value ?? nameNode, `environments.${name}`, 'must list at least one compose file');
      out[name] = files;
    }
    return out;
  }

  // ---- primitives ----

  /** The entries of a mapping: string keys only, each checked against `allowed` when given. */
  private *entries(
    map: YAMLMap,
    where: string,
    allowed?: readonly string[],
  ): Generator<[string, YamlNode, YamlNode | null]> {
    for (const pair of map.items) {
      const keyNode = this.deref(pair.key as YamlNode | null);
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
        throw this.error(keyNode ?? map, where, 'keys must be plain strings');
      }
      const key = keyNode.value;
      if (allowed && !allowed.includes(key)) {
        const hint = closest(key, allowed);
        const scope = where === 'top level' ? 'at the top level' : `in ${where}`;
        throw this.error(
          keyNode,
          key,
          `unknown key '${key}' ${scope}${hint ? ` (did you mean '${hint}'?)` : ''}; allowed: ${allowed.join(', ')}`,
          true,
        );
      }
      yield [key, keyNode, this.deref(pair.value as YamlNode | null)];
    }
  }

  private ruleId(id: string, node: YamlNode, key: string): void {
    if (this.registry.has(id)) return;
    throw this.error(node, key, `unknown rule id '${id}'${describeUnknownRule(id, this.registry)}`);
  }

  private severity(node: YamlNode | null, keyNode: YamlNode, key: string, allowOff: boolean): RuleSetting {
    const allowed = allowOff ? [...SEVERITIES, 'off'] : [...SEVERITIES];
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'string' || !allowed.includes(v)) {
      throw this.error(node ?? keyNode, key, `must be one of ${allowed.join(', ')} (got ${this.show(node)})`);
    }
    return v as RuleSetting;
  }

  private string(node: YamlNode | null, keyNode: YamlNode, key: string, what: string): string {
    if (!isScalar(node) || typeof node.value !== 'string') {
      throw this.error(node ?? keyNode, key, `must be ${what} (got ${this.show(node)})`);
    }
    return node.value;
  }

  private stringList(node: YamlNode | null, keyNode: YamlNode, key: string, what: string): string[] {
    if (this.isNull(node)) return [];
    if (!isSeq(node)) throw this.error(node ?? keyNode, key, `must be ${what} (got ${this.show(node)})`);
    return (node as YAMLSeq).items.map((raw, i) => {
      const item = this.deref(raw as YamlNode | null);
      const s = this.string(item, node, `${key}[${i}]`, 'a non-empty string');
      if (s.trim() === '') throw this.error(item ?? node, `${key}[${i}]`, 'must be a non-empty string');
      return s;
    });
  }

  private date(node: YamlNode | null, keyNode: YamlNode, key: string): string {
    const v = isScalar(node) ? node.value : undefined;
    let s: string | null = null;
    if (typeof v === 'string') s = v.trim();
    else if (v instanceof Date && !Number.isNaN(v.getTime())) s = v.toISOString().slice(0, 10);
    if (s === null || !isValidDate(s)) {
      throw this.error(node ?? keyNode, key, `must be a real date written YYYY-MM-DD (got ${this.show(node)})`);
    }
    return s;
  }

  private isNull(node: YamlNode | null): boolean {
    return node === null || (isScalar(node) && node.value === null);
  }

  /** Follows aliases (bounded: the alias count was checked by toJS; visits are capped too). */
  private deref(node: YamlNode | null): YamlNode | null {
    if (++this.visited > MAX_VISITED_NODES) {
      throw new ConfigError(`${this.file}: config is too large or too deeply aliased`, this.file);
    }
    let n: unknown = node;
    for (let hops = 0; isAlias(n); hops++) {
      if (hops > 100) throw this.error(node as YamlNode, undefined, 'alias chain too long');
      n = n.resolve(this.doc);
      if (n === undefined) throw this.error(node as YamlNode, undefined, 'alias to an unknown anchor');
    }
    return (n as YamlNode | null) ?? null;
  }

  private pos(node: YamlNode): { line: number; col: number } {
    const off = node.range?.[0] ?? 0;
    return this.lc.linePos(off);
  }

  private show(node: YamlNode | null): string {
    if (this.isNull(node)) return 'nothing';
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
      return `${typeof v} ${String(v)}`;
    }
    return 'an unsupported value';
  }

  private error(node: YamlNode, key: string | undefined, message: string, messageNamesKey = false): ConfigError {
    const { line, col } = this.pos(node);
    const prefix = key && !messageNamesKey ? `${key}: ` : '';
    return new ConfigError(`${this.file}:${line}:${col}: ${prefix}${message}`, this.file, line, col, key);
  }
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/**
 * A hint for an unknown rule id: the seaworthy rules listing it as an alias (`DL3002`), or the
 * closest id. Starts with a separator; empty when there is nothing to suggest.
 */
export function describeUnknownRule(id: string, registry: ReadonlyMap<string, AnyRule> = ALL_RULES_BY_ID): string {
  const byAlias = [...registry.values()]
    .filter((r) => r.meta.aliases.some((a) => aliasMatches(a, id)))
    .map((r) => r.meta.id);
  if (byAlias.length > 0) return `; '${id}' is another tool's code, use the seaworthy id: ${byAlias.join(', ')}`;
  const ids = [...registry.keys()];
  const suffix = ids.filter((r) => r.endsWith(`/${id}`));
  if (suffix.length > 0) return ` (did you mean '${suffix[0]}'?)`;
  const hint = closest(id, ids);
  return hint ? ` (did you mean '${hint}'?)` : '';
}

/**
 * Whether a rule alias names `code`. Aliases may be ranges: `CKV2_DOCKER_2..16`, `DS-0006..0012`.
 * Case-insensitive.
 */
export function aliasMatches(alias: string, code: string): boolean {
  const a = alias.trim().toUpperCase();
  const c = code.trim().toUpperCase();
  if (a === c) return true;
  const range = /^(.*?)(\d+)\.\.(\d+)$/.exec(a);
  if (!range) return false;
  const [, prefix, lo, hi] = range;
  if (!c.startsWith(prefix)) return false;
  const num = c.slice(prefix.length);
  if (!/^\d+$/.test(num)) return false;
  if (lo.length > 1 && lo.startsWith('0') && num.length !== lo.length) return false; // zero-padded width
  const n = Number(num);
  return n >= Number(lo) && n <= Number(hi);
}

/** Closest candidate by edit distance, when close enough to be a plausible typo. */
function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(word.length / 4)) ? best : null;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 10) return Number.POSITIVE_INFINITY;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** `--fail-on` resolution: the CLI value wins over the config, then the default (`high`). */
export function resolveFailOn(config: Config, cli?: Severity): Severity {
  return cli ?? config.failOn ?? DEFAULT_FAIL_ON;
}
