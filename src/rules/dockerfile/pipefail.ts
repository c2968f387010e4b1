import type { DockerfileModel, RunInstr, Stage } from '../../model/dockerfile.js';
import { baseFacts } from '../../model/image.js';
import { baseName } from '../../parse/shell.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, loc } from '../_util.js';
import { addOnce, type Call, calls, span, within } from './_commands.js';
import { imageVerdict } from './_shared.js';

/** `-o pipefail` among shell options (also clustered: `-eo pipefail`, `-euxo pipefail`). */
function hasPipefail(words: string[]): boolean {
  return words.some((w, i) => /^-[A-Za-z]*o$/.test(w) && words[i + 1] === 'pipefail');
}

const NOT_POSIX = /^(powershell|pwsh|cmd)(\.exe)?$/i;
/** Upstream commands that only print literal text: their status carries nothing, and under pipefail `yes |` (or `echo |` into a consumer that exits early) fails with SIGPIPE. */
const HARMLESS_UPSTREAM = new Set(['echo', 'printf', 'yes']);

/** The SHELL line to suggest: bash when the base has it (or is unknown), ash on bash-less images such as Alpine. */
function suggestedShell(df: DockerfileModel, stage: Stage): string {
  const facts = baseFacts(df, stage);
  const noBash = facts !== null && facts !== 'unresolved' && facts.tools.bash === false && facts.tools.sh !== false;
  return noBash ? '["/bin/ash", "-o", "pipefail", "-c"]' : '["/bin/bash", "-o", "pipefail", "-c"]';
}

function howToFix(df: DockerfileModel, stage: Stage, run: RunInstr): string {
  if (run.execForm) return 'Add `"-o", "pipefail"` before `"-c"` in the exec form, or start the script with `set -o pipefail &&`.';
  if (run.heredoc) return 'Put `set -o pipefail` at the top of the heredoc.';
  return `Add \`SHELL ${suggestedShell(df, stage)}\` before the RUN, or start it with \`set -o pipefail &&\`.`;
}

function shellShown(run: RunInstr): string {
  return run.shell.join(' ');
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/pipefail',
    title: 'Piped RUN commands fail when any part fails',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL4006'],
    rationale:
      "A pipeline's exit status is that of its last command. In `RUN curl -fsSL https://example.com/app.tgz | tar xz` a failed download is hidden by `tar`, and the build goes on with a missing or truncated file. With `pipefail` the pipeline fails when any part fails. Docker runs RUN with `/bin/sh -c`, which has no pipefail unless SHELL adds `-o pipefail` or the RUN starts with `set -o pipefail`. Every stage is judged, since a silently broken build stage breaks the image too. Decisions: `set -o pipefail` is accepted wherever it appears earlier in the RUN, even under `/bin/sh`, except inside a `( ... )` subshell or a `$(...)` substitution, whose options end with it (it still counts for the pipelines in that same subshell): Debian's dash rejects it and the build stops, so a Dockerfile that builds has a shell that honours it (bash, or busybox ash on Alpine). Pipelines fed only by `echo`, `printf` or `yes` are not flagged: those cannot fail in a way worth catching, and under pipefail `yes | cmd` fails by SIGPIPE; when they are the only pipelines, the pass says so (only pipelines fed by `echo`) rather than claiming no piped RUN. Exec-form RUNs that start no shell have no pipes and are skipped, as are PowerShell/cmd SHELLs.",
    fix: 'Put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (on Alpine `["/bin/ash", "-o", "pipefail", "-c"]`) before the RUN, or start the RUN with `set -o pipefail &&` in a shell that supports it.',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM debian:bookworm-slim\nRUN wget -qO- https://example.com/app.tar.gz | tar xz -C /opt\n' },
      good: {
        file: 'Dockerfile',
        content:
          'FROM debian:bookworm-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN wget -qO- https://example.com/app.tar.gz | tar xz -C /opt\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const image of project.images) {
      const df = image.dockerfile;
      const fails: RawResult[] = [];
      const evidence: string[] = [];
      /** Programs feeding the pipelines skipped as harmless (`echo`, `printf`, `yes`). */
      const literalFeeds: string[] = [];
      for (const stage of df.stages) {
        for (const run of stage.runs) {
          const script = run.script;
          if (!script || run.shell.length === 0 || NOT_POSIX.test(baseName(run.shell[0]))) continue;
          const viaShell = hasPipefail(run.shell);
          if (viaShell) addOnce(evidence, '`SHELL` with `-o pipefail`');
          const cs = calls(script);
          for (const members of script.pipelines) {
            if (members.length === 0) continue;
            const upstream = members.slice(0, -1).map((i) => cs[i]);
            if (members.length > 1 && upstream.every((c: Call) => HARMLESS_UPSTREAM.has(c.name))) {
              for (const c of upstream) addOnce(literalFeeds, `\`${c.name}\``);
              continue;
            }
            if (viaShell) continue;
            const first = members[0];
            // A `set` in a subshell or substitution ends with it: it counts only for pipelines inside that subshell.
            const inShellOf = (c: Call) => c.cmd.subshell === null || within(cs[first].cmd.range, c.cmd.subshell);
            const set = cs.slice(0, first).some((c) => c.name === 'set' && inShellOf(c) && hasPipefail(c.args.map((a) => a.value)));
            if (set) {
              addOnce(evidence, '`set -o pipefail`');
              continue;
            }
            const head = cs[first];
            const tail = cs[members[members.length - 1]];
            fails.push(
              fail(
                image.name,
                loc(df.path, span(head.cmd.range, tail.cmd.range)),
                `This pipeline runs under \`${shellShown(run)}\` without pipefail, so ${head === tail ? 'a failure of an earlier part is hidden by the exit status of the last one' : `a failure of \`${head.name || head.cmd.text}\` is hidden by the exit status of \`${tail.name || tail.cmd.text}\``} and the build goes on. ${howToFix(df, stage, run)}`,
              ),
            );
          }
        }
      }
      const none = literalFeeds.length > 0 ? `only pipelines fed by ${literalFeeds.join(', ')}` : 'no piped RUN';
      out.push(...imageVerdict(image, fails, evidence, 'piped RUNs fail on any error', none));
    }
    return out;
  },
};

export default rule;
