import type { Project } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail } from '../_util.js';
import { addScanLoc, noCiPhrase, noWorkflows, passPerTool, repoTarget, scansOf, TESTS_ONLY_WORKFLOW, unreadableNote } from './_ci.js';

function check(project: Project): RawResult[] {
  const scans = scansOf(project, 'sast');
  if (scans.length) return passPerTool(project, scans, 'analyses the code');
  return [
    fail(
      repoTarget(project),
      addScanLoc(project),
      noWorkflows(project)
        ? `The repository has ${noCiPhrase(project)}, so no static analysis looks for injection, unsafe deserialisation or hard-coded credentials in the code; add CodeQL (\`github/codeql-action\`), Semgrep or a language analyser (Bandit, gosec) on pushes and pull requests.`
        : `No CI workflow runs static analysis (CodeQL, Semgrep, Bandit, gosec, ...)${unreadableNote(project)}, so injection, unsafe deserialisation or hard-coded credentials reach the main branch unreviewed by a tool; add \`github/codeql-action/init\` + \`analyze\`, \`semgrep ci\` or a language analyser to a job that runs on pull requests.`,
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'ci/sast',
    title: 'Static analysis runs in CI',
    severity: 'low',
    family: 'ci',
    target: 'repository',
    env: 'all',
    aliases: [],
    rationale:
      'A hardened container still runs the application inside it. Static application security testing (CodeQL, Semgrep, Bandit for Python, ' +
      'gosec for Go) catches injection, unsafe deserialisation, weak crypto and hard-coded credentials in the code before it is merged, where ' +
      'they are cheapest to fix. Run in CI on pull requests, it reviews every change the same way.',
    fix: 'Add a static analysis job on pushes and pull requests: `github/codeql-action/init` + `github/codeql-action/analyze` (with `security-events: write`), `semgrep ci`, or `bandit -r <package>` for Python.',
    examples: {
      bad: {
        file: '.github/workflows/ci.yml',
        content: TESTS_ONLY_WORKFLOW,
      },
      good: {
        file: '.github/workflows/ci.yml',
        content:
          'on: [push, pull_request]\npermissions:\n  contents: read\n  security-events: write\njobs:\n  codeql:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: github/codeql-action/init@v3\n        with:\n          languages: python\n      - uses: github/codeql-action/analyze@v3\n',
      },
    },
  },
  check,
};

export default rule;
