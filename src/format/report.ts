/**
 * The report every formatter receives, and the pieces all formatters share: the summary, the
 * deterministic result order, and the severity → SARIF mappings from RULES.md.
 */
import type { FileError, Result, RuleMeta, Severity, Status } from '../types.js';
import { SEVERITIES, SEVERITY_RANK } from '../types.js';

export interface CheckReport {
  tool: { name: 'seaworthy'; version: string };
  /** Display name of the scanned root. */
  root: string;
  results: Result[];
  errors: FileError[];
  /** Metas of the rules that ran (SARIF `rules[]`). */
  rules: RuleMeta[];
  failOn: Severity;
  durationMs: number;
  filesScanned: number;
  /** Policy notices: stale or expired waivers, unused or unknown inline ignores (printed on stderr). */
  notices?: FileError[];
}

export interface Summary {
  /** Number of results of every status. */
  total: number;
  byStatus: Record<Status, number>;
  /** Failing results by their (effective) severity. */
  failingBySeverity: Record<Severity, number>;
  failOn: Severity;
  /** Failing results whose severity is at or above `failOn`. */
  failingAtOrAboveFailOn: number;
  /** `failingAtOrAboveFailOn > 0`: the findings alone make the run fail `--fail-on`. */
  failsThreshold: boolean;
  filesScanned: number;
  errors: number;
  durationMs: number;
}

export const STATUSES: readonly Status[] = ['pass', 'fail', 'waived', 'unknown'];

/** Notices by file, then line (stable): the order of a whole check, of a check in parts, and of stderr. */
export function sortNotices<N extends { file: string; line?: number }>(notices: readonly N[]): N[] {
  return [...notices].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
}

export function summarize(r: CheckReport): Summary {
  const t = new Tally();
  t.add(r.results);
  return t.summary(r.failOn, r.filesScanned, r.errors.length, r.durationMs);
}

/** Counts of results by status and of failing ones by severity, added up as results come (the summary of a report written in pieces). */
export class Tally {
  /** Results added so far. */
  total = 0;
  private readonly byStatus: Record<Status, number> = { pass: 0, fail: 0, waived: 0, unknown: 0 };
  private readonly failingBySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

  add(results: readonly Result[]): void {
    for (const res of results) {
      this.byStatus[res.status]++;
      if (res.status === 'fail') this.failingBySeverity[res.severity]++;
    }
    this.total += results.length;
  }

  summary(failOn: Severity, filesScanned: number, errors: number, durationMs: number): Summary {
    let failing = 0;
    for (const sev of SEVERITIES) if (SEVERITY_RANK[sev] >= SEVERITY_RANK[failOn]) failing += this.failingBySeverity[sev];
    return {
      total: this.total,
      byStatus: { ...this.byStatus },
      failingBySeverity: { ...this.failingBySeverity },
      failOn,
      failingAtOrAboveFailOn: failing,
      failsThreshold: failing > 0,
      filesScanned,
      errors,
      durationMs,
    };
  }
}

/** Code-unit comparison: the same order on every machine and locale (unlike localeCompare). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Results ordered by file, line, column, ruleId, target (then the rest, so the order is total). */
export function compareResults(a: Result, b: Result): number {
  return (
    compareStrings(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.target, b.target) ||
    compareStrings(a.environment ?? '', b.environment ?? '') ||
    a.location.endLine - b.location.endLine ||
    a.location.endColumn - b.location.endColumn ||
    compareStrings(a.status, b.status) ||
    compareStrings(a.message, b.message)
  );
}

export function sortResults(results: readonly Result[]): Result[] {
  return [...results].sort(compareResults);
}

export function sortErrors(errors: readonly FileError[]): FileError[] {
  return [...errors].sort(
    (a, b) => compareStrings(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compareStrings(a.message, b.message),
  );
}

/** SARIF level for a severity (RULES.md): critical/high → error, medium → warning, low/info → note. */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

/** GitHub `security-severity` for a severity (RULES.md), as the string GitHub reads. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

/** Severities from the most to the least severe. */
export const SEVERITIES_DESC: readonly Severity[] = [...SEVERITIES].sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a]);
