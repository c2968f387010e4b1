/** Helpers shared by the ci/ rules: where absence findings point, evidence rows, notes. Pure. */
import { scanRow } from '../../model/ci.js';
import type { Project } from '../../model/project.js';
import type { ImageCoverage, ToolCategory, ToolUse } from '../../model/workflow.js';
import { provLocation } from '../../parse/workflow.js';
import type { Location, RawResult } from '../../types.js';
import { loc, pass } from '../_util.js';

/** Rule examples: a CI workflow that runs the tests and no security scan (the "bad" of several ci/ rules). */
export const TESTS_ONLY_WORKFLOW =
  'on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pytest\n';

/** Rule examples: a release workflow that pushes one single-platform, unsigned image. */
export const PLAIN_RELEASE_WORKFLOW =
  'on:\n  push:\n    tags: ["v*"]\npermissions:\n  contents: read\n  packages: write\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: ghcr.io/acme/app:${{ github.ref_name }}\n';

/** The repository itself (root, line 1): where findings about something absent from every workflow point when there is no workflow. */
const REPOSITORY: Location = { file: '', line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Line 1 of a file (lockfiles, manifests). */
export function lineOne(file: string): Location {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/** The target name of repository-wide results. */
export function repoTarget(project: Project): string {
  return project.name;
}

/** Where a missing scan belongs: the `jobs:` key of the workflow that already scans (or the first workflow); the repository without workflows. */
export function addScanLoc(project: Project): Location {
  const wf = project.ci.scans[0]?.workflow ?? project.workflows[0];
  if (!wf) return REPOSITORY;
  return provLocation(wf.jobsProv ?? wf.fileProv);
}

/** Where triggers are written: `on:` (GitHub), the job's key (GitLab, where rules live on the job). */
export function triggersLoc(use: ToolUse): Location {
  if (use.workflow.platform === 'github') return provLocation(use.workflow.onProv ?? use.workflow.fileProv);
  return provLocation(use.job.keyProv);
}

/** ` (ci.yml could not be parsed, so what it runs is not known)` when some workflow file is malformed. */
export function unreadableNote(project: Project): string {
  const u = project.ci.unreadable;
  if (!u.length) return '';
  return ` (${u.map((f) => `\`${f}\``).join(', ')} could not be parsed, so what ${u.length > 1 ? 'they run' : 'it runs'} is not known)`;
}

/** `.github/workflows/ci.yml:12`. */
export function where(l: Location): string {
  return `\`${l.file}:${l.line}\``;
}

/** The distinct tools among `uses`, in order, joined by `, `. */
export function toolNames(uses: ToolUse[]): string {
  return [...new Set(uses.map((u) => u.tool))].join(', ');
}

/** Evidence: the "Tool / Scope / Trigger" row of each tool among `uses` (only the scopes of those uses), joined by `; `. */
export function rowsOf(project: Project, uses: ToolUse[]): string {
  const byTool = new Map<string, ToolUse[]>();
  for (const u of uses) byTool.set(u.tool, [...(byTool.get(u.tool) ?? []), u]);
  return [...byTool.values()].map((us) => scanRow(us, project.ci.images).text).join('; ');
}

/** The final stage's FROM line of a covered Dockerfile (where per-image absence findings point). */
export function imageFromLoc(cov: ImageCoverage): Location {
  return loc(cov.dockerfile.path, cov.dockerfile.from.instr.range);
}

export function baseImageOf(cov: ImageCoverage): string {
  const from = cov.dockerfile.from;
  return from.resolved ?? from.raw;
}

export function noWorkflows(project: Project): boolean {
  return project.workflows.length === 0;
}

/** `the repository has no CI workflow` / `no CI workflow runs ...`. */
export function noCiPhrase(project: Project): string {
  if (noWorkflows(project))
    return project.ci.unreadable.length ? 'no readable CI workflow' : 'no CI workflow (`.github/workflows/*.yml`, `.gitlab-ci.yml`)';
  return `no CI workflow (${project.workflows.map((w) => `\`${w.path}\``).join(', ')})`;
}

export function scansOf(project: Project, category: ToolCategory): ToolUse[] {
  return project.ci.scans.filter((s) => s.category === category);
}

/** The first use of each tool (one result per tool for repository-wide passes). */
function firstPerTool(uses: ToolUse[]): ToolUse[] {
  const seen = new Set<string>();
  const out: ToolUse[] = [];
  for (const u of uses) {
    if (seen.has(u.tool)) continue;
    seen.add(u.tool);
    out.push(u);
  }
  return out;
}

/** One result per (status, place, message): matrix instances of one step report the same thing once. */
export function dedupe(results: RawResult[]): RawResult[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    const l = r.location;
    const key = `${r.status}\0${l.file}\0${l.line}\0${l.column}\0${l.endLine}\0${l.endColumn}\0${r.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One pass per tool among `scans`, at its first use: `<tool> <does> (<where>)`, with the rows of all that tool's uses. */
export function passPerTool(project: Project, scans: ToolUse[], does: string): RawResult[] {
  const target = repoTarget(project);
  return firstPerTool(scans).map((s) =>
    pass(
      target,
      s.location,
      `${s.tool} ${does} (${where(s.location)})`,
      rowsOf(
        project,
        scans.filter((x) => x.tool === s.tool),
      ),
    ),
  );
}
