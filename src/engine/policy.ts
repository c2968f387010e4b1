/**
 * Policy: turns rules' RawResults into Results by applying the config (severity overrides, `off`),
 * waivers (with expiry) and inline ignores, and decides the exit code. Pure: `today` is injected.
 */
import ignore from 'ignore';
import { ALL_RULES_BY_ID, type AnyRule } from '../rules/all.js';
import { RULES } from '../rules/index.js';
import { type FileError, type RawResult, type Result, type Rule, SEVERITY_RANK, type Severity } from '../types.js';
import { type Config, isValidDate, type RuleSetting, type Waiver } from './config.js';
import { findSuppression, type IgnoreIndex, type Suppression } from './ignores.js';

export interface PolicyInput {
  ruleId: string;
  raw: RawResult;
}

export interface PolicyOptions {
  config: Config;
  /** Inline-ignore indexes keyed by file (relative path, as in `Location.file`). */
  ignores: Map<string, IgnoreIndex>;
  /** `YYYY-MM-DD`: waivers expiring before this day no longer hide findings. */
  today: string;
  /**
   * Rules that were run. When given, "matched no result" notices are only raised for waivers and
   * inline ignores of these rules (a `check` run must not call a waiver of a live-only rule stale).
   */
  ranRules?: ReadonlySet<string>;
  /** Rule registry (default: every rule, static and runtime). */
  registry?: ReadonlyMap<string, AnyRule>;
  /**
   * Inline ignores used by results judged in other calls, for a check that judges its results in
   * several calls (src/check-parts.ts judges the ci/ rules apart from the parts): keys of
   * `suppressionKey`. This call counts those as used, and adds the ones it uses.
   */
  sharedUse?: Set<string>;
  /**
   * For a check judged in several calls: how many results each of `config.waivers` matched is added
   * here (by index) instead of ending in notices; the caller asks waiverNotices once, at the end.
   */
  waiverTally?: number[];
}

/** Names an inline ignore across indexes of the same file: its file, line and pragma. */
function suppressionKey(file: string, s: Suppression): string {
  return `${file}\0${s.line}\0${s.pragma}`;
}

/** Waiver source when a waiver carries none (hand-built configs). */
const DEFAULT_SOURCE = 'seaworthy.yml';

/** Rules to run: every rule of the registry (default: the static rules) the config does not turn `off`. */
export function enabledRules<R extends AnyRule = Rule>(config: Config, registry: readonly R[] = RULES as unknown as readonly R[]): R[] {
  return registry.filter((r) => config.rules[r.meta.id] !== 'off');
}

/**
 * Applies the policy. Order of results is kept. Notices include the ignore indexes' warnings (so a
 * caller should not report those again), stale and expired waivers, and unused inline ignores.
 *
 * Precedence for a `fail` result: an active config waiver, then an inline ignore (most specific
 * first); an expired waiver hides nothing, so unless an inline ignore applies the result stays `fail`
 * with a note that the waiver expired.
 */
export function applyPolicy(
  input: readonly PolicyInput[],
  opts: PolicyOptions,
): { results: Result[]; notices: FileError[] } {
  const { config, ignores, today } = opts;
  const registry = opts.registry ?? ALL_RULES_BY_ID;
  if (!isValidDate(today)) throw new Error(`applyPolicy: today must be a YYYY-MM-DD date, got '${today}'`);

  const waivers = config.waivers.map((w) => ({ w, match: pathMatcher(w), matched: 0, hid: 0 }));
  const usedSuppressions = new Set<Suppression>();
  const results: Result[] = [];
  const notices: FileError[] = [];

  // Rules' results arrive grouped by rule: the registry entry and the config's setting are looked
  // up once per run of one rule id, not once per result (a check has tens of thousands of results).
  let lastId: string | null = null;
  let setting: RuleSetting | undefined;
  let ruleSeverity: Severity = 'info';
  for (let i = 0; i < input.length; i++) {
    const item = input[i];
    const ruleId = item.ruleId;
    const raw = item.raw;
    if (ruleId !== lastId) {
      const rule = registry.get(ruleId);
      if (!rule) throw new Error(`applyPolicy: result for unregistered rule '${ruleId}'`);
      lastId = ruleId;
      setting = config.rules[ruleId];
      ruleSeverity = rule.meta.severity;
    }
    if (setting === 'off') continue;
    const severity: Severity = setting ?? raw.severity ?? ruleSeverity;

    const result: Result = {
      ruleId,
      status: raw.status,
      severity,
      target: raw.target,
      message: raw.message,
      location: raw.location,
    };
    if (raw.evidence !== undefined) result.evidence = raw.evidence;
    if (raw.environment !== undefined) result.environment = raw.environment;
    results.push(result);
    if (raw.status !== 'fail') continue; // waiving a passing rule is harmless: nothing to hide

    const index = ignores.get(raw.location.file);
    const suppression = index ? findSuppression(index, ruleId, raw.location) : undefined;
    if (suppression) {
      usedSuppressions.add(suppression); // covered, even when a waiver takes precedence
      opts.sharedUse?.add(suppressionKey(raw.location.file, suppression));
    }

    if (waivers.length !== 0) {
      const matching = waivers.filter((x) => x.w.rule === ruleId && x.match(raw.location.file));
      for (const x of matching) x.matched++;
      const active = matching.find((x) => !isExpired(x.w, today));
      if (active) {
        active.hid++;
        result.status = 'waived';
        result.waiver = waiverInfo(active.w);
        continue;
      }
      if (!suppression) {
        const expired = matching[0];
        if (expired) {
          result.message = `${result.message} (the waiver for this finding in ${sourceOf(expired.w)} expired on ${expired.w.expires})`;
        }
        continue;
      }
    }

    if (suppression) {
      result.status = 'waived';
      result.waiver = { reason: suppression.reason, source: suppression.source };
    }
  }

  const considered = (id: string) => !opts.ranRules || opts.ranRules.has(id);
  if (opts.waiverTally) {
    for (let i = 0; i < waivers.length; i++) opts.waiverTally[i] = (opts.waiverTally[i] ?? 0) + waivers[i].matched;
  } else {
    notices.push(...waiverNotices(config, waivers.map((x) => x.matched), today, opts.ranRules));
  }

  for (const index of ignores.values()) {
    notices.push(...index.warnings);
    for (const s of index.suppressions) {
      if (s.source !== 'inline' || usedSuppressions.has(s) || opts.sharedUse?.has(suppressionKey(index.file, s))) continue;
      const live = s.rules.filter((id) => config.rules[id] !== 'off' && considered(id));
      if (live.length === 0) continue;
      const scope = s.lines ? 'the statement below it' : 'this file';
      notices.push({
        file: index.file,
        line: s.line,
        message: `${s.pragma.split(/\s/)[0]} ${live.join(',')} matched no finding in ${scope}; remove it if it is no longer needed`,
      });
    }
  }

  return { results, notices };
}

/**
 * The notices about the config's waivers, from how many results each matched (`matched[i]` for
 * `config.waivers[i]`): turned off, expired, or stale.
 */
export function waiverNotices(config: Config, matched: readonly number[], today: string, ranRules?: ReadonlySet<string>): FileError[] {
  const notices: FileError[] = [];
  const considered = (id: string) => !ranRules || ranRules.has(id);
  config.waivers.forEach((w, i) => {
    const count = matched[i] ?? 0;
    const where = `${sourceOf(w)}${w.source ? `:${w.source.line}` : ''}`;
    const notice = (message: string) =>
      notices.push({ file: w.source?.file ?? DEFAULT_SOURCE, message, ...(w.source ? { line: w.source.line } : {}) });
    const scope = w.paths ? ` under ${w.paths.join(', ')}` : '';
    if (config.rules[w.rule] === 'off') {
      notice(`waiver for ${w.rule} (${where}) has no effect: the rule is turned off in config`);
    } else if (isExpired(w, today)) {
      notice(
        count > 0
          ? `waiver for ${w.rule} (${where}) expired on ${w.expires}: ${count} finding(s) are reported again; renew it with a reason or fix them`
          : `waiver for ${w.rule} (${where}) expired on ${w.expires} and matched no result; remove it`,
      );
    } else if (count === 0 && considered(w.rule)) {
      notice(`waiver for ${w.rule}${scope} (${where}) matched no result; remove it if it is no longer needed`);
    }
  });
  return notices;
}

/** 1 when any `fail` result is at or above `failOn`, else 0. Waived, pass and unknown never fail. */
export function exitCode(results: readonly Result[], failOn: Severity): 0 | 1 {
  const min = SEVERITY_RANK[failOn];
  return results.some((r) => r.status === 'fail' && SEVERITY_RANK[r.severity] >= min) ? 1 : 0;
}

/** Expired when its last valid day is before today (a waiver expiring today still holds). */
export function isExpired(w: Pick<Waiver, 'expires'>, today: string): boolean {
  return w.expires !== undefined && w.expires < today;
}

function waiverInfo(w: Waiver): NonNullable<Result['waiver']> {
  const info: NonNullable<Result['waiver']> = { reason: w.reason, source: sourceOf(w) };
  if (w.expires !== undefined) info.expires = w.expires;
  return info;
}

function sourceOf(w: Waiver): string {
  return w.source?.file ?? DEFAULT_SOURCE;
}

/** Matches a result's file against the waiver's `paths` (gitignore syntax); no paths = everywhere. */
function pathMatcher(w: Waiver): (file: string) => boolean {
  if (!w.paths) return () => true;
  const ig = ignore().add(w.paths);
  return (file: string) => {
    const rel = file.replace(/\\/g, '/').replace(/^\.\//, '');
    if (rel === '' || rel.startsWith('/') || rel.startsWith('../')) return false;
    try {
      return ig.ignores(rel);
    } catch {
      return false;
    }
  };
}

/** Whether `file` is excluded by the config's `exclude` globs (gitignore syntax). */
export function excludeMatcher(config: Config): (file: string) => boolean {
  if (config.exclude.length === 0) return () => false;
  return pathMatcher({ rule: '', reason: '', paths: config.exclude });
}
