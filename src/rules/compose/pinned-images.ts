import { parseImageRef } from '../../parse/image-ref.js';
import { parseInterpolation } from '../../parse/interpolate.js';
import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, nodeLoc, provLoc, services, sget } from '../_compose.js';
import { resolve } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';

/** An image reference for evidence: a long digest shortened. */
function showRef(ref: string): string {
  return ref.replace(/@(sha256:[0-9a-f]{12})[0-9a-f]{20,}$/i, '@$1…');
}

/** Variables of a written value that have no default (`app:${TAG}` → [`TAG`]). */
function undefaulted(raw: string): string[] {
  const names = parseInterpolation(raw)
    .uses.filter((u) => u.depth === 0 && !u.hasDefault)
    .map((u) => u.name);
  return [...new Set(names)];
}

const rule: Rule = {
  meta: {
    id: 'compose/pinned-images',
    title: 'Images have an explicit version tag',
    severity: 'medium',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['dclint service-image-require-explicit-tag'],
    rationale:
      '`image: redis` or `image: postgres:latest` runs whatever the publisher pushed last: a `docker compose pull` or a new host ' +
      'can silently bring a new major version (a database whose data format the old files no longer match), a breaking change, ' +
      'or a vulnerable release, and two hosts of the same deployment can run different code. A version tag, or a digest, makes ' +
      'the image a reviewed input that changes only through a commit. Services with `build:` are judged by their Dockerfile ' +
      '(`dockerfile/pinned-base`).',
    fix: 'Pin every `image:` to a version tag (`redis:7.4-alpine`, `postgres:16.4`) or a digest, and let Dependabot or Renovate propose updates.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  cache:\n    image: redis\n' },
      good: { file: 'docker-compose.yml', content: 'services:\n  cache:\n    image: redis:7.4-alpine\n' },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      let r: RawResult | null = null;
      if (svc.build || sget(svc, 'build')) {
        // `image:` beside `build:` names the image compose builds; its base is judged in the Dockerfile.
        const df = svc.build?.dockerfile ?? null;
        const where = svc.build ? provLoc(svc.build.prov) : absenceLoc(env, svc);
        r = pass(
          target,
          where,
          `built locally; its base image is judged in ${df ? `\`${df}\`` : 'its Dockerfile'}`,
          df ? `built from \`${df}\`` : 'built locally',
        );
      } else if (svc.imageNode) {
        const v = resolve(env, svc.imageNode);
        const where = nodeLoc(svc.imageNode);
        if (!v || v.raw.trim() === '') {
          r = null;
        } else if (v.value === null) {
          const vars = undefaulted(v.raw).map((x) => `\`${x}\``);
          r = unknown(
            target,
            where,
            `\`image: ${v.raw}\` depends on ${vars.join(', ') || 'a variable'}, which ${vars.length > 1 ? 'have' : 'has'} no default, so the version \`${svc.name}\` runs is only known at deploy time; ` +
              'make sure the deployment sets it to a version tag or digest (or give it a pinned default).',
          );
        } else {
          const ref = parseImageRef(v.value);
          const via = v.interpolated ? ` (\`${v.raw}\` with its defaults)` : '';
          if (ref.digest) {
            r = pass(target, where, `pinned by digest: \`${showRef(v.value)}\``, `\`${showRef(v.value)}\``);
          } else if (ref.tag && ref.tag !== 'latest') {
            r = pass(target, where, `pinned to tag \`${ref.tag}\``, `\`${v.value}\``);
          } else {
            const what = ref.tag === 'latest' ? 'uses the `latest` tag' : 'has no tag, so it pulls `latest`';
            r = fail(
              target,
              where,
              `\`image: ${v.value}\`${via} ${what}: whenever the publisher pushes, a pull or a new host silently runs a different (possibly breaking or vulnerable) version; ` +
                `pin a version tag (\`${ref.name}:<version>\`) or a digest.`,
            );
          }
        }
      }
      if (r) out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
