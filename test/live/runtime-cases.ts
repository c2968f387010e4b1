/**
 * Runtime rule cases: `test/fixtures/runtime/<rule name>/<case>.json` (format in test/live/recording.ts
 * and test/fixtures/runtime/README.md). A case replays recorded Engine API answers through the real
 * client and snapshot code, runs one rule, and compares every result with the expectations (rule id,
 * container, status, location, severity, evidence; never message text).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { discover } from '../../src/discover/index.js';
import { EngineClient } from '../../src/live/engine.js';
import type { LiveContext, LiveSnapshot, SignalProbe } from '../../src/live/model.js';
import { takeSnapshot } from '../../src/live/snapshot.js';
import { buildProject } from '../../src/model/build.js';
import type { Project } from '../../src/model/project.js';
import { RUNTIME_RULES_BY_ID } from '../../src/rules/runtime/index.js';
import type { RawResult } from '../../src/types.js';
import { loadCase, ReplayTransport, RUNTIME_FIXTURES, type RuntimeCase } from './recording.js';

/** Case files of a runtime rule (`runtime/non-root` → its folder's `*.json`). */
export function runtimeCasesOf(ruleId: string): string[] {
  const dir = join(RUNTIME_FIXTURES, ruleId.slice(ruleId.indexOf('/') + 1));
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

const projects = new Map<string, Promise<Project>>();

/** The static model of a fixture repository (built once per run). */
export function fixtureProject(rel: string): Promise<Project> {
  let p = projects.get(rel);
  if (!p) {
    p = discover(join(RUNTIME_FIXTURES, rel)).then((d) => buildProject(d, rel));
    projects.set(rel, p);
  }
  return p;
}

/** The snapshot a case's recording yields (through the real client and snapshot code). */
export async function snapshotOfCase(file: string): Promise<{ snapshot: LiveSnapshot; case: RuntimeCase; transport: ReplayTransport }> {
  const { case: c, recording, project } = loadCase(file);
  const transport = new ReplayTransport(recording);
  const snapshot = await takeSnapshot(new EngineClient(transport), { project, now: () => new Date('2026-11-29T05:00:00Z') });
  if (c.probes) snapshot.probes = c.probes as SignalProbe[];
  return { snapshot, case: c, transport };
}

export async function contextOfCase(file: string): Promise<{ ctx: LiveContext; case: RuntimeCase }> {
  const { snapshot, case: c } = await snapshotOfCase(file);
  const repo = c.repo === undefined ? 'repo' : c.repo;
  const project = repo === null ? null : await fixtureProject(repo);
  return { ctx: { snapshot, project }, case: c };
}

/** Runs a case; returns the mismatches (empty = ok) and the results. */
export async function checkRuntimeCase(ruleId: string, file: string): Promise<{ problems: string[]; results: RawResult[] }> {
  const rule = RUNTIME_RULES_BY_ID.get(ruleId);
  if (!rule) throw new Error(`no runtime rule ${ruleId}`);
  const { ctx, case: c } = await contextOfCase(file);
  const results = rule.check(ctx);
  const problems: string[] = [];
  const used = new Set<RawResult>();
  for (const e of c.expect) {
    const r = results.find((x) => !used.has(x) && x.target === e.container && x.status === e.status);
    if (!r) {
      const got = results.filter((x) => x.target === e.container).map((x) => x.status);
      problems.push(`expected ${e.status} for ${e.container}, got ${got.length ? got.join(', ') : 'nothing'}`);
      continue;
    }
    used.add(r);
    const sev = r.severity ?? rule.meta.severity;
    if (e.severity !== undefined && r.status === 'fail' && sev !== e.severity)
      problems.push(`${e.container}: severity ${sev}, expected ${e.severity}`);
    if (e.severity === undefined && r.status === 'fail' && r.severity !== undefined && r.severity !== rule.meta.severity) {
      problems.push(`${e.container}: severity ${r.severity} differs from the rule's ${rule.meta.severity}; say so in the case`);
    }
    if (e.file !== undefined && r.location.file !== e.file)
      problems.push(`${e.container}: file '${r.location.file}', expected '${e.file}'`);
    if (e.line !== undefined && r.location.line !== e.line) problems.push(`${e.container}: line ${r.location.line}, expected ${e.line}`);
    if (e.evidence !== undefined && !(r.evidence ?? '').includes(e.evidence))
      problems.push(`${e.container}: evidence ${JSON.stringify(r.evidence)} lacks ${JSON.stringify(e.evidence)}`);
    if (r.status === 'pass' && !r.evidence) problems.push(`${e.container}: a pass without evidence`);
  }
  for (const r of results) if (!used.has(r)) problems.push(`unexpected ${r.status} for ${r.target}: ${r.message}`);
  return { problems, results };
}
