/**
 * Machine-readable output. The shape is a public contract (`schemaVersion` 1): later versions may
 * add fields but never rename or remove one.
 */
import type { FileError, Result } from '../types.js';
import { type CheckReport, type Summary, sortErrors, sortResults, summarize, Tally } from './report.js';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonResult {
  ruleId: string;
  status: Result['status'];
  severity: Result['severity'];
  target: string;
  message: string;
  evidence: string | null;
  location: { file: string; line: number; column: number; endLine: number; endColumn: number };
  environment?: string;
  waiver?: { reason: string; source: string; expires?: string };
}

export interface JsonError {
  file: string;
  message: string;
  line: number | null;
}

export interface JsonSummary {
  total: number;
  pass: number;
  fail: number;
  waived: number;
  unknown: number;
  failBySeverity: { critical: number; high: number; medium: number; low: number; info: number };
  failOn: CheckReport['failOn'];
  failingAtOrAboveFailOn: number;
  failsThreshold: boolean;
  filesScanned: number;
  errors: number;
  durationMs: number;
}

export interface JsonReport {
  schemaVersion: typeof JSON_SCHEMA_VERSION;
  tool: { name: string; version: string };
  results: JsonResult[];
  errors: JsonError[];
  summary: JsonSummary;
}

function jsonResult(r: Result): JsonResult {
  // Keys are written in a fixed order, whatever order the engine built the object in.
  const out: JsonResult = {
    ruleId: r.ruleId,
    status: r.status,
    severity: r.severity,
    target: r.target,
    message: r.message,
    evidence: r.evidence ?? null,
    location: {
      file: r.location.file,
      line: r.location.line,
      column: r.location.column,
      endLine: r.location.endLine,
      endColumn: r.location.endColumn,
    },
  };
  if (r.environment !== undefined) out.environment = r.environment;
  if (r.waiver !== undefined) {
    out.waiver = { reason: r.waiver.reason, source: r.waiver.source };
    if (r.waiver.expires !== undefined) out.waiver.expires = r.waiver.expires;
  }
  return out;
}

/** Results `from`–`to` as they appear in the report's results array, joined by `,\n`. */
function resultsText(results: readonly Result[], from: number, to: number): string {
  // "[\n  [\n" + the results at depth 2 + "\n  ]\n]". (Measured in the CLI: as fast as writing each
  // result by hand, whose JavaScript runs cold in a short process while JSON.stringify is native.)
  return JSON.stringify([results.slice(from, to).map(jsonResult)], null, 2).slice(6, -6);
}

function jsonError(e: FileError): JsonError {
  return { file: e.file, message: e.message, line: e.line ?? null };
}

export function toJsonReport(report: CheckReport, s = summarize(report)): JsonReport {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    results: sortResults(report.results).map(jsonResult),
    errors: sortErrors(report.errors).map(jsonError),
    summary: jsonSummary(s),
  };
}

function jsonSummary(s: Summary): JsonSummary {
  return {
    total: s.total,
    pass: s.byStatus.pass,
    fail: s.byStatus.fail,
    waived: s.byStatus.waived,
    unknown: s.byStatus.unknown,
    failBySeverity: { ...s.failingBySeverity },
    failOn: s.failOn,
    failingAtOrAboveFailOn: s.failingAtOrAboveFailOn,
    failsThreshold: s.failsThreshold,
    filesScanned: s.filesScanned,
    errors: s.errors,
    durationMs: s.durationMs,
  };
}

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}

/**
 * Results per piece (`formatJsonBytes`, JsonReportWriter). 64 results are 30–70 KB of text: below
 * V8's large-object size (128 KB), so each piece is allocated and collected in the young generation
 * instead of being mapped and unmapped on its own. Measured on the shared corpus (21 interleaved
 * runs): 256 per piece 539 ms, 64 per piece 517 ms.
 */
const PIECE = 64;
const RESULTS_PLACEHOLDER = '\u0000seaworthy:results\u0000';

/**
 * `formatJson` as UTF-8 bytes, the same bytes, made faster for large reports. The whole document as
 * one string is two-byte as soon as one message has a character beyond Latin-1 (`…`, `→`), so every
 * character is written and encoded as two bytes, and appending the final newline copies it all
 * again. Here the results are stringified a few hundred at a time (JSON.stringify of `[[...piece]]`
 * puts them at the depth they have in the document, with the same indentation) and each piece is
 * encoded on its own: most pieces stay one-byte.
 */
export function formatJsonBytes(report: CheckReport): Buffer {
  const sorted = sortResults(report.results);
  const doc = toJsonReport({ ...report, results: [] }, summarize(report));
  const results = sorted;
  if (results.length === 0) return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`);
  const text = JSON.stringify({ ...doc, results: RESULTS_PLACEHOLDER }, null, 2);
  // `results` follows `schemaVersion` and `tool`, which cannot hold the placeholder.
  const marker = JSON.stringify(RESULTS_PLACEHOLDER);
  const at = text.indexOf(marker);
  const parts: Buffer[] = [Buffer.from(`${text.slice(0, at)}[\n`)];
  const comma = Buffer.from(',\n');
  for (let i = 0; i < results.length; i += PIECE) {
    if (i > 0) parts.push(comma);
    parts.push(Buffer.from(resultsText(sorted, i, Math.min(i + PIECE, sorted.length))));
  }
  parts.push(Buffer.from(`\n  ]${text.slice(at + marker.length)}\n`));
  return Buffer.concat(parts);
}

/**
 * `formatJsonBytes` written as the results arrive (a check in parts, src/check-parts.ts): the same
 * bytes, without holding every result. `write` gets the document in pieces (strings: the CLI hands
 * them to the file or pipe without encoding them into Buffers of its own); `results` must be given
 * in report order; `end` writes the errors and the summary, counted from what was written.
 */
export class JsonReportWriter {
  private readonly tally = new Tally();

  constructor(
    private readonly write: (piece: string) => void,
    private readonly tool: CheckReport['tool'],
  ) {
    this.write(this.document([], this.tally.summary('high', 0, 0, 0)).head);
  }

  results(results: readonly Result[]): void {
    for (let i = 0; i < results.length; i += PIECE) {
      const piece = resultsText(results, i, Math.min(i + PIECE, results.length));
      this.write(this.tally.total === 0 && i === 0 ? `[\n${piece}` : `,\n${piece}`);
    }
    this.tally.add(results);
  }

  /** Writes the rest of the document; returns whether failing results reach `failOn`. */
  end(errors: readonly FileError[], failOn: CheckReport['failOn'], filesScanned: number, durationMs: number): boolean {
    const s = this.tally.summary(failOn, filesScanned, errors.length, durationMs);
    const { tail } = this.document(errors, s);
    this.write(`${s.total === 0 ? '[]' : '\n  ]'}${tail}\n`);
    return s.failsThreshold;
  }

  private document(errors: readonly FileError[], s: Summary): { head: string; tail: string } {
    const doc = {
      schemaVersion: JSON_SCHEMA_VERSION,
      tool: { name: this.tool.name, version: this.tool.version },
      results: RESULTS_PLACEHOLDER,
      errors: sortErrors(errors).map(jsonError),
      summary: jsonSummary(s),
    } satisfies Omit<JsonReport, 'results'> & { results: string };
    const text = JSON.stringify(doc, null, 2);
    const marker = JSON.stringify(RESULTS_PLACEHOLDER);
    const at = text.indexOf(marker);
    return { head: text.slice(0, at), tail: text.slice(at + marker.length) };
  }
}
