/**
 * Machine-readable output. The shape is a public contract (`schemaVersion` 1): later versions may
 * add fields but never rename or remove one.
 */
import type { FileError, Result } from '../types.js';
import { type CheckReport, sortErrors, sortResults, summarize } from './report.js';

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

function jsonError(e: FileError): JsonError {
  return { file: e.file, message: e.message, line: e.line ?? null };
}

export function toJsonReport(report: CheckReport): JsonReport {
  const s = summarize(report);
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    results: sortResults(report.results).map(jsonResult),
    errors: sortErrors(report.errors).map(jsonError),
    summary: {
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
    },
  };
}

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
