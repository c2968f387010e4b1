/** The CI model: workflows parsed once (matrix, placeholders, positions, gates, GitLab rules) and the facts rules and the report read. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import type { Project } from '../../src/model/project.js';
import { initShell } from '../../src/parse/shell.js';
import { cronFrequency, evalGitlabIf, expandMatrix, maskExpressions, parseActionRef } from '../../src/parse/workflow.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { RULES_BY_ID } from '../../src/rules/index.js';
import type { RawResult } from '../../src/types.js';
import { projectOf } from '../harness.js';
import { removeTempRepos, tempRepo } from '../temp-repo.js';

function repo(files: Record<string, string | Buffer>): string {
  return tempRepo(files, 'seaworthy-ci-');
}
afterAll(() => {
  removeTempRepos();
});
beforeAll(async () => {
  await initShell();
});

function run(ruleId: string, project: Project): RawResult[] {
  const rule = RULES_BY_ID.get(ruleId);
  if (!rule) throw new Error(ruleId);
  return rule.check(project);
}

function matrixOf(yaml: string) {
  const y = parseYaml('m.yml', yaml);
  return expandMatrix(y.root ?? undefined);
}

describe('matrix expansion', () => {
  it('expands the product, removes excludes, extends matching combinations with include and adds the rest', () => {
    const m = matrixOf(
      [
        'os: [ubuntu, windows]',
        'node: [20, 22]',
        'exclude:',
        '  - os: windows',
        '    node: 20',
        'include:',
        '  - os: ubuntu',
        '    experimental: true',
        '  - os: macos',
        '    node: 22',
      ].join('\n'),
    );
    expect(m.status).toBe('known');
    expect(m.combinations).toEqual([
      { os: 'ubuntu', node: 20, experimental: true },
      { os: 'ubuntu', node: 22, experimental: true },
      { os: 'windows', node: 22 },
      { os: 'macos', node: 22 },
    ]);
  });

  it('an include-only matrix has one combination per entry', () => {
    expect(matrixOf('include:\n  - context: backend\n  - context: frontend\n').combinations).toEqual([
      { context: 'backend' },
      { context: 'frontend' },
    ]);
  });

  it('a fromJSON matrix, or a dimension computed at run time, is unknown (not guessed)', () => {
    const whole = expandMatrix(parseYaml('m.yml', '${{ fromJSON(needs.setup.outputs.matrix) }}').root ?? undefined);
    expect(whole.status).toBe('unknown');
    expect(whole.combinations).toEqual([]);
    expect(matrixOf('context: ${{ fromJSON(needs.a.outputs.b) }}\n').status).toBe('unknown');
    expect(matrixOf('include: ${{ fromJSON(needs.a.outputs.b) }}\n').status).toBe('unknown');
  });
});

describe('expressions and action references', () => {
  it('replaces ${{ }} with same-length tokens, keeping newlines', () => {
    const text = 'docker build -t app-${{ matrix.context }}:${{github.sha}} .';
    const { masked, exprs } = maskExpressions(text);
    expect(masked.length).toBe(text.length);
    expect(masked).not.toContain('$');
    expect([...exprs.values()]).toEqual(['${{ matrix.context }}', '${{ github.sha }}']);
    const multi = maskExpressions('a ${{ x &&\n y }} b');
    expect(multi.masked.split('\n').length).toBe(2);
  });

  it('classifies refs: full SHA, short SHA, version tag, branch, docker digest, local', () => {
    const p = { file: 'f', range: { line: 1, column: 1, endLine: 1, endColumn: 1 } };
    expect(parseActionRef('actions/checkout@4cb99ebd1939181f32761ab8c294bad61f53154a', p).refKind).toBe('sha');
    expect(parseActionRef('actions/checkout@4cb99eb', p).refKind).toBe('short-sha');
    expect(parseActionRef('actions/checkout@v4', p).refKind).toBe('version-tag');
    expect(parseActionRef('aquasecurity/trivy-action@0.28.0', p).refKind).toBe('version-tag');
    expect(parseActionRef('aquasecurity/trivy-action@master', p)).toMatchObject({
      refKind: 'branch',
      owner: 'aquasecurity',
      name: 'aquasecurity/trivy-action',
    });
    expect(parseActionRef('github/codeql-action/analyze@v3', p)).toMatchObject({ name: 'github/codeql-action/analyze', owner: 'github' });
    expect(parseActionRef('docker://alpine@sha256:abc', p).refKind).toBe('digest');
    expect(parseActionRef('docker://alpine:3.20', p)).toMatchObject({ kind: 'docker', refKind: 'tag', name: 'alpine' });
    expect(parseActionRef('./.github/actions/x', p).kind).toBe('local');
  });

  it('names cron frequencies', () => {
    expect(cronFrequency('0 6 * * 1')).toBe('weekly');
    expect(cronFrequency('0 3 * * *')).toBe('daily');
    expect(cronFrequency('0 0 1 * *')).toBe('monthly');
    expect(cronFrequency('*/15 * * * *')).toBe('more than hourly');
  });
});

describe('GitLab rules', () => {
  it('evaluates `if:` per pipeline source (true, false or undecided)', () => {
    expect(evalGitlabIf('$CI_PIPELINE_SOURCE == "merge_request_event"', 'pr')).toBe(true);
    expect(evalGitlabIf('$CI_PIPELINE_SOURCE == "merge_request_event"', 'push')).toBe(false);
    expect(evalGitlabIf('$CI_COMMIT_BRANCH', 'pr')).toBe(false);
    expect(evalGitlabIf('$CI_COMMIT_BRANCH', 'schedule')).toBe(true);
    expect(evalGitlabIf('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', 'push')).toBe(null);
    expect(evalGitlabIf('$CI_PIPELINE_SOURCE != "schedule" && $CI_COMMIT_TAG == null', 'push')).toBe(true);
    expect(evalGitlabIf('$CI_PIPELINE_SOURCE =~ /^(push|web)$/', 'manual')).toBe(true);
    expect(evalGitlabIf('($CI_MERGE_REQUEST_IID || $CI_COMMIT_TAG)', 'tag')).toBe(true);
  });

  it('jobs get triggers from rules, only/except and when: manual; extends and !reference are resolved', async () => {
    const dir = repo({
      '.gitlab-ci.yml': [
        '.scan:',
        '  image: aquasec/trivy:0.56.0',
        '  allow_failure: true',
        '.common:',
        '  before_script:',
        '    - cd app',
        'mr-only:',
        '  extends: .scan',
        '  before_script:',
        '    - !reference [.common, before_script]',
        '  script:',
        '    - trivy fs --exit-code 1 .',
        '  rules:',
        '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
        'nightly:',
        '  script: [trivy image --exit-code 1 app:latest]',
        '  only: [schedules]',
        'button:',
        '  script: [gitleaks detect]',
        '  when: manual',
      ].join('\n'),
    });
    const p = await projectOf(dir);
    const [wf] = p.workflows;
    const job = (id: string) => wf.jobs.find((j) => j.id === id);
    expect(job('mr-only')?.triggers.map((t) => t.kind)).toEqual(['pr']);
    expect(job('mr-only')?.extends).toEqual(['.scan']);
    expect(job('mr-only')?.allowFailure?.value).toBe(true);
    expect(job('nightly')?.triggers.map((t) => [t.kind, t.unconfirmed ?? false])).toEqual([['schedule', false]]);
    expect(job('button')?.triggers.every((t) => t.kind === 'manual')).toBe(true);
    const fs = p.ci.scans.find((s) => s.job.id === 'mr-only');
    expect(fs?.paths).toEqual([{ path: 'app', recursive: true }]);
    expect(fs?.gate.status).toBe('cannot-fail');
  });
});

describe('GitHub workflows in the model', () => {
  it('substitutes matrix values per instance, keeps positions exact in block scalars, follows cd and working-directory', async () => {
    const workflow = [
      'on: push', // 1
      'jobs:', // 2
      '  build:', // 3
      '    runs-on: ubuntu-latest', // 4
      '    strategy:', // 5
      '      matrix:', // 6
      '        svc: [api, web]', // 7
      '    defaults:', // 8
      '      run:', // 9
      '        working-directory: services', // 10
      '    steps:', // 11
      '      - run: |', // 12
      '          cd ${{ matrix.svc }}', // 13
      '          docker build -t acme/${{ matrix.svc }}:${{ github.sha }} .', // 14
      '          trivy image --exit-code 1 acme/${{ matrix.svc }}:${{ github.sha }} | tee out.txt', // 15
    ].join('\n');
    const dir = repo({
      '.github/workflows/ci.yml': workflow,
      'services/api/Dockerfile': 'FROM alpine:3.20\n',
      'services/web/Dockerfile': 'FROM alpine:3.20\n',
    });
    const p = await projectOf(dir);
    expect(p.errors).toEqual([]);
    const [job] = p.workflows[0].jobs;
    expect(job.instances.map((i) => i.label)).toEqual(['svc=api', 'svc=web']);
    const cmds = job.instances[1].steps[0].commands;
    const build = cmds.find((c) => c.name === 'docker');
    expect(build?.args).toEqual(['build', '-t', 'acme/web:${{ github.sha }}', '.']);
    expect(build?.cwd).toBe('services/web');
    expect(build?.cmd.range).toEqual({ line: 14, column: 11, endLine: 14, endColumn: 69 });
    const trivy = cmds.find((c) => c.name === 'trivy');
    expect(trivy?.swallowed?.what).toContain('piped into `tee`');
    expect(trivy?.swallowed?.location).toMatchObject({ line: 15, column: 80 });
    expect(p.ci.builds.map((b) => b.dockerfile)).toEqual(['services/api/Dockerfile', 'services/web/Dockerfile']);
    expect(p.ci.images.map((i) => [i.name, i.status])).toEqual([
      ['services/api', 'scanned'],
      ['services/web', 'scanned'],
    ]);
  });

  it('recognises tools behind wrappers and containers, with their gates', async () => {
    const dir = repo({
      '.github/workflows/ci.yml': [
        'on: [push, pull_request]',
        'jobs:',
        '  scan:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: python3 -m pip_audit -r requirements.txt',
        '      - run: npx --yes snyk@latest test --all-projects',
        '      - run: poetry run bandit -r src',
        '      - run: docker run --rm -v "$PWD:/src" -w /src aquasec/trivy:0.56.0 fs --exit-code 0 .',
        '      - run: go run golang.org/x/vuln/cmd/govulncheck@latest -json ./...',
        '      - uses: docker/scout-action@v1',
        '        with:',
        '          command: cves',
        '          image: app:ci',
        '      - uses: anchore/scan-action@v4',
        '        with:',
        '          image: app:ci',
        '          fail-build: false',
      ].join('\n'),
      'requirements.txt': 'flask\n',
    });
    const p = await projectOf(dir);
    const got = p.ci.scans.map((s) => [s.tool, s.category, s.gate.status]);
    expect(got).toEqual([
      ['pip-audit', 'dependencies', 'can-fail'],
      ['Snyk', 'dependencies', 'can-fail'],
      ['Bandit', 'sast', 'can-fail'],
      ['Trivy', 'dependencies', 'cannot-fail'],
      ['govulncheck', 'dependencies', 'cannot-fail'],
      ['Docker Scout', 'image', 'cannot-fail'],
      ['Grype', 'image', 'cannot-fail'],
    ]);
    expect(p.ci.scans[3].paths).toEqual([{ path: '', recursive: true }]);
    expect(p.ci.scans[1].paths).toEqual([{ path: '', recursive: true }]);
    expect(p.ci.scans[6].gate.disabledBy[0]).toMatchObject({ what: '`fail-build: false`', location: { line: 18 } });
  });

  it('links a reusable workflow to the triggers of its callers', async () => {
    const dir = repo({
      '.github/workflows/ci.yml':
        "on:\n  pull_request:\n  schedule:\n    - cron: '0 1 * * 1'\njobs:\n  s:\n    uses: ./.github/workflows/scan.yml\n",
      '.github/workflows/scan.yml':
        'on: workflow_call\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gitleaks detect\n',
    });
    const p = await projectOf(dir);
    expect(p.ci.table.map((r) => r.text)).toEqual(['Gitleaks · secrets in the repository · PR, weekly, reusable']);
  });
});

describe('malformed workflows and repositories without CI', () => {
  it('reports malformed workflow YAML with file and line, and still checks the rest', async () => {
    const dir = repo({
      '.github/workflows/broken.yml': 'on: push\njobs:\n  a:\n    steps:\n      - run: echo\n     bad: [\n',
      '.github/workflows/ok.yml':
        'on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t app:ci .\n      - run: trivy image --exit-code 1 app:ci\n',
      Dockerfile: 'FROM python:3.12-slim\n',
      'worker/Dockerfile': 'FROM python:3.12-slim\n',
    });
    const p = await projectOf(dir);
    expect(p.errors.some((e) => e.file === '.github/workflows/broken.yml' && typeof e.line === 'number' && e.line >= 5)).toBe(true);
    expect(p.ci.unreadable).toEqual(['.github/workflows/broken.yml']);
    expect(p.workflows.map((w) => w.path)).toEqual(['.github/workflows/ok.yml']);
    const res = run('ci/image-scan', p);
    expect(res.map((r) => [r.target, r.status])).toEqual([
      ['Dockerfile', 'pass'],
      ['worker/Dockerfile', 'fail'],
    ]);
    expect(res[1].message).toContain('`.github/workflows/broken.yml` could not be parsed');
  });

  it('the check pipeline reports the malformed file as an error (exit 2) and keeps every other result', async () => {
    const dir = repo({
      '.github/workflows/broken.yml': 'on: [push\n',
      Dockerfile: 'FROM python:3.12-slim\nUSER 1000\nCMD ["python"]\n',
    });
    const { report } = await check(dir, { today: '2025-01-01' });
    expect(report.errors).toContainEqual(expect.objectContaining({ file: '.github/workflows/broken.yml', line: expect.any(Number) }));
    const ids = new Set(report.results.map((r) => r.ruleId));
    expect(ids.has('ci/image-scan')).toBe(true);
    expect(ids.has('dockerfile/non-root-user')).toBe(true);
  });

  it('without any workflow: absence rules fail (repository root for sast/secret-scan); pinned-actions and least-privilege-token say nothing', async () => {
    const dir = repo({ Dockerfile: 'FROM python:3.12-slim\n', 'requirements.txt': 'flask\n' });
    const p = await projectOf(dir);
    const at = (id: string) => run(id, p).map((r) => [r.status, r.location.file, r.location.line]);
    expect(at('ci/image-scan')).toEqual([['fail', 'Dockerfile', 1]]);
    expect(at('ci/dependency-audit')).toEqual([['fail', 'requirements.txt', 1]]);
    expect(at('ci/sast')).toEqual([['fail', '', 1]]);
    expect(at('ci/secret-scan')).toEqual([['fail', '', 1]]);
    expect(at('ci/scan-triggers')).toEqual([['fail', '', 1]]);
    expect(at('ci/scans-gate')).toEqual([['fail', '', 1]]);
    expect(at('ci/base-image-updates')).toEqual([['fail', 'Dockerfile', 1]]);
    expect(at('ci/image-signing')).toEqual([['fail', 'Dockerfile', 1]]);
    expect(at('ci/multi-arch')).toEqual([['fail', 'Dockerfile', 1]]);
    expect(run('ci/pinned-actions', p)).toEqual([]);
    expect(run('ci/least-privilege-token', p)).toEqual([]);
  });
});

describe('the examples', () => {
  it('hardened: the Tool / Scope / Trigger table the reference document shows', async () => {
    const p = await projectOf(join(import.meta.dirname, '../../examples/hardened'));
    expect(p.ci.table.map((r) => r.text)).toEqual([
      'Trivy · container images backend, frontend, worker, nginx; filesystem · push, PR, weekly, manual',
      'pip-audit · Python dependencies · push, PR, weekly, manual',
      'Safety · Python dependencies · push, PR, weekly, manual',
      'npm audit · Node.js dependencies · push, PR, weekly, manual',
      'CodeQL · static analysis (python, javascript-typescript) · push, PR, weekly, manual',
      'Semgrep · security rules · push, PR, weekly, manual',
      'Bandit · Python security · push, PR, weekly, manual',
      'Gitleaks · secrets in the repository · push, PR, weekly, manual',
    ]);
    for (const id of [
      'ci/image-scan',
      'ci/dependency-audit',
      'ci/sast',
      'ci/secret-scan',
      'ci/scan-triggers',
      'ci/scans-gate',
      'ci/pinned-actions',
      'ci/least-privilege-token',
      'ci/base-image-updates',
    ]) {
      expect(
        run(id, p).filter((r) => r.status !== 'pass'),
        id,
      ).toEqual([]);
    }
  });

  it('leaky: every CI mistake its README lists', async () => {
    const p = await projectOf(join(import.meta.dirname, '../../examples/leaky'));
    const fails = (id: string) =>
      run(id, p)
        .filter((r) => r.status === 'fail')
        .map((r) => `${r.location.file}:${r.location.line}`);
    expect(fails('ci/image-scan')).toEqual(['backend/Dockerfile.worker:4']);
    expect(fails('ci/dependency-audit')).toEqual(['backend/requirements-worker.txt:1', 'backend/requirements.txt:1']);
    expect(fails('ci/scans-gate')).toHaveLength(2);
    expect(fails('ci/pinned-actions')).toContain('.github/workflows/ci.yml:38');
    expect(run('ci/pinned-actions', p).find((r) => r.location.line === 38)?.severity).toBe('medium');
    expect(fails('ci/least-privilege-token')).toHaveLength(1);
    expect(fails('ci/scan-triggers')).toHaveLength(1);
    expect(fails('ci/sast')).toHaveLength(1);
    expect(fails('ci/secret-scan')).toHaveLength(1);
    expect(fails('ci/base-image-updates')).toHaveLength(3);
  });
});

describe('image references known only at run time', () => {
  it('follows docker/metadata-action tags, and a job that builds one image and scans a run-time reference', async () => {
    const dir = repo({
      '.github/workflows/ci.yml': [
        'on: [push, pull_request]',
        'env:',
        '  REGISTRY: ghcr.io',
        '  IMAGE_NAME: ${{ github.repository }}',
        'jobs:',
        '  meta:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: meta',
        '        uses: docker/metadata-action@v5',
        '        with:',
        '          images: ${{ env.REGISTRY }}/${{ env.IMAGE_NAME }}',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          context: api',
        '          push: true',
        '          tags: ${{ steps.meta.outputs.tags }}',
        '      - uses: aquasecurity/trivy-action@0.28.0',
        '        with:',
        '          image-ref: ${{ env.REGISTRY }}/${{ env.IMAGE_NAME }}:${{ steps.meta.outputs.version }}',
        "          exit-code: '1'",
        '  sole:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: docker build -t "$(cat image-name)" web',
        '      - run: trivy image --exit-code 1 "${{ needs.x.outputs.image }}"',
      ].join('\n'),
      'api/Dockerfile': 'FROM alpine:3.20\n',
      'web/Dockerfile': 'FROM alpine:3.20\n',
      'other/Dockerfile': 'FROM alpine:3.20\n',
    });
    const p = await projectOf(dir);
    expect(p.ci.builds[0].tags.map((t) => t.value)).toEqual(['ghcr.io/${{ github.repository }}:${{ steps.meta.outputs.version }}']);
    expect(p.ci.images.map((i) => [i.name, i.status])).toEqual([
      ['api', 'scanned'],
      ['other', 'missing'],
      ['web', 'scanned'],
    ]);
  });
});

describe('inline ignores in workflow files', () => {
  it('`# seaworthy-ignore <rule> -- reason` above a step waives the finding there', async () => {
    const dir = repo({
      '.github/workflows/ci.yml': [
        'on: [push, pull_request]',
        'permissions:',
        '  contents: read',
        'jobs:',
        '  scan:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      # seaworthy-ignore ci/pinned-actions -- internal mirror, tags are immutable there',
        '      - uses: acme/scan-action@v1',
        '      - uses: acme/other-action@v1',
      ].join('\n'),
    });
    const { report } = await check(dir, { today: '2025-01-01' });
    const pinned = report.results.filter((r) => r.ruleId === 'ci/pinned-actions').map((r) => [r.location.line, r.status]);
    expect(pinned).toEqual([
      [9, 'waived'],
      [10, 'fail'],
    ]);
  });
});

describe('PowerShell steps', () => {
  it('are read for the tools they run; only the last command decides the step', async () => {
    const dir = repo({
      '.github/workflows/ci.yml': [
        'on: [push, pull_request]',
        'jobs:',
        '  win:',
        '    runs-on: windows-latest',
        '    steps:',
        '      - run: |',
        '          trivy fs --exit-code 1 .',
        '          Write-Host done',
        '      - run: trivy fs --exit-code 1 src',
      ].join('\n'),
    });
    const p = await projectOf(dir);
    expect(p.ci.scans.map((s) => [s.paths[0]?.path, s.gate.status])).toEqual([
      ['', 'cannot-fail'],
      ['src', 'can-fail'],
    ]);
    expect(p.ci.scans[0].gate.disabledBy[0].what).toContain('PowerShell');
  });
});

describe('scans in another workflow', () => {
  it('a scheduled workflow that rescans the pushed image covers the Dockerfile the release builds', async () => {
    const dir = repo({
      '.github/workflows/release.yml':
        'on:\n  push:\n    tags: [v*]\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: api\n          push: true\n          tags: ghcr.io/acme/api:${{ github.ref_name }}\n',
      '.github/workflows/nightly.yml':
        "on:\n  schedule:\n    - cron: '0 4 * * *'\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: trivy image --exit-code 1 ghcr.io/acme/api:latest\n",
      'api/Dockerfile': 'FROM alpine:3.20\n',
    });
    const p = await projectOf(dir);
    expect(p.ci.images.map((i) => [i.name, i.status, i.scans.map((s) => s.workflow.path)])).toEqual([
      ['api', 'scanned', ['.github/workflows/nightly.yml']],
    ]);
  });
});

describe('scan-triggers fix text', () => {
  it('on GitLab, talks about the job rules and workflow:rules, not on:', async () => {
    const dir = repo({
      '.gitlab-ci.yml':
        'bundle_audit:\n  image: ruby:3.3\n  script:\n    - bundle-audit check --update\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n',
      'Gemfile.lock': 'GEM\n  specs:\n',
    });
    const res = run('ci/scan-triggers', await projectOf(dir));
    const f = res.find((r) => r.status === 'fail');
    expect(f?.message).toContain('`- if: $CI_PIPELINE_SOURCE == "push"` to job `bundle_audit`\'s `rules:`');
    expect(f?.message).toContain('`workflow:rules`');
    expect(f?.message).not.toContain('`on:`');
  });

  it("on GitHub, names the job's if: that keeps the scan off pushes and pull requests", async () => {
    const dir = repo({
      '.github/workflows/ci.yml':
        "on: [push, pull_request, schedule]\npermissions:\n  contents: read\njobs:\n  s:\n    if: github.event_name == 'schedule'\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t app:ci .\n      - run: trivy image --exit-code 1 app:ci\n",
      Dockerfile: 'FROM python:3.12-slim\n',
    });
    const res = run('ci/scan-triggers', await projectOf(dir));
    const f = res.find((r) => r.status === 'fail');
    expect(f?.message).toContain("job `s`'s `if: github.event_name == 'schedule'` keeps the scan off pushes and pull requests");
    expect(f?.message).not.toContain('`on:`');
    expect(f?.location.line).toBe(6);
  });
});

describe('GitLab fix texts', () => {
  it('multi-arch and image-signing do not suggest GitHub actions for a GitLab build', async () => {
    const dir = repo({
      '.gitlab-ci.yml':
        'build:\n  image: docker:24\n  services:\n    - docker:24-dind\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .\n    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\n',
      Dockerfile: 'FROM ruby:3.3-slim\n',
    });
    const p = await projectOf(dir);
    const arch = run('ci/multi-arch', p).find((r) => r.status === 'fail');
    expect(arch?.message).toContain('`docker buildx build --platform linux/amd64,linux/arm64`');
    expect(arch?.message).not.toContain('docker/setup-qemu-action');
    const sign = run('ci/image-signing', p).find((r) => r.status === 'fail');
    expect(sign?.message).toContain('`id_tokens: {SIGSTORE_ID_TOKEN: {aud: sigstore}}`');
    expect(sign?.message).not.toContain('id-token: write');
  });
});
