import type { Project } from '../../model/project.js';
import type { ImageCoverage } from '../../model/workflow.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass, unknown } from '../_util.js';
import { imageFromLoc, noCiPhrase, noWorkflows, rowsOf, unreadableNote, where } from './_ci.js';

const FIX = "add a scan of the tag the build produces, e.g. `aquasecurity/trivy-action` with `image-ref: <tag>` and `exit-code: '1'`";

function check(project: Project, cov: ImageCoverage): RawResult {
  const target = cov.dockerfile.path;
  const from = imageFromLoc(cov);
  if (cov.status === 'scanned') {
    const first = cov.scans[0];
    const names = new Set(cov.scans.map((s) => s.tool));
    // Evidence: the tools' image-scan rows (every image they scan), as the reference's table shows them.
    const rows = rowsOf(
      project,
      project.ci.scans.filter((s) => s.category === 'image' && names.has(s.tool)),
    );
    return pass(
      target,
      first.location,
      `the image built from \`${target}\` is scanned by ${[...names].join(', ')} (${where(first.location)})`,
      rows,
    );
  }
  if (cov.status === 'unknown') {
    return unknown(
      target,
      from,
      `Whether the image built from \`${target}\` is scanned is not known before the run: ${cov.unknownReason}.`,
    );
  }
  if (cov.status === 'built') {
    const b = cov.builds[0];
    return fail(
      target,
      from,
      `\`${target}\` is built in CI (${where(b.use.location)}) but no container scanner (Trivy, Grype, Docker Scout, Snyk) scans the image it builds, so known CVEs in its base image and packages ship unnoticed; ${FIX}.`,
    );
  }
  const none = noWorkflows(project);
  return fail(
    target,
    from,
    none
      ? `The repository has ${noCiPhrase(project)}, so the image built from \`${target}\` is never scanned for known vulnerabilities; add a workflow that builds it and scans it (Trivy, Grype, Docker Scout).`
      : `No CI workflow builds or scans the image of \`${target}\`${unreadableNote(project)}, so known CVEs in its base image and packages ship unnoticed; build it in the scanning job (e.g. add it to the \`matrix\`) and ${FIX}.`,
  );
}

const rule: Rule = {
  meta: {
    id: 'ci/image-scan',
    title: 'Every image built from the repository is scanned in CI',
    severity: 'high',
    family: 'ci',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'Base images and OS packages collect CVEs long after a Dockerfile was written. A container scanner in CI (Trivy, Grype, Docker Scout, Snyk) ' +
      'is what turns "we use slim images" into knowing what the image actually ships. A scanning matrix that lists some images and not others ' +
      '(`context: [backend, frontend]` while a worker image is built too) gives a false sense of coverage: the image nobody scans is the one that ' +
      'drifts. seaworthy maps every Dockerfile to the CI steps that build it (`docker/build-push-action` `context`/`file`, `docker build -f`, ' +
      '`docker compose build`) and to the scans of the tags those steps produce.',
    fix: "Build every image in the scanning job (add it to the `strategy.matrix`) and scan the tag it produces, e.g. `aquasecurity/trivy-action` with `image-ref: app-${{ matrix.context }}:${{ github.sha }}` and `exit-code: '1'`.",
    examples: {
      bad: {
        file: '.github/workflows/ci.yml',
        content:
          "on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  docker-scan:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        context: ['backend']\n    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/build-push-action@v6\n        with:\n          context: ${{ matrix.context }}\n          load: true\n          tags: app-${{ matrix.context }}:ci\n      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          image-ref: app-${{ matrix.context }}:ci\n          exit-code: '1'\n",
        extraFiles: { 'backend/Dockerfile': 'FROM python:3.12-slim\n', 'worker/Dockerfile': 'FROM python:3.12-slim\n' },
      },
      good: {
        file: '.github/workflows/ci.yml',
        content:
          "on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  docker-scan:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        context: ['backend', 'worker']\n    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/build-push-action@v6\n        with:\n          context: ${{ matrix.context }}\n          load: true\n          tags: app-${{ matrix.context }}:ci\n      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          image-ref: app-${{ matrix.context }}:ci\n          exit-code: '1'\n",
        extraFiles: { 'backend/Dockerfile': 'FROM python:3.12-slim\n', 'worker/Dockerfile': 'FROM python:3.12-slim\n' },
      },
    },
  },
  check(project) {
    return project.ci.images.map((cov) => check(project, cov));
  },
};

export default rule;
