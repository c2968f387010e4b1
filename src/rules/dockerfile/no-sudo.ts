import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';
import { deepCalls } from './_commands.js';

const SUDO = new Set(['sudo', 'doas']);

const rule: Rule = {
  meta: {
    id: 'dockerfile/no-sudo',
    title: 'RUN does not use sudo',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3004', 'DS-0010', 'CKV2_DOCKER_1', 'DKL-DI-0001'],
    rationale:
      "A Dockerfile switches users with USER, not with sudo. Using `sudo` (or `doas`) in a RUN means the image ships sudo and a sudoers rule that lets the runtime user become root again, which undoes the point of running as non-root; its TTY and signal handling are also unpredictable in a build. Every stage is judged, build stages included, and the commands of a `sh -c '...'` in a RUN count as the RUN's own.",
    fix: 'Run the privileged steps before `USER` (or switch with `USER root` and back), drop `sudo`, and do not install sudo in the image; at runtime use `gosu`/`su-exec` in the entrypoint if privileges must be dropped.',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM debian:bookworm-slim\nUSER 1000\nRUN sudo mkdir /data\n' },
      good: { file: 'Dockerfile', content: 'FROM debian:bookworm-slim\nRUN mkdir /data && chown 1000 /data\nUSER 1000\n' },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const image of project.images) {
      const file = image.dockerfile.path;
      const fails: RawResult[] = [];
      for (const stage of image.dockerfile.stages) {
        for (const run of stage.runs) {
          for (const c of deepCalls(run.script)) {
            const via = c.wrappers.find((w) => SUDO.has(w)) ?? (SUDO.has(c.name) ? c.name : null);
            if (!via) continue;
            fails.push(
              fail(
                image.name,
                loc(file, c.cmd.range),
                `\`${via}\` in a RUN needs ${via} in the image and lets its user become root again. Run this step as root before \`USER\` (or under \`USER root\`) and drop \`${via}\`.`,
              ),
            );
          }
        }
      }
      if (fails.length) out.push(...fails);
      else out.push(pass(image.name, fromLoc(image), 'no `sudo` in RUN', 'no `sudo`'));
    }
    return out;
  },
};

export default rule;
