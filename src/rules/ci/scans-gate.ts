import type { Project } from '../../model/project.js';
import type { ToolUse } from '../../model/workflow.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass, unknown } from '../_util.js';
import { addScanLoc, dedupe, noCiPhrase, noWorkflows, repoTarget, unreadableNote } from './_ci.js';

const KIND: Record<string, string> = {
  image: 'image scan',
  dependencies: 'dependency audit',
  sast: 'static analysis',
  secrets: 'secret scan',
  iac: 'configuration scan',
};

function label(s: ToolUse): string {
  return `${s.tool} (${KIND[s.category] ?? 'scan'} in job \`${s.job.id}\`)`;
}

function check(project: Project): RawResult[] {
  const out: RawResult[] = [];
  for (const s of project.ci.scans) {
    const target = `${s.workflow.path}#${s.job.id}`;
    const g = s.gate;
    if (g.status === 'cannot-fail') {
      for (const d of g.disabledBy) {
        out.push(
          fail(
            target,
            d.location,
            `${label(s)} can never fail the build: ${d.what}, so its findings are printed and ignored and the build goes green with known vulnerabilities; ${d.fix} so the scan blocks the merge.`,
          ),
        );
      }
      continue;
    }
    if (g.status === 'unknown') {
      out.push(unknown(target, s.location, `Whether ${label(s)} can fail the build is decided at run time: ${g.note}.`));
      continue;
    }
    const evidence = g.status === 'reported' ? `${s.tool}: ${g.note}` : `${s.tool}: ${g.note || 'exits non-zero on findings'}`;
    out.push(pass(target, s.location, `${label(s)} can fail the build (${g.note || 'exits non-zero on findings'})`, evidence));
  }
  if (out.length) return dedupe(out);
  return [
    fail(
      repoTarget(project),
      addScanLoc(project),
      noWorkflows(project)
        ? `The repository has ${noCiPhrase(project)}, so no scan can fail a build; add scans that exit non-zero on findings (e.g. Trivy with \`exit-code: '1'\`).`
        : `No CI workflow runs a security scan${unreadableNote(project)}, so nothing can fail the build on a known vulnerability; add scans that exit non-zero on findings.`,
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'ci/scans-gate',
    title: 'Scans can fail the build',
    severity: 'medium',
    family: 'ci',
    target: 'workflow',
    env: 'all',
    aliases: [],
    rationale:
      'A scan that cannot fail is a log nobody reads: the build stays green with a critical CVE in it. The usual ways a gate is switched off ' +
      'are easy to miss in review: `continue-on-error: true` on the step or job, `|| true` after the command, piping it into `tee` without ' +
      "`pipefail`, `exit-code: '0'` (which is also trivy-action's default: without `exit-code: '1'` it never fails), `--exit-zero`, " +
      '`-no-fail`, GitLab `allow_failure: true`. Findings that go to a review surface are gated there instead: CodeQL, a scan whose SARIF ' +
      "file is the one uploaded with `github/codeql-action/upload-sarif` (code scanning's pull request check fails on new alerts), and GitLab's " +
      'security templates (security reports and merge request approval policies). The upload counts for a scan only when its `sarif_file` is ' +
      "that scan's file, a folder holding it, or `steps.<scan id>.outputs.*`, compared as normalised paths; a report named `*.sarif` but " +
      "written in another format (`format: table`) is not SARIF. When the uploaded path or the scan's file is only known at run time, a scan " +
      'that could not fail otherwise is unknown, not gated.',
    fix: "Let the scanner fail the step on findings: remove `continue-on-error`/`allow_failure` and `|| true`, set `exit-code: '1'` (trivy-action, `trivy --exit-code 1`), `--fail-on high` (grype), `--error` (semgrep scan); tune what fails with a severity threshold or an ignore file instead.",
    examples: {
      bad: {
        file: '.github/workflows/ci.yml',
        content:
          'on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  audit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: npm audit\n        working-directory: frontend\n        run: npm audit --audit-level=high\n        continue-on-error: true\n',
        extraFiles: { 'frontend/package-lock.json': '{}\n' },
      },
      good: {
        file: '.github/workflows/ci.yml',
        content:
          'on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  audit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: npm audit\n        working-directory: frontend\n        run: npm audit --audit-level=high\n',
        extraFiles: { 'frontend/package-lock.json': '{}\n' },
      },
    },
  },
  check,
};

export default rule;
