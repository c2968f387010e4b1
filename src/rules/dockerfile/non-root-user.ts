import { rootFrom, stageChain } from '../../model/image.js';
import type { Image } from '../../model/project.js';
import { privilegeDrop } from '../../model/script-paths.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass, unknown } from '../_util.js';
import { showRef, stageLabel, unresolvedReason } from './_from.js';
import { isRootSpec, unresolvedUser, userEvidence } from './_user.js';

const FIX_HINT = 'create a user with a fixed UID (`useradd -u 10001 appuser`) and add `USER appuser` as the last USER of the final stage';

/** The verdict from the Dockerfile alone (USER instructions and base-image knowledge). */
function fromDockerfile(image: Image): RawResult {
  const df = image.dockerfile;
  const u = image.user;
  const target = image.name;
  const finalDesc = df.stages.length > 1 ? `the final stage \`${stageLabel(image.stage)}\`` : 'the image';

  if (u.source === 'instruction' && u.userInstr) {
    const ui = u.userInstr;
    const where = loc(df.path, ui.instr.range);
    if (u.isRoot === false) {
      const via = ui.raw !== ui.resolved.value ? ` (\`USER ${ui.raw}\`)` : '';
      const inherited =
        u.stageIndex !== null && u.stageIndex !== image.stage.index
          ? `, inherited from stage \`${stageLabel(df.stages[u.stageIndex])}\``
          : '';
      return pass(target, where, `runs as ${userEvidence(u)}${via}${inherited}`, userEvidence(u));
    }
    // USER root after a non-root USER: name the USER it overrides.
    const chainUsers = stageChain(df, image.stage)
      .reverse()
      .flatMap((s) => s.users);
    const idx = chainUsers.indexOf(ui);
    const earlier = chainUsers
      .slice(0, Math.max(0, idx))
      .reverse()
      .find((x) => x.user !== null && !isRootSpec(x.user));
    const overrides = earlier ? `, overriding the earlier \`USER ${earlier.raw}\` on line ${earlier.instr.range.line}` : '';
    return fail(
      target,
      where,
      `\`USER ${ui.raw}\`${ui.raw !== ui.resolved.value ? ` (\`${ui.resolved.value}\` from ARG/ENV defaults)` : ''} makes the image run as root${overrides}, so any compromise of the app is root in the container; ` +
        `${earlier ? `move the steps that need root before \`USER ${earlier.raw}\` and drop this line` : FIX_HINT}.`,
    );
  }

  if (u.source === 'instruction' || (u.source === 'unknown' && u.userInstr)) {
    const ui = u.userInstr;
    if (ui)
      return unknown(
        target,
        loc(df.path, ui.instr.range),
        `${unresolvedUser(ui)}; give it a non-root default (e.g. \`ARG APP_USER=appuser\`).`,
      );
  }

  if (u.source === 'base') {
    const from = rootFrom(df, image.stage);
    return pass(target, loc(df.path, from.imageRange), `the base \`${showRef(from)}\` runs as ${userEvidence(u)}`, userEvidence(u));
  }

  if (u.source === 'unknown') {
    const from = rootFrom(df, image.stage);
    return unknown(
      target,
      fromLoc(image),
      `No USER in ${finalDesc} and ${unresolvedReason(from)}, so its default user is unknown; add an explicit non-root \`USER\`.`,
    );
  }

  // default-root: nothing in the chain sets USER.
  const chain = new Set(stageChain(df, image.stage).map((s) => s.index));
  const elsewhere = df.stages
    .filter((s) => !chain.has(s.index) && s.users.length > 0)
    .map((s) => ({ stage: s, ui: s.users[s.users.length - 1] }))
    .find((x) => x.ui.user === null || !isRootSpec(x.ui.user));
  const builderNote = elsewhere
    ? ` The \`USER ${elsewhere.ui.raw}\` on line ${elsewhere.ui.instr.range.line} is in stage \`${stageLabel(elsewhere.stage)}\`, which the final stage does not inherit from, so it does not apply.`
    : '';
  const from = rootFrom(df, image.stage);
  const base = from.scratch
    ? ''
    : u.uidSource?.includes('not in seaworthy')
      ? ` (base \`${showRef(from)}\` is not in seaworthy's knowledge)`
      : '';
  return fail(
    target,
    fromLoc(image),
    `${finalDesc[0].toUpperCase()}${finalDesc.slice(1)} sets no USER${base}, so the container runs as root and any compromise of the app is root in the container; ${FIX_HINT}.${builderNote}`,
  );
}

/**
 * Compose services that run the image: when every one of them sets a non-root `user:`, the image
 * never runs as root in this project. `image.services` is filled by the compose model.
 */
function fromCompose(image: Image): RawResult | null {
  if (image.services.length === 0) return null;
  const users: string[] = [];
  for (const s of image.services) {
    if (s.user === null || isRootSpec(s.user)) return null;
    if (!users.includes(s.user)) users.push(s.user);
  }
  const evidence = `${users.map((x) => `\`user: ${x}\``).join(', ')} in compose`;
  const names = [...new Set(image.services.map((s) => s.service))].map((n) => `\`${n}\``).join(', ');
  return pass(
    image.name,
    fromLoc(image),
    `the Dockerfile runs as root, but every compose service running it (${names}) sets a non-root \`user:\``,
    evidence,
  );
}

/** Starts as root, but the entrypoint script drops privileges on every path that starts the service. */
function fromEntrypoint(image: Image, own: RawResult): RawResult | null {
  if (own.status !== 'fail') return null;
  const d = privilegeDrop(image.scripts);
  if (!d) return null;
  const how = d.selfReexec ? 're-executes itself as' : 'drops to';
  return pass(
    image.name,
    loc(d.script.path, d.cmd.range),
    `the image starts as root, and \`${d.script.path}\` ${how} \`${d.user}\` with \`exec ${d.tool}\` on every path that starts the service`,
    `root, drops to \`${d.user}\` with \`exec ${d.tool}\``,
  );
}

function judge(image: Image): RawResult {
  const own = fromDockerfile(image);
  if (own.status === 'pass') return own;
  // Other sources of a pass when the Dockerfile alone runs as root (or cannot be resolved):
  //
  // 1. An entrypoint script reached from ENTRYPOINT/CMD that drops privileges on every path that
  //    starts the service (`exec gosu appuser "$@"`, `exec su-exec`, `exec setpriv --reuid`, or a
  //    re-exec of itself as the user) → pass with evidence "root, drops to `appuser` with `exec
  //    gosu`", located at the `exec` in the script (fromEntrypoint; analysis in model/script-paths).
  //
  // 2. Compose services that all set a non-root `user:`.
  return fromEntrypoint(image, own) ?? fromCompose(image) ?? own;
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/non-root-user',
    title: 'Run the image as a non-root user',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3002', 'DS-0002', 'CKV_DOCKER_3', 'CKV_DOCKER_8', 'CIS-DI-0001', 'CIS-4.1'],
    rationale:
      'A container whose process runs as root (UID 0) gives an attacker who exploits the application root inside the container: ' +
      'they can rewrite the application, install tools, read every mounted secret, and are one kernel or runtime bug (or one ' +
      'careless `privileged`/socket mount) away from root on the host. Docker runs as root unless the image says otherwise, so the ' +
      'final stage must switch to an unprivileged user with USER (a USER in a builder stage does not carry over), or use a base ' +
      'that already runs as non-root (distroless `:nonroot`, chainguard, `nginx-unprivileged`).',
    fix: 'Create a dedicated user with a fixed UID in the final stage (`useradd -r -u 1001 appuser`) and add `USER appuser` after the steps that need root.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim\nRUN useradd -r -u 1001 appuser\nWORKDIR /app\nCOPY --chown=appuser . .\nUSER appuser\nCMD ["python", "app.py"]\n',
      },
    },
  },
  check(project) {
    return project.images.map(judge);
  },
};

export default rule;
