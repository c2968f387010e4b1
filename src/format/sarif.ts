/**
 * SARIF 2.1.0 for GitHub code scanning. Only failing results become SARIF results; tool errors
 * (a file that could not be read or parsed) become execution notifications.
 */
import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import { renderRuleHelpMarkdown, renderRuleHelpText, ruleDocUrl } from '../docs/rule-doc.js';
import type { FileError, Location, Result, RuleMeta, Severity } from '../types.js';
import { type CheckReport, SECURITY_SEVERITY, sarifLevel, sortErrors, sortResults } from './report.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/seaworthy-dev/seaworthy';
/** The fingerprint key owned by seaworthy; bump the version when its input changes. */
export const FINGERPRINT_KEY = 'seaworthy/v1';

/** `dockerfile/non-root-user` → `DockerfileNonRootUser` (SARIF wants a Pascal-case friendly name). */
export function pascalName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function nonEmpty(text: string, fallback: string): string {
  return text.trim() === '' ? fallback : text;
}

function ruleDescriptor(meta: RuleMeta): Sarif.ReportingDescriptor {
  return {
    id: meta.id,
    name: pascalName(meta.id),
    shortDescription: { text: nonEmpty(meta.title, meta.id) },
    fullDescription: { text: nonEmpty(meta.rationale, nonEmpty(meta.title, meta.id)) },
    help: { text: renderRuleHelpText(meta), markdown: renderRuleHelpMarkdown(meta) },
    helpUri: ruleDocUrl(meta.id),
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: {
      tags: ['security', meta.family],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[meta.severity],
    },
  };
}

/** A descriptor for a result whose rule is not among the report's metas (e.g. an engine finding). */
function syntheticDescriptor(ruleId: string, severity: Severity): Sarif.ReportingDescriptor {
  const family = ruleId.includes('/') ? ruleId.slice(0, ruleId.indexOf('/')) : 'seaworthy';
  return {
    id: ruleId,
    name: pascalName(ruleId),
    shortDescription: { text: ruleId },
    fullDescription: { text: `Finding reported by seaworthy under ${ruleId}.` },
    help: {
      text: `See the finding's message for what is wrong and how to fix it.`,
      markdown: `See the finding's message for what is wrong and how to fix it.`,
    },
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: { tags: ['security', family], precision: 'high', 'security-severity': SECURITY_SEVERITY[severity] },
  };
}

/** A relative POSIX path as a URI reference (each segment percent-encoded). */
export function fileUri(file: string): { uri: string; uriBaseId?: string } {
  const posix = file.replace(/\\/g, '/');
  if (posix.startsWith('/')) return { uri: `file://${posix.split('/').map(encodeURIComponent).join('/')}` };
  const rel = posix.replace(/^(\.\/)+/, '');
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** A region SARIF accepts: 1-based, end not before start. */
export function region(loc: Location): Sarif.Region {
  const startLine = Math.max(1, Math.trunc(loc.line) || 1);
  const startColumn = Math.max(1, Math.trunc(loc.column) || 1);
  let endLine = Math.max(startLine, Math.trunc(loc.endLine) || startLine);
  let endColumn = Math.max(1, Math.trunc(loc.endColumn) || 1);
  if (endLine === startLine && endColumn < startColumn) {
    endLine = startLine;
    endColumn = startColumn;
  }
  return { startLine, startColumn, endLine, endColumn };
}

/** The first sentence of a message: stable while later sentences (the fix advice) are reworded. */
export function firstSentence(message: string): string {
  const m = /^[\s\S]*?[.!?](?=\s|$)/.exec(message.trim());
  return (m ? m[0] : message.trim()).replace(/\s+/g, ' ');
}

/**
 * Line-independent fingerprint: rule, file, target, environment and the message's first sentence,
 * so moving code does not open a new alert while a different finding on the same target does.
 */
export function fingerprint(r: Result): string {
  const input = JSON.stringify([r.ruleId, r.location.file, r.target, r.environment ?? '', firstSentence(r.message)]);
  return createHash('sha256').update(input).digest('hex');
}

function physicalLocation(file: string, reg?: Sarif.Region): Sarif.Location {
  const loc: Sarif.Location = { physicalLocation: { artifactLocation: fileUri(file) } };
  if (reg && loc.physicalLocation) loc.physicalLocation.region = reg;
  return loc;
}

function notification(e: FileError): Sarif.Notification {
  const n: Sarif.Notification = {
    level: 'error',
    message: { text: e.message },
    descriptor: { id: 'file-error' },
  };
  if (e.file) n.locations = [physicalLocation(e.file, e.line && e.line > 0 ? { startLine: e.line } : undefined)];
  return n;
}

/** The rule descriptors of the report's metas, and each rule id's index among them. */
function descriptorsOf(metas: readonly RuleMeta[]): { descriptors: Sarif.ReportingDescriptor[]; index: Map<string, number> } {
  const descriptors: Sarif.ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  for (const meta of metas) {
    if (index.has(meta.id)) continue;
    index.set(meta.id, descriptors.length);
    descriptors.push(ruleDescriptor(meta));
  }
  return { descriptors, index };
}

/**
 * Failing results (in report order) as SARIF results. `seen` counts fingerprints across calls, so
 * identical findings are told apart by occurrence however the results are handed in.
 */
function sarifResults(
  results: readonly Result[],
  descriptors: Sarif.ReportingDescriptor[],
  index: Map<string, number>,
  seen: Map<string, number>,
): Sarif.Result[] {
  const out: Sarif.Result[] = [];
  for (const r of results) {
    if (r.status !== 'fail') continue;
    let ruleIndex = index.get(r.ruleId);
    if (ruleIndex === undefined) {
      ruleIndex = descriptors.length;
      index.set(r.ruleId, ruleIndex);
      descriptors.push(syntheticDescriptor(r.ruleId, r.severity));
    }
    const hash = fingerprint(r);
    // Identical findings (same rule, file, target and first sentence) are told apart by occurrence.
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    const properties: Record<string, string> = { severity: r.severity, target: r.target };
    if (r.environment !== undefined) properties.environment = r.environment;
    out.push({
      ruleId: r.ruleId,
      ruleIndex,
      level: sarifLevel(r.severity),
      message: { text: r.message },
      locations: [physicalLocation(r.location.file, region(r.location))],
      partialFingerprints: {
        // Provided so GitHub does not compute its own (line-content based) hash.
        primaryLocationLineHash: `${hash.slice(0, 16)}:${occurrence}`,
        [FINGERPRINT_KEY]: occurrence === 1 ? hash : `${hash}:${occurrence}`,
      },
      properties,
    });
  }
  return out;
}

/** The log around its results (`results` first in the run, so the errors can follow them when streamed). */
function sarifLog(tool: CheckReport['tool'], descriptors: Sarif.ReportingDescriptor[], results: Sarif.Result[], errors: readonly FileError[]): Sarif.Log {
  const invocation: Sarif.Invocation = {
    executionSuccessful: errors.length === 0,
    toolExecutionNotifications: sortErrors(errors).map(notification),
  };
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(tool.version) ? tool.version : undefined,
            informationUri: INFORMATION_URI,
            rules: descriptors,
          },
        },
        results,
        invocations: [invocation],
      },
    ],
  };
}

export function toSarif(report: CheckReport): Sarif.Log {
  const { descriptors, index } = descriptorsOf(report.rules);
  const results = sarifResults(sortResults(report.results), descriptors, index, new Map());
  return sarifLog(report.tool, descriptors, results, report.errors);
}

export function formatSarif(report: CheckReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}

const RESULTS_PLACEHOLDER = '\u0000seaworthy:sarif-results\u0000';
/** A run's results are at depth 4 of the log (log → runs → run → results → result). */
const RESULT_INDENT = ' '.repeat(8);

/**
 * `formatSarif` written as the results arrive (a check in parts, src/check-parts.ts): the same text,
 * without holding every result. `results` must be given in report order, and their rules must be
 * among `rules` (a check's results always are: a rule outside them would need a descriptor before
 * the results).
 */
export class SarifReportWriter {
  private readonly descriptors: Sarif.ReportingDescriptor[];
  private readonly index: Map<string, number>;
  private readonly seen = new Map<string, number>();
  private written = 0;

  constructor(
    private readonly write: (piece: string) => void,
    private readonly tool: CheckReport['tool'],
    rules: readonly RuleMeta[],
  ) {
    ({ descriptors: this.descriptors, index: this.index } = descriptorsOf(rules));
    const { head } = this.split([]);
    this.write(head);
  }

  results(results: readonly Result[]): void {
    const known = this.descriptors.length;
    const out = sarifResults(results, this.descriptors, this.index, this.seen);
    if (this.descriptors.length !== known) throw new Error('SarifReportWriter: a result of a rule the check did not list');
    for (const r of out) {
      const text = RESULT_INDENT + JSON.stringify(r, null, 2).replace(/\n/g, `\n${RESULT_INDENT}`);
      this.write(this.written++ === 0 ? `[\n${text}` : `,\n${text}`);
    }
  }

  end(errors: readonly FileError[]): void {
    const { tail } = this.split(errors);
    this.write(`${this.written === 0 ? '[]' : '\n      ]'}${tail}\n`);
  }

  private split(errors: readonly FileError[]): { head: string; tail: string } {
    const log = sarifLog(this.tool, this.descriptors, RESULTS_PLACEHOLDER as unknown as Sarif.Result[], errors);
    const text = JSON.stringify(log, null, 2);
    const marker = JSON.stringify(RESULTS_PLACEHOLDER);
    const at = text.indexOf(marker);
    return { head: text.slice(0, at), tail: text.slice(at + marker.length) };
  }
}
