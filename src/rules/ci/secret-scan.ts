import type { Project } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail } from '../_util.js';
import { addScanLoc, noCiPhrase, noWorkflows, passPerTool, repoTarget, scansOf, TESTS_ONLY_WORKFLOW, unreadableNote } from './_ci.js';

function check(project: Project): RawResult[] {
  const scans = scansOf(project, 'secrets');
  if (scans.length) return passPerTool(project, scans, 'looks for committed secrets');
  return [
    fail(
      repoTarget(project),
      addScanLoc(project),
      noWorkflows(project)
        ? `The repository has ${noCiPhrase(project)}, so nothing stops a committed \`.env\`, key or token from reaching the repository history; add a secret scanner (Gitleaks, TruffleHog, detect-secrets) on pushes and pull requests.`
        : `No CI workflow scans for committed secrets (Gitleaks, TruffleHog, detect-secrets)${unreadableNote(project)}, so a key or token pushed by mistake stays in the history unnoticed; add \`gitleaks/gitleaks-action\` (with \`fetch-depth: 0\`) or \`trufflehog git\` to a job that runs on pushes and pull requests.`,
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'ci/secret-scan',
    title: 'A secret scanner runs in CI',
    severity: 'medium',
    family: 'ci',
    target: 'repository',
    env: 'all',
    aliases: [],
    rationale:
      'A secret committed once stays in the git history after it is deleted, and every clone carries it. `.gitignore` and `.dockerignore` keep ' +
      '`.env` files out by convention; a secret scanner in CI (Gitleaks, TruffleHog, detect-secrets) catches the key pasted into a config file or ' +
      'a test, on the pull request, before it is merged and while rotating it is still cheap.',
    fix: 'Add a secret scanning job on pushes and pull requests, e.g. `actions/checkout` with `fetch-depth: 0` followed by `gitleaks/gitleaks-action`, or `trufflehog git file://. --fail`.',
    examples: {
      bad: {
        file: '.github/workflows/ci.yml',
        content: TESTS_ONLY_WORKFLOW,
      },
      good: {
        file: '.github/workflows/ci.yml',
        content:
          'on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  secrets:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n      - uses: gitleaks/gitleaks-action@v2\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n',
      },
    },
  },
  check,
};

export default rule;
