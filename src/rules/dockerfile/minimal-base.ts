import { baseFacts, rootFrom, unknownBaseWhy } from '../../model/image.js';
import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, loc, pass, unknown } from '../_util.js';
import { refWithoutDigest, stageLabel, unresolvedReason } from './_from.js';

const VARIANT_WORDS: Record<string, string> = {
  slim: 'a slim image',
  alpine: 'an Alpine image',
  distroless: 'a distroless image',
  scratch: 'an empty image',
  chainguard: 'a Chainguard image',
  minimal: 'a minimal image',
};

function judge(image: Image): RawResult {
  const df = image.dockerfile;
  const target = image.name;
  const from = rootFrom(df, image.stage);
  const where = loc(df.path, from.imageRange);
  const facts = baseFacts(df, image.stage);
  const stageNote = from.instr.stage !== image.stage.index ? ` (the root of the final stage \`${stageLabel(image.stage)}\`)` : '';
  if (facts === 'unresolved') {
    return unknown(target, where, `${unresolvedReason(from)}, so whether the final image's base is minimal is unknown.`);
  }
  if (from.scratch) return pass(target, where, `the final image is built \`FROM scratch\`${stageNote}`, '`scratch`');
  const ref = refWithoutDigest(from);
  if (facts === null) {
    return unknown(target, where, `${unknownBaseWhy(from)}${stageNote}, so whether it is a minimal base is unknown.`);
  }
  if (facts.minimal) {
    return pass(target, where, `\`${ref}\`${stageNote} is ${VARIANT_WORDS[facts.variant] ?? 'a minimal image'}`, `\`${ref}\``);
  }
  return fail(
    target,
    where,
    `The final image is based on \`${ref}\`${stageNote}, a full distribution or language image: the many packages the app never uses ` +
      '(and, in language images, compilers) enlarge the attack surface and the CVE count; use a `-slim` or `-alpine` variant, distroless or chainguard for the final stage.',
  );
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/minimal-base',
    title: 'Final image uses a minimal base',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'Full distribution and language images (`python:3.12`, `node:22`, `ubuntu`, `debian:bookworm`) ship compilers, version ' +
      'control, network tools and hundreds of libraries the application never uses. Each is a potential vulnerability to patch ' +
      'and a tool for an attacker who gets in, and they make the image several times larger. A `-slim`, `-alpine`, distroless or ' +
      'chainguard base keeps only what the runtime needs; build steps that need more belong in an earlier stage. The variant is ' +
      "read from the tag (and seaworthy's knowledge of images whose every tag is alike, such as `alpine`, `caddy` or " +
      '`bitnami/minideb`); a base pinned by digest alone (`python@sha256:…`) does not tell its variant, so it is unknown.',
    fix: 'Base the final stage on a `-slim` or `-alpine` variant (`python:3.12-slim`), distroless or chainguard, and build in an earlier stage.',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM python:3.12\nCMD ["python", "-V"]\n' },
      good: { file: 'Dockerfile', content: 'FROM python:3.12-slim\nCMD ["python", "-V"]\n' },
    },
  },
  check(project) {
    return project.images.map(judge);
  },
};

export default rule;
