/**
 * Human output: results grouped by target, failures first, then unknowns (they matter too);
 * passes and waivers as counts unless verbose; file errors; a one-line summary and the verdict
 * against `--fail-on`.
 */
import type { FileError, Result, Severity } from '../types.js';
import { SEVERITY_RANK } from '../types.js';
import { type Colors, colors } from './color.js';
import { type CheckReport, compareResults, compareStrings, SEVERITIES_DESC, type Summary, sortErrors, sortResults, summarize, Tally } from './report.js';

export interface TextOptions {
  color: boolean;
  /** List passing and waived results with their evidence / waiver reason. */
  verbose?: boolean;
}

const SYMBOL = { fail: '✖', unknown: '?', pass: '✔', waived: '~' } as const;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function severityColor(c: Colors, s: Severity): (t: string) => string {
  switch (s) {
    case 'critical':
      return (t) => c.bold(c.red(t));
    case 'high':
      return c.red;
    case 'medium':
      return c.yellow;
    case 'low':
      return c.cyan;
    default:
      return c.gray;
  }
}

function where(r: Result): string {
  // A live result the static model does not map to a file (its target names the container).
  if (r.location.file === '') return '-';
  return `${r.location.file}:${r.location.line}:${r.location.column}`;
}

interface Group {
  target: string;
  results: Result[];
}

/** Targets in the order of their first result (file, line, ...), so a file's targets stay together. */
function groupByTarget(sorted: Result[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of sorted) {
    let g = groups.get(r.target);
    if (!g) {
      g = { target: r.target, results: [] };
      groups.set(r.target, g);
    }
    g.results.push(r);
  }
  return [...groups.values()];
}

function indent(text: string, pad: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}

/**
 * The same finding at the same place in several compose environments (a base-file line judged in dev
 * and prod) is printed once, with its environments listed.
 */
function collapseEnvironments(results: Result[]): { r: Result; envs?: string[] }[] {
  const out: { r: Result; envs?: string[] }[] = [];
  const byKey = new Map<string, { r: Result; envs?: string[] }>();
  for (const r of results) {
    if (r.environment === undefined) {
      out.push({ r });
      continue;
    }
    const l = r.location;
    const key = `${r.ruleId}\0${r.severity}\0${l.file}\0${l.line}\0${l.column}\0${l.endLine}\0${l.endColumn}\0${r.message}`;
    const hit = byKey.get(key);
    if (hit) {
      hit.envs?.push(r.environment);
      continue;
    }
    const row = { r, envs: [r.environment] };
    byKey.set(key, row);
    out.push(row);
  }
  return out;
}

function renderGroup(g: Group, c: Colors, verbose: boolean): string[] {
  const files = [...new Set(g.results.map((r) => r.location.file))].sort(compareStrings);
  const heading = files.length === 1 && files[0] === g.target ? c.bold(g.target) : `${c.bold(g.target)}  ${c.dim(files.join(', '))}`;
  const lines = [heading];

  const failing = g.results
    .filter((r) => r.status === 'fail')
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compareResults(a, b));
  const unknown = g.results.filter((r) => r.status === 'unknown');
  const waived = g.results.filter((r) => r.status === 'waived');
  const passed = g.results.filter((r) => r.status === 'pass');

  const rows: { r: Result; label: string; paint: (t: string) => string; detail: string; envs?: string[] }[] = [];
  for (const { r, envs } of collapseEnvironments(failing)) rows.push({ r, label: r.severity, paint: severityColor(c, r.severity), detail: r.message, envs });
  for (const { r, envs } of collapseEnvironments(unknown)) rows.push({ r, label: 'unknown', paint: c.magenta, detail: r.message, envs });
  if (verbose) {
    for (const r of waived) {
      const w = r.waiver;
      const why = w ? `waived: ${w.reason} (${w.source}${w.expires ? `, expires ${w.expires}` : ''})` : `waived: ${r.message}`;
      rows.push({ r, label: 'waived', paint: c.gray, detail: why });
    }
    for (const r of passed) rows.push({ r, label: 'pass', paint: c.green, detail: r.evidence ?? r.message });
  }

  const whereWidth = Math.max(0, ...rows.map((row) => where(row.r).length));
  const detailPad = ' '.repeat(4 + 8 + 2);
  for (const { r, label, paint, detail, envs } of rows) {
    const symbol = SYMBOL[r.status];
    const envList = envs ?? (r.environment !== undefined ? [r.environment] : []);
    const env = envList.length ? ` ${c.dim(`[${envList.join(', ')}]`)}` : '';
    lines.push(
      `  ${paint(symbol)} ${paint(label.padEnd(8))}  ${where(r).padEnd(whereWidth)}  ${c.dim(r.ruleId)}${env}`,
      indent(detail, detailPad),
    );
  }

  if (!verbose) {
    const counts: string[] = [];
    if (passed.length > 0) counts.push(c.green(`${SYMBOL.pass} ${passed.length} passed`));
    if (waived.length > 0) counts.push(c.gray(`${SYMBOL.waived} ${waived.length} waived`));
    if (counts.length > 0) lines.push(`  ${counts.join(c.dim(' · '))}`);
  }
  return lines;
}

export function formatText(report: CheckReport, options: TextOptions): string {
  const c = colors(options.color);
  const verbose = options.verbose === true;
  const out: string[] = [];
  const groups = groupByTarget(sortResults(report.results));
  for (const g of groups) out.push(...renderGroup(g, c, verbose), '');
  if (groups.length === 0) out.push(c.dim('No results.'), '');
  return `${[...out, ...tail(c, report.errors, summarize(report))].join('\n')}\n`;
}

/** The errors and the summary lines that end the text. */
function tail(c: Colors, errors: readonly FileError[], s: Summary): string[] {
  const out: string[] = [];
  if (errors.length > 0) {
    out.push(c.bold(c.red('Errors')));
    for (const e of sortErrors(errors)) {
      out.push(`  ${c.red(SYMBOL.fail)} ${e.file}${e.line !== undefined ? `:${e.line}` : ''}  ${e.message}`);
    }
    out.push('');
  }
  const bySev = SEVERITIES_DESC.filter((sev) => s.failingBySeverity[sev] > 0)
    .map((sev) => severityColor(c, sev)(`${s.failingBySeverity[sev]} ${sev}`))
    .join(', ');
  const failPart =
    s.byStatus.fail > 0
      ? (s.failsThreshold ? c.red : c.yellow)(`${SYMBOL.fail} ${s.byStatus.fail} failing`) + ` (${bySev})`
      : c.green(`${SYMBOL.pass} 0 failing`);
  const parts = [failPart, `${s.byStatus.pass} passed`, `${s.byStatus.waived} waived`, `${s.byStatus.unknown} unknown`];
  if (s.errors > 0) parts.push(c.red(plural(s.errors, 'error')));
  parts.push(`${plural(s.filesScanned, 'file')} in ${(s.durationMs / 1000).toFixed(2)} s`);
  out.push(parts.join(c.dim(' · ')));
  out.push(
    s.failsThreshold
      ? c.red(`Fails --fail-on ${s.failOn}: ${plural(s.failingAtOrAboveFailOn, 'finding')} at or above ${s.failOn}.`)
      : c.green(`Passes --fail-on ${s.failOn}: no failing finding at or above ${s.failOn}.`),
  );
  return out;
}

/**
 * `formatText` from results handed in report order, in pieces (a check in parts): the same text.
 * A target's group is rendered as soon as its piece is in and its results are dropped; only the
 * targets of the repository as a whole (`repository(target)`), whose results can come in several
 * pieces, stay open to the end. Groups keep the order of their first result.
 */
export class TextReportWriter {
  private readonly c: Colors;
  private readonly verbose: boolean;
  /** Rendered groups (text) and open ones, in the order of their first result; written from the front. */
  private groups: (string | Group)[] = [];
  private readonly open = new Map<string, { group: Group; at: number }>();
  /** Groups written so far (`groups` holds the ones after them). */
  private written = 0;
  private repositoryOpen = true;
  /** Targets whose results come in several hand-ons (ResultSink.spread): open until the stream reaches the file given. */
  private spreadTargets: ReadonlyMap<string, string> = new Map();
  /** The location file of the last result handed on (results come sorted). */
  private reached = '';
  private readonly tally = new Tally();

  constructor(
    private readonly write: (text: string) => void,
    options: TextOptions,
    private readonly repository: (target: string) => boolean,
  ) {
    this.c = colors(options.color);
    this.verbose = options.verbose === true;
  }

  /** The repository's own groups are complete: render them, and write every group from now on as it completes. */
  repositoryDone(): void {
    this.repositoryOpen = false;
    for (const [target, g] of this.open) {
      if (this.awaits(target)) continue;
      this.groups[g.at - this.written] = renderGroup(g.group, this.c, this.verbose).join('\n');
      this.open.delete(target);
    }
    this.flush();
  }

  /** Targets whose results come in several hand-ons, each with the last file they are located in: a group stays open until results at or after it have come. */
  spread(targets: ReadonlyMap<string, string>): void {
    this.spreadTargets = targets;
  }

  /** Whether more results may come for `target` (a spread one the stream has not passed yet). */
  private awaits(target: string): boolean {
    const until = this.spreadTargets.get(target);
    return until !== undefined && this.reached < until;
  }

  /** Writes the rendered groups at the front. */
  private flush(): void {
    let n = 0;
    let text = '';
    while (n < this.groups.length && typeof this.groups[n] === 'string') text += `${this.groups[n++]}\n\n`;
    if (n === 0) return;
    this.write(text);
    this.groups = this.groups.slice(n);
    this.written += n;
  }

  results(sorted: readonly Result[]): void {
    this.tally.add(sorted);
    const touched = new Set<string>();
    for (const r of sorted) {
      let g = this.open.get(r.target);
      if (g === undefined) {
        g = { group: { target: r.target, results: [] }, at: this.written + this.groups.length };
        this.open.set(r.target, g);
        this.groups.push(g.group);
      }
      g.group.results.push(r);
      touched.add(r.target);
    }
    if (sorted.length) this.reached = sorted[sorted.length - 1].location.file;
    for (const target of touched) {
      if (this.repositoryOpen && this.repository(target)) continue;
      if (this.awaits(target)) continue;
      const g = this.open.get(target) as { group: Group; at: number };
      this.groups[g.at - this.written] = renderGroup(g.group, this.c, this.verbose).join('\n');
      this.open.delete(target);
    }
    this.flush();
  }

  /** Writes the groups still held and the end of the text; returns whether failing results reach `failOn`. */
  end(errors: readonly FileError[], failOn: Severity, filesScanned: number, durationMs: number): boolean {
    const out: string[] = [];
    for (const g of this.groups) out.push(typeof g === 'string' ? g : renderGroup(g, this.c, this.verbose).join('\n'), '');
    if (this.written + this.groups.length === 0) out.push(this.c.dim('No results.'), '');
    const s = this.tally.summary(failOn, filesScanned, errors.length, durationMs);
    this.write(`${[...out, ...tail(this.c, errors, s)].join('\n')}\n`);
    return s.failsThreshold;
  }
}
