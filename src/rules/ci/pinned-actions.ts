import { FIRST_PARTY_OWNERS } from '../../knowledge/scanners.js';
import type { Project } from '../../model/project.js';
import type { ActionRef, Workflow } from '../../model/workflow.js';
import { provLocation } from '../../parse/workflow.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass } from '../_util.js';
import { dedupe } from './_ci.js';

function judge(wf: Workflow, ref: ActionRef): RawResult | null {
  const target = wf.path;
  const at = provLocation(ref.prov);
  if (ref.kind === 'local') return null;
  if (ref.kind === 'docker') {
    if (ref.refKind === 'digest') return pass(target, at, `\`${ref.raw}\` is pinned by digest`, `\`${ref.name}\` by digest`);
    return fail(
      target,
      at,
      `\`${ref.raw}\` runs a container image by ${ref.ref ? `the mutable tag \`${ref.ref}\`` : 'its default `latest` tag'}: whoever can push that tag runs code in this job with its token and secrets; pin it by digest (\`docker://${ref.name}@sha256:...\`).`,
    );
  }
  if (ref.refKind === 'sha')
    return pass(target, at, `\`${ref.name}\` is pinned to commit ${ref.ref?.slice(0, 7)}`, `\`${ref.name}@${ref.ref?.slice(0, 7)}\``);
  const firstParty = ref.owner !== null && FIRST_PARTY_OWNERS.has(ref.owner);
  const what =
    ref.refKind === 'none'
      ? 'has no `@ref`'
      : ref.refKind === 'branch'
        ? `follows the branch \`${ref.ref}\`: every push to it changes what runs`
        : ref.refKind === 'short-sha'
          ? `uses the short commit \`${ref.ref}\`, which GitHub no longer resolves and which can collide`
          : `uses the tag \`${ref.ref}\`, which its owner can move to other code at any time`;
  const who = firstParty
    ? `\`${ref.name}\` is maintained by ${ref.owner === 'docker' ? 'Docker' : 'GitHub'}, but a tag is still mutable`
    : `whoever controls \`${ref.owner}\` (or steals its credentials) runs code in this job with its token and secrets`;
  const severity = firstParty && ref.refKind === 'version-tag' ? 'low' : 'medium';
  return fail(
    target,
    at,
    `\`${ref.raw}\` ${what}; ${who}. Pin it to a full 40-character commit SHA with the version as a comment (\`${ref.name}@<sha> # ${ref.refKind === 'version-tag' ? ref.ref : '<version>'}\`) and let Dependabot (\`github-actions\`) update it.`,
    severity,
  );
}

function check(project: Project): RawResult[] {
  const out: RawResult[] = [];
  for (const wf of project.workflows) {
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        if (!step.uses) continue;
        const r = judge(wf, step.uses);
        if (r) out.push(r);
      }
    }
    // GitLab includes of other projects and CI/CD components are code the pipeline runs too.
    for (const inc of wf.includes) {
      if (inc.kind !== 'project' && inc.kind !== 'component') continue;
      const at = provLocation(inc.prov);
      if (inc.ref && /^[0-9a-f]{40}$/i.test(inc.ref)) {
        out.push(
          pass(wf.path, at, `\`${inc.value}\` is pinned to commit ${inc.ref.slice(0, 7)}`, `\`${inc.value}@${inc.ref.slice(0, 7)}\``),
        );
        continue;
      }
      out.push(
        fail(
          wf.path,
          at,
          `The include of \`${inc.value}\` ${inc.ref ? `follows \`${inc.ref}\`, which can move` : 'follows the default branch'}: whoever can change it changes what this pipeline runs; pin it to a full commit SHA (\`ref:\` or \`@<sha>\`).`,
          'medium',
        ),
      );
    }
  }
  return dedupe(out);
}

const rule: Rule = {
  meta: {
    id: 'ci/pinned-actions',
    title: 'Third-party actions are pinned to a commit SHA',
    severity: 'medium',
    family: 'ci',
    target: 'workflow',
    env: 'all',
    aliases: [],
    rationale:
      "A `uses: owner/action@master` runs whatever is on that branch when the job starts, with the job's `GITHUB_TOKEN` and every secret it can " +
      'read. Tags are no safer: they can be moved, and attackers who took over popular actions did exactly that to every tag at once. Only a ' +
      'full commit SHA is immutable. A security workflow is where this matters most: `aquasecurity/trivy-action@master` runs with ' +
      "`security-events: write`. Tags of GitHub's and Docker's own actions (`actions/*`, `github/*`, `docker/*`) are a lower risk and reported as low.",
    fix: "Pin every action to a full 40-character commit SHA with the version in a comment (`uses: aquasecurity/trivy-action@<sha> # 0.28.0`), and keep the SHAs current with Dependabot's `github-actions` ecosystem.",
    examples: {
      bad: {
        file: '.github/workflows/ci.yml',
        content:
          "on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aquasecurity/trivy-action@master\n        with:\n          scan-type: fs\n          exit-code: '1'\n",
      },
      good: {
        file: '.github/workflows/ci.yml',
        content:
          "on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aquasecurity/trivy-action@43c984606fd77a84b70fd29dc3af7c2609c8bf6f # 0.28.0\n        with:\n          scan-type: fs\n          exit-code: '1'\n",
      },
    },
  },
  check,
};

export default rule;
