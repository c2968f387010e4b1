/**
 * entrypoint/interpreter-available: the program that runs an entrypoint script exists in the image.
 *
 * Scripts in any language are judged (`#!/usr/bin/env python3` as well as shell scripts); the other
 * entrypoint rules analyse only shell scripts and give no result for the others.
 *
 * Per (image, script): the interpreter is the one the image names explicitly (`["sh", "/x.sh"]`:
 * the shebang is then ignored), else the shebang's (`#!/bin/bash` → bash, `#!/usr/bin/env python3`
 * → python), else — no shebang — `sh` when a shell-form ENTRYPOINT/CMD runs it (the shell falls back
 * to interpreting it), and a fail when it is executed directly (the kernel answers `exec format
 * error`). Presence comes from the base-image knowledge, the packages the final stage installs and
 * files it copies in (`programPresence`); unknown when that cannot tell.
 * A shebang line that ends with a carriage return (CRLF line endings) is a fail: the kernel keeps the
 * `\r` on the line's last word (`/bin/sh\r` does not exist).
 * Location: the shebang line; the ENTRYPOINT/CMD (or compose) line for an explicit interpreter.
 */
import { baseFacts, rootFrom } from '../../model/image.js';
import type { ScriptUse } from '../../model/script.js';
import type { Location, RawResult, Rule } from '../../types.js';
import { programPresence, toolName } from '../_probe.js';
import { fail, loc, pass, unknown } from '../_util.js';
import { CRLF_FIX, endsWithCR, fileName, imageStartSpec, judgeEachUse, lineOneLoc, useLabel } from './_scripts.js';

function installHint(use: ScriptUse, tool: string): string {
  const facts = baseFacts(use.image.dockerfile, use.image.stage);
  const pkg = tool === 'python' ? 'python3' : tool === 'node' ? 'nodejs' : tool;
  if (facts && facts !== 'unresolved') {
    if (facts.variant === 'distroless' || facts.variant === 'scratch' || (facts.variant === 'chainguard' && facts.tools.sh === false)) {
      return 'A script cannot run on an image without a shell: start the program directly in exec form (`ENTRYPOINT ["/app/server"]`), or use a `:debug`/`-dev` variant only where a shell is really needed.';
    }
    if (facts.packageManager === 'apk')
      return `Install it in the final stage (\`RUN apk add --no-cache ${pkg}\`)${tool === 'bash' ? ', or make the script POSIX and use `#!/bin/sh`' : ''}.`;
    if (facts.packageManager === 'apt')
      return `Install it in the final stage (\`RUN apt-get update && apt-get install -y --no-install-recommends ${pkg}\`)${tool === 'bash' ? ', or make the script POSIX and use `#!/bin/sh`' : ''}.`;
  }
  return `Install \`${pkg}\` in the final stage, or change the shebang to an interpreter the image has.`;
}

function judge(use: ScriptUse, multi: boolean): RawResult {
  const r = judgeOne(use);
  return multi ? { ...r, message: `${r.message} (image \`${use.image.name}\`)` } : r;
}

function judgeOne(use: ScriptUse): RawResult {
  const { script, image } = use;
  const target = script.path;
  const file = fileName(script.path);
  const df = image.dockerfile;
  const from = rootFrom(df, image.stage);
  const imageDesc = `\`${from.resolved ?? from.raw}\``;
  let program: string;
  let how: string;
  let at: Location;
  if (use.explicitInterpreter) {
    program = use.explicitInterpreter;
    how = `${useLabel(use)} runs it through \`${program}\``;
    at = use.refLoc;
  } else if (script.shebang) {
    const sb = script.shebang;
    if (endsWithCR(script, 1)) {
      // The kernel splits the shebang line at the first blank only: the CR stays on its last word.
      const lastWord = sb.args.length ? sb.args[sb.args.length - 1] : sb.path.endsWith('/env') ? sb.interpreter : sb.path;
      const what = sb.args.length
        ? `\`${sb.interpreter}\` is given the option \`${lastWord}\\r\`, which it rejects`
        : `${sb.path.endsWith('/env') ? '`env`' : 'the kernel'} looks for the interpreter \`${lastWord}\\r\`, which does not exist`;
      return fail(
        target,
        loc(script.path, sb.range),
        `\`${file}\` has CRLF (Windows) line endings, so its shebang line ends with a carriage return: ${what}, and the container fails at start (\`exec ${use.imagePath}: no such file or directory\`). ${CRLF_FIX}`,
      );
    }
    // `#!/usr/bin/env bash` looks bash up on PATH; `#!/bin/bash` names the file.
    program = sb.path.endsWith('/env') || sb.path === 'env' ? sb.interpreter : sb.path;
    const line = script.text.split('\n', 1)[0].replace(/\r$/, '').trim();
    how = `\`${file}\` starts with \`${line}\``;
    at = loc(script.path, sb.range);
  } else if (imageStartSpec(use)?.form === 'shell') {
    program = '/bin/sh';
    how = `\`${file}\` has no shebang, and the shell form of ${useLabel(use)} runs it through \`/bin/sh\``;
    at = use.refLoc;
  } else {
    return fail(
      target,
      lineOneLoc(script),
      `\`${file}\` has no shebang, and ${useLabel(use)} executes it directly: the kernel refuses it with \`exec format error\` and the container does not start. Add \`#!/bin/sh\` as its first line (or run it as \`["sh", "${use.imagePath}"]\`).`,
    );
  }
  const tool = toolName(program);
  const presence = programPresence(df, image.stage, program);
  if (presence.present === false) {
    return fail(
      target,
      at,
      `${how}, but ${presence.reason}: the container fails at start (\`exec ${use.imagePath}: no such file or directory\`). ${installHint(use, tool)}`,
    );
  }
  if (presence.present === null) {
    return unknown(target, at, `${how}; whether ${imageDesc} has \`${tool}\` cannot be told: ${presence.reason}.`);
  }
  const evidence = /^(installed by|copied in)/.test(presence.reason) ? `\`${tool}\` ${presence.reason}` : presence.reason;
  return pass(target, at, `${how}, and the image has it (${presence.reason})`, evidence);
}

/** Rule examples: the image of both examples (only the script differs). */
const DOCKERFILE =
  'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';

const rule: Rule = {
  meta: {
    id: 'entrypoint/interpreter-available',
    title: "The script's interpreter exists in the image",
    severity: 'high',
    family: 'entrypoint',
    target: 'script',
    env: 'all',
    aliases: [],
    rationale:
      'The kernel runs a script through the interpreter named in its shebang. When the final stage does not have it — `bash` on ' +
      'alpine (busybox has only `sh`), any shell on distroless or scratch, `python` on a Node image — the container dies at start ' +
      'with a confusing `no such file or directory` that names the script, not the interpreter. A script without a shebang ' +
      'executed directly fails with `exec format error`. This is easy to miss when the base image is switched to a smaller one. ' +
      'A script saved with CRLF (Windows) line endings fails the same way: the kernel reads the shebang `#!/bin/sh\\r` and looks for ' +
      '`/bin/sh\\r`, so it is reported at the shebang line whatever the image has. (The shell parser reads a carriage return as a blank, so ' +
      'the other entrypoint rules judge such a script as if it had LF endings, except that `entrypoint/fail-fast` does not credit a ' +
      '`set -e` followed by a carriage return.)',
    fix: 'Install the interpreter in the final stage (`apk add --no-cache bash`), or write the script for POSIX `sh` and use `#!/bin/sh`.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: DOCKERFILE,
        extraFiles: { 'entrypoint.sh': '#!/bin/bash\nset -euo pipefail\nexec node server.js "$@"\n' },
      },
      good: {
        file: 'Dockerfile',
        content: DOCKERFILE,
        extraFiles: { 'entrypoint.sh': '#!/bin/sh\nset -eu\nexec node server.js "$@"\n' },
      },
    },
  },
  check(project) {
    return judgeEachUse(project, judge);
  },
};

export default rule;
