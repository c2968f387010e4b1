import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { judgePins, showRef, writtenAs } from './_from.js';

function judge(image: Image): RawResult[] {
  return judgePins(image, {
    unresolved: ' depends on the build arguments; give the ARG a pinned default.',
    problem(from, name) {
      if (from.digest !== null || (from.tag !== null && from.tag !== 'latest')) return null;
      const what = from.tag === 'latest' ? `uses the \`latest\` tag` : `has no tag, so it pulls \`latest\``;
      return (
        `\`FROM ${showRef(from)}\`${writtenAs(from)} ${what}, which moves whenever upstream publishes, so builds are not reproducible and ` +
        `can silently pick up breaking or vulnerable changes; pin a version tag (\`${name}:<version>\`) or a digest.`
      );
    },
    pinnedBy: '',
  });
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/pinned-base',
    title: 'Base images have an explicit version tag',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3006', 'DL3007', 'DS-0001', 'CKV_DOCKER_7', 'DKL-DI-0006'],
    rationale:
      'A FROM without a tag pulls `latest`, and `latest` moves whenever the publisher pushes: two builds of the same commit can ' +
      'produce different images, a new major version can break the build or the app without any change in the repository, and ' +
      "a scan of yesterday's image says nothing about today's. An explicit version tag (or a digest) makes the base a reviewed " +
      'input that changes only through a commit, which tools like Dependabot or Renovate can propose. Every stage counts: an ' +
      'unpinned builder changes what gets compiled into the final image.',
    fix: 'Give every external FROM an explicit version tag (`FROM python:3.12-slim`), or a digest; ARG defaults used in FROM should be pinned too.',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM python\nCMD ["python", "-V"]\n' },
      good: { file: 'Dockerfile', content: 'FROM python:3.12-slim\nCMD ["python", "-V"]\n' },
    },
  },
  check(project) {
    return project.images.flatMap(judge);
  },
};

export default rule;
