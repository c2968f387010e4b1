import { triggerWords } from '../../model/ci.js';
import type { Project } from '../../model/project.js';
import type { ToolCategory, ToolUse } from '../../model/workflow.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass, unknown } from '../_util.js';
import { addScanLoc, noCiPhrase, noWorkflows, repoTarget, toolNames, triggersLoc, unreadableNote } from './_ci.js';

const CATEGORIES: { category: ToolCategory; label: string }[] = [
  { category: 'image', label: 'Image scans' },
  { category: 'dependencies', label: 'Dependency audits' },
  { category: 'sast', label: 'Static analysis' },
  { category: 'secrets', label: 'Secret scans' },
];

function judge(project: Project, category: ToolCategory, label: string, uses: ToolUse[]): RawResult {
  const target = `${repoTarget(project)} (${category})`;
  const triggers = uses.flatMap((u) => u.triggers);
  // GitLab branch pipelines run for every push to a merge request's branch.
  const push = triggers.some((t) => t.kind === 'push');
  const pr =
    triggers.some((t) => t.kind === 'pr') ||
    uses.some((u) => u.workflow.platform === 'gitlab' && u.triggers.some((t) => t.kind === 'push'));
  const schedule = triggers.some((t) => t.kind === 'schedule' && !t.unconfirmed);
  const maybeSchedule = triggers.some((t) => t.kind === 'schedule' && t.unconfirmed);
  const words = triggerWords(triggers);
  const runsOn = words.length ? words.join(', ') : 'no trigger';
  // Point at the triggers of the workflow whose scans lack the most: its `on:`, or the `if:` that narrows them (GitHub),
  // or the job, whose `rules:`/`only:` decide them (GitLab).
  const u = uses.find((x) => !x.triggers.some((t) => t.kind === 'push') || !x.triggers.some((t) => t.kind === 'pr')) ?? uses[0];
  const gitlab = u.workflow.platform === 'gitlab';
  // Whether the `if:` is what keeps the scan off these events: the workflow itself runs on them.
  const byIf = (kinds: string[]) => !!u.narrowedBy && kinds.every((k) => u.workflow.triggers.some((t) => t.kind === k));
  const at = (kinds: string[]) => (!gitlab && byIf(kinds) && u.narrowedBy ? u.narrowedBy.location : triggersLoc(u));
  const GITLAB_SOURCE: Record<string, string> = { push: 'push', pr: 'merge_request_event', schedule: 'schedule' };
  const fixFor = (kinds: string[], onWords: string): string => {
    if (gitlab) {
      const rules = kinds.map((k) => `\`- if: $CI_PIPELINE_SOURCE == "${GITLAB_SOURCE[k]}"\``).join(' and ');
      const schedule = kinds.includes('schedule') ? ' with a pipeline schedule (CI/CD → Schedules) to run it' : '';
      return `add ${rules} to job \`${u.job.id}\`'s \`rules:\` (or the source to its \`only:\`), and to \`workflow:rules\` if the pipeline itself does not run then${schedule}`;
    }
    if (byIf(kinds) && u.narrowedBy)
      return `${u.narrowedBy.what} keeps the scan off ${onWords} although the workflow runs on them; widen that condition or drop it`;
    return `add ${onWords === 'a schedule' ? "`schedule: [{cron: '0 6 * * 1'}]`" : `\`${kinds.includes('pr') ? 'pull_request' : 'push'}\``} to the workflow's \`on:\`${onWords === 'a schedule' ? ' (weekly)' : ''}`;
  };
  const missing: string[] = [];
  const kinds: string[] = [];
  if (!push) {
    missing.push('pushes');
    kinds.push('push');
  }
  if (!pr) {
    missing.push('pull requests');
    kinds.push('pr');
  }
  if (missing.length) {
    return fail(
      target,
      at(kinds),
      `${label} (${toolNames(uses)}) run on ${runsOn} but not on ${missing.join(' or ')}: ${!pr ? 'a vulnerable change is only found after it is merged' : 'the main branch is not re-checked after merges'}; ${fixFor(kinds, missing.join(' and '))}.`,
    );
  }
  if (category === 'image' && !schedule) {
    if (maybeSchedule) {
      return unknown(
        target,
        at([]),
        `${label} (${toolNames(uses)}) run on ${runsOn}; they could run in a scheduled pipeline, but GitLab pipeline schedules are set in the project settings, not in \`.gitlab-ci.yml\`, so whether one exists is not known.`,
      );
    }
    return fail(
      target,
      at(['schedule']),
      `${label} (${toolNames(uses)}) run on ${runsOn} but on no schedule: new CVEs are published for base images and packages that did not change, and nothing rescans them until the next commit; ${fixFor(['schedule'], 'a schedule')}.`,
    );
  }
  return pass(target, at([]), `${label} (${toolNames(uses)}) run on ${runsOn}`, runsOn);
}

function check(project: Project): RawResult[] {
  const out: RawResult[] = [];
  for (const { category, label } of CATEGORIES) {
    const uses = project.ci.scans.filter((s) => s.category === category);
    if (uses.length) out.push(judge(project, category, label, uses));
  }
  if (out.length) return out;
  return [
    fail(
      repoTarget(project),
      addScanLoc(project),
      noWorkflows(project)
        ? `The repository has ${noCiPhrase(project)}, so no security scan runs on pushes, pull requests or a schedule; add a workflow with image, dependency, static analysis and secret scans.`
        : `No CI workflow runs a security scan${unreadableNote(project)}, so nothing is checked on pushes, pull requests or a schedule; add image, dependency, static analysis and secret scans.`,
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'ci/scan-triggers',
    title: 'Scans run on pushes, pull requests and (images) a schedule',
    severity: 'low',
    family: 'ci',
    target: 'repository',
    env: 'all',
    aliases: [],
    rationale:
      'A scan on pull requests stops a vulnerable change before it is merged; a scan on pushes re-checks the main branch after merges. Images ' +
      'need a schedule as well: CVEs are published every day for base images and packages that did not change, and a scan that only runs when ' +
      'code changes never sees them. The reference runs its scans on "Push, PR, weekly". A job\'s or a step\'s `if:` on ' +
      "`github.event_name` (`== 'schedule'`, `!= 'pull_request'`, `contains(fromJSON('[...]'), github.event_name)`) narrows the events a " +
      "scan runs on; a condition on anything else (the matrix, a negated group) keeps the workflow's triggers.",
    fix:
      "Trigger the security workflow with `on: push`, `pull_request` and, for image scans, `schedule: - cron: '0 6 * * 1'` (weekly); when a job's or step's `if:` " +
      'keeps a scan off them, widen that condition. On GitLab, let the job run for `push`, `merge_request_event` and `schedule` pipeline sources ' +
      '(its `rules:`/`only:`, and `workflow:rules`), with a pipeline schedule in the project settings.',
    examples: {
      bad: {
        file: '.github/workflows/ci.yml',
        content:
          "on:\n  push:\n    branches: [main]\npermissions:\n  contents: read\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker build -t app:ci .\n      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          image-ref: app:ci\n          exit-code: '1'\n",
        extraFiles: { Dockerfile: 'FROM python:3.12-slim\n' },
      },
      good: {
        file: '.github/workflows/ci.yml',
        content:
          "on:\n  push:\n    branches: [main]\n  pull_request:\n  schedule:\n    - cron: '0 6 * * 1'\npermissions:\n  contents: read\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker build -t app:ci .\n      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          image-ref: app:ci\n          exit-code: '1'\n",
        extraFiles: { Dockerfile: 'FROM python:3.12-slim\n' },
      },
    },
  },
  check,
};

export default rule;
