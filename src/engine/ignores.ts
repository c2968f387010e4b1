/**
 * Inline ignores: pragmas in comments that suppress rules for one statement or a whole file.
 *
 *   # seaworthy-ignore <rule>[,<rule>...] [-- reason]        the next statement (comment lines between are fine)
 *   # seaworthy-ignore-file <rule>[,<rule>...] [-- reason]   the whole file
 *   # hadolint ignore=DL3002,DL3008                          the next statement, rules listing those aliases
 *   # hadolint global ignore=DL3002                          the whole file
 *   # checkov:skip=CKV_DOCKER_8: reason                      the whole file (checkov's Dockerfile semantics)
 *
 * Format-independent: a file's comments and its statement ranges (Dockerfile instructions, YAML
 * entries) are enough, so compose files can use the same pragmas. Plain data; no I/O.
 */
import type { DockerfileModel } from '../model/dockerfile.js';
import { ALL_RULES, type AnyRule } from '../rules/all.js';
import type { FileError, Location } from '../types.js';
import { aliasMatches, describeUnknownRule } from './config.js';

export type IgnoreSource = 'inline' | 'hadolint' | 'checkov';

/** A comment as the parsers give it: text with or without the leading `#`, 1-based lines. */
export interface IgnoreComment {
  text: string;
  range: { line: number; column?: number; endLine?: number };
}

/** What a pragma can attach to: an instruction, a YAML entry. `column` enables trailing pragmas. */
export interface StatementRange {
  line: number;
  endLine: number;
  column?: number;
}

export interface Suppression {
  /** Seaworthy rule ids it suppresses. */
  rules: string[];
  /** Reason written after `--` (or after `:` for checkov); `no reason given` otherwise. */
  reason: string;
  source: IgnoreSource;
  /** Lines of the statement it covers; null for the whole file. */
  lines: { line: number; endLine: number } | null;
  /** Line of the pragma comment. */
  line: number;
  /** The pragma as written (without `#`). */
  pragma: string;
}

export interface IgnoreIndex {
  file: string;
  /** Most specific first: seaworthy line, seaworthy file, hadolint line, hadolint file, checkov. */
  suppressions: Suppression[];
  /** Problems with pragmas (unknown rule ids, pragmas attached to nothing). Never fatal. */
  warnings: FileError[];
}

export const NO_REASON = 'no reason given';

const SEAWORTHY_RE = /^seaworthy-ignore(-file)?(?=\s|$)(.*)$/s;
const HADOLINT_RE = /^hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_.-]+(?:\s*,\s*[A-Za-z0-9_.-]+)*)(.*)$/s;
const CHECKOV_RE = /(?:checkov|bridgecrew):skip=\s*([A-Za-z0-9_]+)(?::\s*(.*))?/s;
/** Every comment one of the three matches contains one of these. */
const MAYBE_PRAGMA = /seaworthy-ignore|hadolint|:skip=/;

const registryIndexes = new WeakMap<readonly AnyRule[], { known: Set<string>; registryMap: Map<string, AnyRule> }>();

/** The registry's ids, as a set and a map, built once per registry. */
function registryIndex(registry: readonly AnyRule[]): { known: Set<string>; registryMap: Map<string, AnyRule> } {
  let ix = registryIndexes.get(registry);
  if (ix === undefined) {
    ix = { known: new Set(registry.map((r) => r.meta.id)), registryMap: new Map(registry.map((r) => [r.meta.id, r])) };
    registryIndexes.set(registry, ix);
  }
  return ix;
}

/**
 * Builds the suppression index of one file. `comments` are every comment of the file;
 * `statementRanges` are what a line pragma can attach to. `registry` defaults to every rule.
 */
export function buildIgnoreIndex(
  file: string,
  comments: readonly IgnoreComment[],
  statementRanges: readonly StatementRange[] | (() => readonly StatementRange[]),
  registry: readonly AnyRule[] = ALL_RULES,
): IgnoreIndex {
  // Most files have no pragma at all: everything else is built only for the first one.
  if (!comments.some((c) => MAYBE_PRAGMA.test(c.text))) return { file, suppressions: [], warnings: [] };
  const { known, registryMap } = registryIndex(registry);
  const byAlias = (code: string): string[] =>
    registry.filter((r) => r.meta.aliases.some((a) => aliasMatches(a, code))).map((r) => r.meta.id);

  let commentLines: Set<number> | null = null;
  let statementsByLine: Map<number, StatementRange[]> | null = null;
  const lineMaps = () => {
    if (commentLines === null || statementsByLine === null) {
      commentLines = new Set<number>();
      for (const c of comments) {
        for (let l = c.range.line; l <= (c.range.endLine ?? c.range.line); l++) commentLines.add(l);
      }
      statementsByLine = new Map<number, StatementRange[]>();
      for (const s of typeof statementRanges === 'function' ? statementRanges() : statementRanges) {
        const list = statementsByLine.get(s.line) ?? [];
        list.push(s);
        statementsByLine.set(s.line, list);
      }
    }
    return { commentLines, statementsByLine };
  };
  const widest = (list: StatementRange[]): StatementRange =>
    list.reduce((a, b) => (b.endLine > a.endLine ? b : a));

  /** The statement a line pragma applies to: trailing on its line, or the next one after comment lines. */
  const attach = (c: IgnoreComment): StatementRange | null => {
    const { commentLines, statementsByLine } = lineMaps();
    const col = c.range.column;
    if (col !== undefined) {
      const sameLine = (statementsByLine.get(c.range.line) ?? []).filter((s) => (s.column ?? 1) < col);
      if (sameLine.length > 0) return widest(sameLine);
    }
    let l = (c.range.endLine ?? c.range.line) + 1;
    while (commentLines.has(l) && !statementsByLine.has(l)) l++;
    const next = statementsByLine.get(l);
    return next ? widest(next) : null;
  };

  const suppressions: Suppression[] = [];
  const warnings: FileError[] = [];
  const warn = (line: number, message: string) => warnings.push({ file, line, message });

  for (const c of comments) {
    const text = normalize(c.text);
    const line = c.range.line;

    const sw = SEAWORTHY_RE.exec(text);
    if (sw) {
      const wholeFile = sw[1] !== undefined;
      const kw = wholeFile ? 'seaworthy-ignore-file' : 'seaworthy-ignore';
      const { ids, reason } = splitReason(sw[2]);
      if (ids.length === 0) {
        warn(line, `${kw} names no rule; write '# ${kw} <rule>[,<rule>] -- <reason>'`);
        continue;
      }
      const rules: string[] = [];
      for (const id of ids) {
        if (known.has(id)) rules.push(id);
        else {
          const hint = describeUnknownRule(id, registryMap);
          warn(line, `${kw}: unknown rule id '${id}'${hint}${hint ? '' : " (the reason goes after '--')"}; it is not suppressed`);
        }
      }
      if (rules.length === 0) continue;
      let lines: Suppression['lines'] = null;
      if (!wholeFile) {
        const stmt = attach(c);
        if (!stmt) {
          warn(line, `${kw} is not directly before a statement, so it suppresses nothing; put it on the line(s) just above the instruction`);
          continue;
        }
        lines = { line: stmt.line, endLine: stmt.endLine };
      }
      suppressions.push({ rules, reason, source: 'inline', lines, line, pragma: text });
      continue;
    }

    const hl = HADOLINT_RE.exec(text);
    if (hl) {
      const global = hl[1] !== undefined;
      const codes = hl[2].split(',').map((s) => s.trim()).filter(Boolean);
      const rules = unique(codes.flatMap(byAlias));
      // Codes seaworthy has no rule for are hadolint's own business: no warning.
      if (rules.length === 0) continue;
      const rest = hl[3].trim();
      const reason = rest.startsWith('--') ? rest.slice(2).trim() || NO_REASON : NO_REASON;
      let lines: Suppression['lines'] = null;
      if (!global) {
        const stmt = attach(c);
        if (!stmt) {
          warn(line, 'hadolint ignore is not directly before an instruction, so it suppresses nothing');
          continue;
        }
        lines = { line: stmt.line, endLine: stmt.endLine };
      }
      suppressions.push({ rules, reason, source: 'hadolint', lines, line, pragma: text });
      continue;
    }

    const ck = CHECKOV_RE.exec(text);
    if (ck) {
      const rules = byAlias(ck[1]);
      if (rules.length === 0) continue;
      const reason = ck[2]?.trim() || NO_REASON;
      suppressions.push({ rules, reason, source: 'checkov', lines: null, line, pragma: text });
    }
  }

  const rank = (s: Suppression) =>
    ({ inline: 0, hadolint: 2, checkov: 4 })[s.source] + (s.lines === null ? 1 : 0);
  suppressions.sort((a, b) => rank(a) - rank(b) || a.line - b.line);
  return { file, suppressions, warnings };
}

/** The index of a Dockerfile model: pragmas attach to instructions. */
export function forDockerfile(
  model: Pick<DockerfileModel, 'path' | 'comments' | 'instructions'>,
  registry?: readonly AnyRule[],
): IgnoreIndex {
  return buildIgnoreIndex(
    model.path,
    model.comments,
    () => model.instructions.map((i) => ({ line: i.range.line, endLine: i.range.endLine })),
    registry,
  );
}

/** The most specific suppression covering `ruleId` at `location`, if any. */
export function findSuppression(
  index: IgnoreIndex,
  ruleId: string,
  location: Pick<Location, 'file' | 'line'>,
): Suppression | undefined {
  if (location.file !== index.file) return undefined;
  // Called for every failing result of an indexed file: a plain loop, no callback per call.
  const list = index.suppressions;
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s.rules.includes(ruleId) && (s.lines === null || (location.line >= s.lines.line && location.line <= s.lines.endLine))) return s;
  }
  return undefined;
}

function normalize(text: string): string {
  return text.replace(/^\s*#?\s*/, '').trimEnd();
}

/** `a,b c -- reason` → ids and reason. Rule ids never contain `--`. */
function splitReason(body: string): { ids: string[]; reason: string } {
  const at = body.indexOf('--');
  const idsPart = at >= 0 ? body.slice(0, at) : body;
  const reason = at >= 0 ? body.slice(at + 2).trim() : '';
  return { ids: idsPart.split(/[\s,]+/).filter(Boolean), reason: reason || NO_REASON };
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
