/**
 * Core result and rule types shared by every layer: rules produce RawResults, the engine turns them
 * into Results (applying config, waivers, ignores), the formatters print Results.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export type Status = 'pass' | 'fail' | 'waived' | 'unknown';

/** 1-based line and column; end is exclusive column on endLine (as SARIF wants). */
export interface Location {
  /** Relative to the scanned root, POSIX separators. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Family = 'dockerfile' | 'entrypoint' | 'compose' | 'prod' | 'secrets' | 'ci' | 'runtime' | 'image';
/** What one result is about. */
export type TargetKind = 'image' | 'service' | 'script' | 'workflow' | 'project' | 'repository' | 'container';

export interface RuleExample {
  /** File name the example is written to when tests run it (e.g. `Dockerfile`). */
  file: string;
  content: string;
  /** Other files of the example repository, keyed by relative path. */
  extraFiles?: Record<string, string>;
}

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  family: Family;
  target: TargetKind;
  env: 'all' | 'prod';
  aliases: string[];
  /** Why it matters (one paragraph). */
  rationale: string;
  /** How to fix (one or two sentences). */
  fix: string;
  examples: { bad: RuleExample; good: RuleExample };
}

/** What a rule returns for one target. */
export interface RawResult {
  status: 'pass' | 'fail' | 'unknown';
  /** Human name of the target: a Dockerfile path (`backend/Dockerfile`), `prod:backend`, ... */
  target: string;
  /** fail: what, why, how to fix. unknown: what could not be decided. pass: short statement. */
  message: string;
  /** pass: the evidence string for the report (e.g. "`appuser` (UID 1001)"). */
  evidence?: string;
  location: Location;
  /** Overrides the rule's default severity for this result (e.g. ADD of a URL without checksum). */
  severity?: Severity;
  /** Compose environment name, where the rule is judged per environment. */
  environment?: string;
}

export interface Result {
  ruleId: string;
  status: Status;
  severity: Severity;
  target: string;
  message: string;
  evidence?: string;
  location: Location;
  environment?: string;
  /** waived: the reason given by the waiver or inline ignore. */
  waiver?: { reason: string; source: string; expires?: string };
}

export interface FileError {
  file: string;
  message: string;
  line?: number;
}

export interface Rule<Ctx = import('./model/project.js').Project> {
  meta: RuleMeta;
  check(project: Ctx): RawResult[];
}
