import type { Project } from '../../model/project.js';
import type { Permissions, Workflow } from '../../model/workflow.js';
import { provLocation } from '../../parse/workflow.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass } from '../_util.js';
import { TESTS_ONLY_WORKFLOW } from './_ci.js';

function describe(p: Permissions): string {
  if (p.kind === 'none') return '`permissions: {}`';
  if (p.kind === 'read-all') return '`permissions: read-all`';
  if (p.kind === 'expression') return '`permissions:` from an expression';
  const scopes = Object.entries(p.scopes).map(([k, v]) => `${k}: ${v}`);
  return scopes.length ? `\`${scopes.join(', ')}\`` : '`permissions: {}`';
}

function check(wf: Workflow): RawResult[] {
  if (wf.platform !== 'github') return [];
  const target = wf.path;
  const out: RawResult[] = [];
  const writeAll = (p: Permissions, where: string) =>
    fail(
      target,
      provLocation(p.prov),
      `\`permissions: write-all\` ${where} gives the job token write access to code, packages, releases and security alerts; list only the scopes the jobs need, e.g. \`contents: read\` (plus \`security-events: write\` for a SARIF upload).`,
    );
  if (wf.permissions?.kind === 'write-all') out.push(writeAll(wf.permissions, 'at the top of the workflow'));
  for (const job of wf.jobs) if (job.permissions?.kind === 'write-all') out.push(writeAll(job.permissions, `on job \`${job.id}\``));
  if (out.length) return out;
  if (wf.permissions)
    return [
      pass(
        target,
        provLocation(wf.permissions.prov),
        `the workflow token is limited to ${describe(wf.permissions)}`,
        describe(wf.permissions),
      ),
    ];
  // A job that calls a reusable workflow counts too: the called workflow gets the caller's token and can only narrow it.
  const missing = wf.jobs.filter((j) => !j.permissions);
  if (wf.jobs.length && !missing.length) {
    return [pass(target, provLocation(wf.onProv ?? wf.fileProv), 'every job sets `permissions:`', 'every job sets `permissions:`')];
  }
  const jobs = missing.map((j) => `\`${j.id}\``).join(', ');
  return [
    fail(
      target,
      provLocation(wf.onProv ?? wf.fileProv),
      `The workflow sets no \`permissions:\`${wf.jobs.length ? ` and neither ${missing.length > 1 ? 'do jobs' : 'does job'} ${jobs}` : ''}, so the \`GITHUB_TOKEN\` gets the repository's default, which is read-write on older repositories and organisations: a compromised action or dependency can push code or releases; add \`permissions: contents: read\` at the top and grant more per job only where needed.`,
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'ci/least-privilege-token',
    title: 'Workflows limit the GITHUB_TOKEN permissions',
    severity: 'low',
    family: 'ci',
    target: 'workflow',
    env: 'all',
    aliases: [],
    rationale:
      'Every job gets a `GITHUB_TOKEN`. Without a `permissions:` block it gets the repository or organisation default, which is read-write for ' +
      'repositories created before 2023 and many organisations: every action and every dependency installed in the job can then push commits, ' +
      'create releases or change issues. Declaring `permissions: contents: read` at the top and granting more per job (`security-events: write` ' +
      'for a SARIF upload) keeps a compromised step from doing more than reading the code. A job that calls a reusable workflow (`uses:` ' +
      "at job level) needs one too: the called workflow gets the caller's token and can only narrow it, so a caller without `permissions:` " +
      'hands it the default.',
    fix: 'Add `permissions: contents: read` at the top of the workflow, and widen it per job only where needed (e.g. `security-events: write` on the job that uploads SARIF).',
    examples: {
      bad: {
        file: '.github/workflows/ci.yml',
        content:
          'on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pytest\n',
      },
      good: {
        file: '.github/workflows/ci.yml',
        content: TESTS_ONLY_WORKFLOW,
      },
    },
  },
  check(project: Project) {
    return project.workflows.flatMap(check);
  },
};

export default rule;
