import type { Project } from '../../model/project.js';
import type { ImageCoverage } from '../../model/workflow.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass, unknown } from '../_util.js';
import { baseImageOf, imageFromLoc } from './_ci.js';

function check(project: Project, cov: ImageCoverage): RawResult {
  const target = cov.dockerfile.path;
  const at = imageFromLoc(cov);
  if (cov.updates.length) {
    const u = cov.updates[0];
    const evidence = cov.updates.map((x) => `${x.tool} (${x.detail})`).join(', ');
    const partial = cov.updates.every((x) => x.partial === true);
    return pass(
      target,
      at,
      partial
        ? `${u.tool} (\`${u.file}\`) updates Docker images, but a \`packageRules\` entry disables some of them; whether \`${baseImageOf(cov)}\` is one was not checked`
        : `${u.tool} (\`${u.file}\`) keeps the base image \`${baseImageOf(cov)}\` current`,
      evidence,
    );
  }
  const undecided = project.ci.updates.find((u) => u.tool === 'Renovate' && u.dockerEnabled === null);
  if (undecided)
    return unknown(target, at, `\`${undecided.path}\` could not be read, so whether Renovate updates \`${target}\` is not known.`);
  const dependabot = project.ci.updates.find((u) => u.tool === 'Dependabot');
  const dir = target.includes('/') ? `/${target.slice(0, target.lastIndexOf('/'))}` : '/';
  return fail(
    target,
    at,
    dependabot
      ? `\`${dependabot.path}\` has no \`package-ecosystem: docker\` entry for \`${dir}\`, so nobody is told when \`${baseImageOf(cov)}\` gets a patched release and the image keeps its old CVEs; add \`- package-ecosystem: docker\\n  directory: ${dir}\\n  schedule: {interval: weekly}\`.`
      : `No Dependabot or Renovate configuration covers the \`docker\` ecosystem, so nobody is told when \`${baseImageOf(cov)}\` gets a patched release and the image keeps its old CVEs; add \`.github/dependabot.yml\` with \`package-ecosystem: docker\` and \`directory: ${dir}\` (or enable Renovate).`,
  );
}

const rule: Rule = {
  meta: {
    id: 'ci/base-image-updates',
    title: 'A bot keeps base images up to date',
    severity: 'low',
    family: 'ci',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'Pinning `FROM python:3.12-slim` (or a digest) makes builds reproducible, and also freezes them: the fixes in the next patch release of ' +
      'the base image never arrive unless someone bumps the line. Dependabot (`package-ecosystem: docker` for each Dockerfile directory) or ' +
      'Renovate (its `dockerfile` manager is on by default) opens a pull request when a newer tag or digest is published, so updating is a review ' +
      'instead of a chore nobody schedules. Renovate is off for Docker when `enabled: false`, `enabledManagers` without `dockerfile`, ' +
      '`docker:disable`, or a `packageRules` entry matching `matchDatasources: ["docker"]` (or `matchManagers: ["dockerfile"]`) with ' +
      '`enabled: false` and no other match condition; with other conditions (`matchPackageNames` ...) it disables only some images, which ' +
      'still passes but says so, since which images those are is not checked.',
    fix: 'Add `.github/dependabot.yml` with one `package-ecosystem: docker` entry per Dockerfile directory (`directory: /backend`, or `directories: ["/**"]`) on a weekly schedule, or enable Renovate.',
    examples: {
      bad: {
        file: '.github/dependabot.yml',
        content: 'version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /backend\n    schedule:\n      interval: weekly\n',
        extraFiles: { 'backend/Dockerfile': 'FROM python:3.12-slim\n' },
      },
      good: {
        file: '.github/dependabot.yml',
        content: 'version: 2\nupdates:\n  - package-ecosystem: docker\n    directory: /backend\n    schedule:\n      interval: weekly\n',
        extraFiles: { 'backend/Dockerfile': 'FROM python:3.12-slim\n' },
      },
    },
  },
  check(project) {
    return project.ci.images.map((cov) => check(project, cov));
  },
};

export default rule;
