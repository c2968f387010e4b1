/**
 * Fixture harness. A rule's fixtures live in `test/fixtures/<family>/<name>/<case>/`, each case a
 * small repository. Files named `dot.X` are materialised as `.X` (so fixture dotfiles such as
 * `.gitignore` or `.env` do not act on this repository). Expectations are comments in the files:
 *
 *   # expect: dockerfile/pinned-base            a fail result on the next non-comment line
 *   # expect: dockerfile/pinned-base 6-20       ... whose columns are exactly 6 to 20 (end exclusive)
 *   # expect: secrets/env-file-ignored @1       ... on line 1 of this file instead of the next line (for
 *                                               results at a file's first line, e.g. a `.env` file)
 *   # expect: compose/healthcheck [dev,prod]     ... reported for exactly these compose environments
 *                                               (without `[...]`: one result per environment at that place)
 *   # expect-unknown: dockerfile/pinned-base    an unknown result on the next line
 *   # expect-evidence: dockerfile/non-root-user = `appuser` (UID 1001)   a pass with this evidence
 *
 * Case names: `bad-*` must produce exactly the expected fails (at least one); `good-*` no fail and at
 * least one pass; `unknown-*` no fail and the expected unknowns.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { discover } from '../src/discover/index.js';
import { buildProject } from '../src/model/build.js';
import type { Project } from '../src/model/project.js';
import { RULES_BY_ID } from '../src/rules/index.js';
import type { RawResult } from '../src/types.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export interface Expectation {
  kind: 'fail' | 'unknown' | 'evidence';
  ruleId: string;
  file: string;
  line: number;
  columns?: [number, number];
  evidence?: string;
  /** Compose environments the result must be reported for (`[dev,prod]`); absent: any, one per environment. */
  envs?: string[];
}

const MARKER =
  /^\s*#\s*expect(-unknown|-evidence)?:\s*([a-z]+\/[a-z0-9-]+)(?:\s+@(\d+))?(?:\s+(\d+)-(\d+))?(?:\s+\[([a-z0-9_,-]+)\])?(?:\s*=\s*(.*?))?\s*$/;

/** Copy a case into a temporary folder, renaming `dot.X` to `.X`. Returns the folder. */
export function materialise(caseDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'seaworthy-fx-'));
  cpSync(caseDir, dir, { recursive: true });
  renameDots(dir);
  return dir;
}

function renameDots(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    let name = e.name;
    if (name.startsWith('dot.')) {
      const to = `.${name.slice(4)}`;
      renameSync(join(dir, name), join(dir, to));
      name = to;
    }
    if (e.isDirectory()) renameDots(join(dir, name));
  }
}

export function readExpectations(dir: string): Expectation[] {
  const out: Expectation[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
        continue;
      }
      const file = relative(dir, p).split('\\').join('/');
      const lines = readFileSync(p, 'utf8').split(/\r?\n/);
      lines.forEach((l, i) => {
        const m = MARKER.exec(l);
        if (!m) return;
        let j = i + 1;
        while (j < lines.length && (lines[j].trim() === '' || lines[j].trim().startsWith('#'))) j++;
        out.push({
          kind: m[1] === '-unknown' ? 'unknown' : m[1] === '-evidence' ? 'evidence' : 'fail',
          ruleId: m[2],
          file,
          line: m[3] ? Number(m[3]) : j + 1,
          columns: m[4] ? [Number(m[4]), Number(m[5])] : undefined,
          envs: m[6] ? m[6].split(',') : undefined,
          evidence: m[7],
        });
      });
    }
  };
  walk(dir);
  return out;
}

export async function projectOf(dir: string): Promise<Project> {
  const d = await discover(dir);
  return buildProject(d, 'fixture');
}

export async function runRule(ruleId: string, dir: string): Promise<RawResult[]> {
  const rule = RULES_BY_ID.get(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.check(await projectOf(dir));
}

/** The cases of a rule: folder names under its fixture folder. */
export function casesOf(ruleId: string): string[] {
  const dir = join(FIXTURES, ruleId);
  try {
    return readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()).sort();
  } catch {
    return [];
  }
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface CaseOutcome {
  problems: string[];
  results: RawResult[];
}

/** Run one case and compare with its expectations; returns the list of mismatches (empty = ok). */
export async function checkCase(ruleId: string, caseName: string): Promise<CaseOutcome> {
  const src = join(FIXTURES, ruleId, caseName);
  const dir = materialise(src);
  try {
    const expects = readExpectations(dir).filter((e) => e.ruleId === ruleId);
    const results = await runRule(ruleId, dir);
    const problems: string[] = [];
    const fmt = (r: RawResult) =>
      `${r.status} ${r.location.file}:${r.location.line}:${r.location.column}-${r.location.endLine}:${r.location.endColumn}${r.environment ? ` [${r.environment}]` : ''} ${r.message}`;
    const fails = results.filter((r) => r.status === 'fail');
    const unknowns = results.filter((r) => r.status === 'unknown');
    const matchList = (kind: 'fail' | 'unknown', got: RawResult[]) => {
      const want = expects.filter((e) => e.kind === kind);
      const used = new Set<RawResult>();
      for (const w of want) {
        const at = got.filter(
          (r) =>
            !used.has(r) &&
            r.location.file === w.file &&
            r.location.line === w.line &&
            (!w.columns || (r.location.column === w.columns[0] && r.location.endColumn === w.columns[1])),
        );
        const where = `${w.file}:${w.line}${w.columns ? `:${w.columns.join('-')}` : ''}`;
        if (w.envs) {
          for (const env of w.envs) {
            const hit = at.find((r) => !used.has(r) && r.environment === env);
            if (hit) used.add(hit);
            else problems.push(`missing ${kind} at ${where} [${env}]`);
          }
        } else {
          // One result per environment at this place (Dockerfile results have none: exactly one).
          const seenEnv = new Set<string | undefined>();
          for (const r of at) {
            if (seenEnv.has(r.environment)) continue;
            seenEnv.add(r.environment);
            used.add(r);
          }
          if (seenEnv.size === 0) problems.push(`missing ${kind} at ${where}`);
        }
      }
      for (const r of got) if (!used.has(r)) problems.push(`unexpected ${fmt(r)}`);
    };
    matchList('fail', fails);
    if (caseName.startsWith('unknown-') || expects.some((e) => e.kind === 'unknown')) matchList('unknown', unknowns);
    for (const e of expects.filter((x) => x.kind === 'evidence')) {
      const pass = results.find((r) => r.status === 'pass' && r.location.file === e.file && r.evidence === e.evidence);
      if (!pass) {
        problems.push(
          `no pass with evidence "${e.evidence}" in ${e.file}; passes: ${results
            .filter((r) => r.status === 'pass')
            .map((r) => JSON.stringify(r.evidence))
            .join(', ')}`,
        );
      }
    }
    if (caseName.startsWith('bad-') && !expects.some((e) => e.kind === 'fail')) problems.push('bad case without `# expect:` marker');
    if (caseName.startsWith('good-') && !results.some((r) => r.status === 'pass')) problems.push('good case produced no pass result');
    if (caseName.startsWith('unknown-') && unknowns.length === 0) problems.push('unknown case produced no unknown result');
    return { problems, results };
  } finally {
    cleanup(dir);
  }
}
