import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { judgePins, showRef, writtenAs } from './_from.js';

function judge(image: Image): RawResult[] {
  return judgePins(image, {
    unresolved: ' by digest depends on the build arguments.',
    problem(from, name) {
      if (from.digest !== null) return null;
      const by = from.tag !== null ? `is pinned by the tag \`${from.tag}\` only` : 'has neither a tag nor a digest';
      return (
        `\`FROM ${showRef(from)}\`${writtenAs(from)} ${by}; tags can be re-pushed, so the bytes you build on may change without notice. ` +
        `Add the digest (\`${name}:${from.tag ?? '<version>'}@sha256:…\`) and let Dependabot or Renovate update it.`
      );
    },
    pinnedBy: ' by digest',
  });
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/digest-pinned-base',
    title: 'Base images are pinned by digest',
    severity: 'info',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'A version tag such as `python:3.12-slim` is mutable: the publisher re-pushes it for every patch release and rebuild, and a ' +
      'compromised registry account could push anything under it. A `@sha256:` digest names exactly one image, so builds are ' +
      'reproducible byte for byte and a scan result stays valid for what is actually built. Keep the tag next to the digest for ' +
      'readability and let an update bot refresh both.',
    fix: 'Append the digest to each FROM (`FROM python:3.12-slim@sha256:<digest>`, from `docker buildx imagetools inspect`) and let Dependabot or Renovate keep it current.',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM alpine:3.20\nCMD ["true"]\n' },
      good: {
        file: 'Dockerfile',
        content: 'FROM alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d\nCMD ["true"]\n',
      },
    },
  },
  check(project) {
    return project.images.flatMap(judge);
  },
};

export default rule;
