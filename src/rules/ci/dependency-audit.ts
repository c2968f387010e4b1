import { AUDIT_HINT } from '../../knowledge/scanners.js';
import type { Project } from '../../model/project.js';
import type { ManifestCoverage } from '../../model/workflow.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass, unknown } from '../_util.js';
import { lineOne, noCiPhrase, noWorkflows, rowsOf, toolNames, unreadableNote, where } from './_ci.js';

function check(project: Project, m: ManifestCoverage): RawResult {
  const at = lineOne(m.path);
  if (m.scans.length) {
    const first = m.scans[0];
    return pass(
      m.path,
      first.location,
      `\`${m.path}\` (${m.ecosystem}, ${m.manager}) is audited by ${toolNames(m.scans)} (${where(first.location)})`,
      rowsOf(project, m.scans),
    );
  }
  if (m.unknownReason) return unknown(m.path, at, `Whether \`${m.path}\` is audited is not known before the run: ${m.unknownReason}.`);
  const hint = AUDIT_HINT[m.manager].replace('<file>', m.path);
  return fail(
    m.path,
    at,
    noWorkflows(project)
      ? `The repository has ${noCiPhrase(project)}, so the ${m.ecosystem} dependencies in \`${m.path}\` are never checked for known vulnerabilities; run ${hint} (or \`osv-scanner\`, \`trivy fs\`) in CI on pushes and pull requests.`
      : `No CI workflow audits the ${m.ecosystem} dependencies in \`${m.path}\` (${m.manager})${unreadableNote(project)}, so a vulnerable package version ships unnoticed; run ${hint} (or \`osv-scanner\`, \`trivy fs\`) in CI on pushes and pull requests.`,
  );
}

const rule: Rule = {
  meta: {
    id: 'ci/dependency-audit',
    title: "Every ecosystem's dependencies are audited in CI",
    severity: 'medium',
    family: 'ci',
    target: 'repository',
    env: 'all',
    aliases: [],
    rationale:
      'Most vulnerabilities an application ships come from its dependencies, not its own code. An image scan sees only what is installed in ' +
      'the image it scans; a dependency audit in CI (npm audit, pip-audit, Safety, govulncheck, cargo audit, osv-scanner, `trivy fs`) checks ' +
      'every lockfile on every pull request, before the code is merged. Auditing one ecosystem and not another (npm but not pip) leaves the ' +
      'other half of the application unchecked. seaworthy finds every lockfile and manifest (`package-lock.json`, `requirements*.txt`, ' +
      '`poetry.lock`, `go.sum`, `Cargo.lock`, `Gemfile.lock`, `composer.lock`, `pom.xml`, `build.gradle`) and the audits that cover it: the ' +
      'files they name (`pip-audit -r`), the folders they run in (`working-directory`, `cd`), or what the job installed before an environment audit.',
    fix: 'Add an audit for each lockfile to a workflow that runs on pushes and pull requests, e.g. `pip-audit -r backend/requirements.txt`, `npm audit --audit-level=high` with `working-directory: frontend`, or `osv-scanner -r .` for all of them.',
    examples: {
      bad: {
        file: '.github/workflows/ci.yml',
        content:
          'on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  audit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: npm audit\n        working-directory: frontend\n        run: npm audit --audit-level=high\n',
        extraFiles: { 'frontend/package-lock.json': '{}\n', 'backend/requirements.txt': 'fastapi==0.115.0\n' },
      },
      good: {
        file: '.github/workflows/ci.yml',
        content:
          'on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  audit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: npm audit\n        working-directory: frontend\n        run: npm audit --audit-level=high\n      - name: pip-audit\n        run: |\n          pip install pip-audit\n          pip-audit -r backend/requirements.txt\n',
        extraFiles: { 'frontend/package-lock.json': '{}\n', 'backend/requirements.txt': 'fastapi==0.115.0\n' },
      },
    },
  },
  check(project) {
    return project.ci.manifests.map((m) => check(project, m));
  },
};

export default rule;
