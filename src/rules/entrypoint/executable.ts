/**
 * entrypoint/executable: a script the image executes directly has its executable bit in the image.
 *
 * Per (image, script use): passes when the Dockerfile sets the bit (`COPY --chmod=755`, `RUN chmod
 * +x|755 <path>`: evidence "`COPY --chmod=755`", "`chmod +x`", located at that instruction), or the
 * file is committed executable (evidence "mode 100755 in git", or "executable file mode" when the
 * root is not a git checkout; located at the script's line 1) — COPY keeps the mode. A script run
 * through an explicit interpreter (`["sh", "/x.sh"]`) needs no bit (pass, at that start).
 * Fails at the COPY/ADD that puts the script in the image (where `--chmod=755` goes), or at the
 * ENTRYPOINT/CMD when that COPY is not known. Unknown when the file mode cannot be read.
 */
import type { ScriptUse } from '../../model/script.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, loc, pass, unknown } from '../_util.js';
import { ENTRYPOINT_EXAMPLE_DOCKERFILE, fileName, judgeEachUse, lineOneLoc, useLabel } from './_scripts.js';

function judge(use: ScriptUse): RawResult {
  const { script, image } = use;
  const target = script.path;
  const file = fileName(script.path);
  const df = image.dockerfile;
  if (use.explicitInterpreter) {
    return pass(
      target,
      use.refLoc,
      `${useLabel(use)} runs \`${file}\` through \`${use.explicitInterpreter}\`, which needs no executable bit`,
      `run as \`${use.explicitInterpreter} ${use.imagePath}\``,
    );
  }
  if (use.chmod) {
    return pass(
      target,
      loc(df.path, use.chmod.range),
      `the Dockerfile makes \`${use.imagePath}\` executable with ${use.chmod.how}`,
      use.chmod.how,
    );
  }
  if (script.executable === true) {
    const git = script.modeSource === 'git';
    const ev = git ? 'mode 100755 in git' : 'executable file mode';
    return pass(
      target,
      lineOneLoc(script),
      `\`${file}\` is ${git ? 'committed executable (mode 100755 in git)' : 'executable on disk (not a git checkout)'} and COPY keeps the mode`,
      ev,
    );
  }
  const at = use.copy ? loc(df.path, use.copy.instr.range) : use.refLoc;
  if (script.executable === null) {
    return unknown(
      target,
      at,
      `The file mode of \`${script.path}\` cannot be read and the Dockerfile does not \`chmod\` it, so whether \`${use.imagePath}\` is executable is unknown; add \`--chmod=755\` to the COPY.`,
    );
  }
  const mode = script.modeSource === 'git' ? 'is committed as mode 100644 in git' : 'has no executable bit';
  const fix = use.copy
    ? `Add \`--chmod=755\` to this ${use.copy.keyword} (or commit the file executable: \`git update-index --chmod=+x ${script.path}\`).`
    : `Commit the file executable (\`git update-index --chmod=+x ${script.path}\`) or \`RUN chmod +x ${use.imagePath}\` in the Dockerfile.`;
  return fail(
    target,
    at,
    `\`${script.path}\` ${mode} and \`${df.path}\` does not make \`${use.imagePath}\` executable, but ${useLabel(use)} executes it: the container fails at start with \`permission denied\`. ${fix}`,
  );
}

const rule: Rule = {
  meta: {
    id: 'entrypoint/executable',
    title: 'Entrypoint scripts are executable in the image',
    severity: 'medium',
    family: 'entrypoint',
    target: 'script',
    env: 'all',
    aliases: [],
    rationale:
      'ENTRYPOINT `["/entrypoint.sh"]` asks the kernel to execute the file, which needs its executable bit. COPY keeps the mode ' +
      'the file has in the build context, so a script committed as 100644 — common when it was created on Windows or the bit was ' +
      'lost in a copy — makes the container fail at start with `permission denied`, often only on the CI runner or the server ' +
      "whose checkout differs from the developer's. Setting the mode in the Dockerfile makes the image independent of the checkout.",
    fix: 'Copy the script with `COPY --chmod=755` (or `RUN chmod +x` it), and commit it executable (`git update-index --chmod=+x entrypoint.sh`).',
    examples: {
      bad: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\n',
        extraFiles: { 'docker-entrypoint.sh': '#!/bin/sh\nset -e\nexec uvicorn app.main:app --host 0.0.0.0 "$@"\n' },
      },
      good: {
        file: 'Dockerfile',
        content: ENTRYPOINT_EXAMPLE_DOCKERFILE,
        extraFiles: { 'docker-entrypoint.sh': '#!/bin/sh\nset -e\nexec uvicorn app.main:app --host 0.0.0.0 "$@"\n' },
      },
    },
  },
  check(project) {
    return judgeEachUse(project, judge);
  },
};

export default rule;
