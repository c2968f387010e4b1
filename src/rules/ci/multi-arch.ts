import type { Project } from '../../model/project.js';
import type { ImageCoverage } from '../../model/workflow.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass } from '../_util.js';
import { imageFromLoc, noCiPhrase, noWorkflows, PLAIN_RELEASE_WORKFLOW, where } from './_ci.js';

function check(project: Project, cov: ImageCoverage): RawResult {
  const target = cov.dockerfile.path;
  const at = imageFromLoc(cov);
  if (cov.platforms.length >= 2) {
    const b = cov.builds.find((x) => x.platforms.length) ?? cov.builds[0];
    return pass(
      target,
      b.use.location,
      `the image built from \`${target}\` is built for ${cov.platforms.join(', ')}`,
      cov.platforms.join(', '),
    );
  }
  if (cov.builds.length) {
    const b = cov.builds[0];
    const one = cov.platforms.length === 1 ? `only for \`${cov.platforms[0]}\`` : "only for the runner's own platform (no `platforms`)";
    return fail(
      target,
      at,
      `\`${target}\` is built in CI (${where(b.use.location)}) ${one}, so it cannot run on arm64 hosts (Graviton, Ampere, Apple silicon) without emulation; ${
        b.use.workflow.platform === 'gitlab'
          ? 'build it with `docker buildx build --platform linux/amd64,linux/arm64` (after `docker run --privileged --rm tonistiigi/binfmt --install arm64` for emulation on the runner, or on a native arm64 runner)'
          : 'set `platforms: linux/amd64,linux/arm64` with `docker/setup-qemu-action` and `docker/setup-buildx-action`'
      }, or waive this rule if one platform is all you deploy.`,
    );
  }
  return fail(
    target,
    at,
    noWorkflows(project)
      ? `The repository has ${noCiPhrase(project)}, so the image built from \`${target}\` is built for whatever machine builds it; build it in CI with \`platforms: linux/amd64,linux/arm64\`, or waive this rule if one platform is all you deploy.`
      : `No CI workflow builds the image of \`${target}\` for several platforms; build it with \`platforms: linux/amd64,linux/arm64\`, or waive this rule if one platform is all you deploy.`,
  );
}

const rule: Rule = {
  meta: {
    id: 'ci/multi-arch',
    title: 'Images are built for more than one platform',
    severity: 'info',
    family: 'ci',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'An image built for `linux/amd64` only runs on arm64 hosts (AWS Graviton, Ampere, Apple silicon laptops) under emulation, slowly, or not ' +
      'at all. A multi-platform build (`platforms: linux/amd64,linux/arm64` with Buildx) publishes one tag that works on both. When there is no ' +
      'arm64 deployment target, as in the reference, record that as a waiver.',
    fix: 'Build with Buildx for the platforms you deploy: `docker/setup-qemu-action`, `docker/setup-buildx-action`, then `docker/build-push-action` with `platforms: linux/amd64,linux/arm64` (or `docker buildx build --platform ...`); or waive the rule with the reason.',
    examples: {
      bad: {
        file: '.github/workflows/release.yml',
        content: PLAIN_RELEASE_WORKFLOW,
        extraFiles: { Dockerfile: 'FROM python:3.12-slim\n' },
      },
      good: {
        file: '.github/workflows/release.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\npermissions:\n  contents: read\n  packages: write\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/setup-qemu-action@v3\n      - uses: docker/setup-buildx-action@v3\n      - uses: docker/build-push-action@v6\n        with:\n          platforms: linux/amd64,linux/arm64\n          push: true\n          tags: ghcr.io/acme/app:${{ github.ref_name }}\n',
        extraFiles: { Dockerfile: 'FROM python:3.12-slim\n' },
      },
    },
  },
  check(project) {
    return project.ci.images.map((cov) => check(project, cov));
  },
};

export default rule;
