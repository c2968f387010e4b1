/** Helpers shared by the entrypoint/ rules: scripts grouped with their uses, locations, names. Pure. */
import type { ExecSpec } from '../../model/dockerfile.js';
import { effectiveStart } from '../../model/entrypoint.js';
import type { Project } from '../../model/project.js';
import type { ScriptModel, ScriptUse } from '../../model/script.js';
import type { ShellCommand } from '../../model/shell.js';
import type { Location, RawResult } from '../../types.js';
import { loc } from '../_util.js';

/** Rule examples: a Python image whose ENTRYPOINT is an executable `docker-entrypoint.sh` on PATH. */
export const ENTRYPOINT_EXAMPLE_DOCKERFILE =
  'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY --chmod=755 docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\n';

export interface ScriptGroup {
  script: ScriptModel;
  /** Every (image, start) that runs the script, in image order. */
  uses: ScriptUse[];
}

/** The scripts images run, each once, with all their uses (ordered by script path). */
export function scriptGroups(project: Project): ScriptGroup[] {
  const byPath = new Map<string, ScriptGroup>();
  for (const image of project.images) {
    for (const use of image.scripts) {
      const g = byPath.get(use.script.path);
      if (g) g.uses.push(use);
      else byPath.set(use.script.path, { script: use.script, uses: [use] });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.script.path < b.script.path ? -1 : a.script.path > b.script.path ? 1 : 0));
}

/**
 * One result per script use, judged by `judge` (told whether the script is used by more than one image),
 * keeping one result per script, image, status and place: compose overrides naming the same script add nothing
 * new, while two scripts reported at the same place (one `COPY . .` puts both in) each keep their result.
 */
export function judgeEachUse(project: Project, judge: (use: ScriptUse, multi: boolean) => RawResult): RawResult[] {
  const out: RawResult[] = [];
  const seen = new Set<string>();
  for (const g of scriptGroups(project)) {
    const multi = new Set(g.uses.map((u) => u.image.name)).size > 1;
    for (const use of g.uses) {
      const r = judge(use, multi);
      const k = `${g.script.path}|${use.image.name}|${r.status}|${r.location.file}:${r.location.line}:${r.location.column}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(r);
    }
  }
  return out;
}

/** `backend/docker-entrypoint.sh` → `docker-entrypoint.sh`. */
export function fileName(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

/** The script's first line (the shebang line when there is one). */
export function lineOneLoc(script: ScriptModel): Location {
  const first = script.text.split('\n', 1)[0].replace(/\r$/, '');
  return { file: script.path, line: 1, column: 1, endLine: 1, endColumn: first.length + 1 };
}

/**
 * True when line `line` (1-based) of the script ends with a carriage return (CRLF line endings). The
 * shell parser reads the `\r` as a blank, but the kernel and sh do not: it is the last character of
 * the line's last word (`#!/bin/sh\r`, `set -e\r`).
 */
export function endsWithCR(script: ScriptModel, line: number): boolean {
  const l = script.text.split('\n', line)[line - 1];
  return l?.endsWith('\r');
}

/** What to do about CRLF line endings (for messages). */
export const CRLF_FIX =
  'Convert the script to LF line endings (`dos2unix`), and add `*.sh text eol=lf` to `.gitattributes` so a Windows checkout does not bring the CRs back.';

export function cmdLoc(script: ScriptModel, cmd: ShellCommand): Location {
  return loc(script.path, cmd.range);
}

/** A command as one short line for messages (first line, collapsed, cut at 60 characters). */
export function shortText(text: string, max = 60): string {
  const t = text
    .replace(/\s*\\\r?\n\s*/g, ' ')
    .split('\n', 1)[0]
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** The Dockerfile instruction a use comes from (ENTRYPOINT/CMD of the image), for its form; null for compose overrides. */
export function imageStartSpec(use: ScriptUse): ExecSpec | null {
  if (use.via !== 'ENTRYPOINT' && use.via !== 'CMD') return null;
  const { entrypoint, cmd } = effectiveStart(use.image.dockerfile, use.image.stage);
  return use.via === 'ENTRYPOINT' ? entrypoint : cmd;
}

/** A phrase naming where the image starts the script: "the ENTRYPOINT of `backend/Dockerfile`", "compose `entrypoint:` of `prod:web`". */
export function useLabel(use: ScriptUse): string {
  if (use.via === 'ENTRYPOINT' || use.via === 'CMD') return `the ${use.via} of \`${use.image.name}\``;
  const svc = use.service ? ` of service \`${use.service}\`` : '';
  return `the compose \`${use.via === 'compose entrypoint' ? 'entrypoint' : 'command'}:\`${svc}`;
}

/** Where a script's syntax error is reported: the parser's error, moved onto the last line when it sits past the end (a missing `fi` at EOF). */
export function errorLoc(script: ScriptModel): Location {
  const r = script.script?.errorRange;
  if (!r) return lineOneLoc(script);
  const lines = script.text.replace(/\r/g, '').split('\n');
  while (lines.length > 1 && lines[lines.length - 1].trim() === '') lines.pop();
  if (r.line > lines.length || (r.line === lines.length && r.column > lines[lines.length - 1].length)) {
    const n = lines.length;
    return { file: script.path, line: n, column: 1, endLine: n, endColumn: lines[n - 1].length + 1 };
  }
  return loc(script.path, r);
}
