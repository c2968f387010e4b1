import { rootFrom } from '../../model/image.js';
import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass, unknown } from '../_util.js';
import { showRef, stageLabel, unresolvedReason } from './_from.js';
import { unresolvedUser, userEvidence } from './_user.js';

function judge(image: Image): RawResult | null {
  const df = image.dockerfile;
  const u = image.user;
  const target = image.name;
  // Root is dockerfile/non-root-user's finding; a UID only matters for a non-root user.
  if (u.isRoot === true) return null;

  if (u.source === 'base') {
    const from = rootFrom(df, image.stage);
    return pass(target, loc(df.path, from.imageRange), `the base \`${showRef(from)}\` runs as ${userEvidence(u)}`, userEvidence(u));
  }
  if (u.userInstr === null || u.user === null) {
    if (u.userInstr)
      return unknown(target, loc(df.path, u.userInstr.instr.range), `${unresolvedUser(u.userInstr)}; its UID cannot be judged.`);
    return unknown(
      target,
      fromLoc(image),
      `No USER in the final stage \`${stageLabel(image.stage)}\` and ${unresolvedReason(rootFrom(df, image.stage))}, so the runtime UID is unknown.`,
    );
  }
  const ui = u.userInstr;
  const where = loc(df.path, ui.instr.range);
  if (/^\d+$/.test(u.user)) return pass(target, where, `\`USER ${ui.raw}\` is numeric`, userEvidence(u));
  if (u.uid !== null) return pass(target, where, `\`${u.user}\` has UID ${u.uid} (${u.uidSource ?? 'known'})`, userEvidence(u));
  return fail(
    target,
    where,
    `\`USER ${ui.raw}\` names a user whose UID is not fixed (it is created without an explicit UID, or not created in this image), ` +
      'so the UID can change between builds and orchestrators cannot verify it is non-root (`runAsNonRoot`); ' +
      `create it with \`useradd -u 10001 ${u.user}\` or use a numeric \`USER 10001\`.`,
  );
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/numeric-uid',
    title: 'Runtime user has a fixed numeric UID',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3066'],
    rationale:
      'A user created without an explicit UID gets whatever number the package scripts left free, so it can change when the base ' +
      'image or the install order changes: file ownership on volumes breaks, and host-side permissions cannot be planned. ' +
      'Kubernetes `runAsNonRoot` can only verify a numeric USER, and a fixed UID lets compose and security policies pin the same ' +
      'identity (`user: "1001"`). Images that run as root are reported by `dockerfile/non-root-user` instead.',
    fix: 'Create the user with an explicit UID (`useradd -u 1001 appuser`, `adduser -u 1001 -D appuser`) or set `USER 1001:1001`.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM debian:bookworm-slim\nRUN useradd appuser\nUSER appuser\nCMD ["sleep", "infinity"]\n',
      },
      good: {
        file: 'Dockerfile',
        content: 'FROM debian:bookworm-slim\nRUN useradd -u 1001 appuser\nUSER appuser\nCMD ["sleep", "infinity"]\n',
      },
    },
  },
  check(project) {
    return project.images.map(judge).filter((r): r is RawResult => r !== null);
  },
};

export default rule;
