import type { Rule } from '../../types.js';
import type { LiveContext } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass } from './_live.js';

/** runtime/read-only-rootfs: `.HostConfig.ReadonlyRootfs` is true. */
const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/read-only-rootfs',
    title: 'Containers run with a read-only root file system',
    severity: 'low',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      'With a read-only root file system an attacker who gets code execution cannot drop tools, rewrite the app or plant persistence ' +
      'in the image layers, and the app cannot quietly fill the container layer with data that vanishes on recreate. Writable paths ' +
      'become explicit: a `tmpfs` for /tmp, a volume for data.',
    fix: 'Set `read_only: true` on the service and give it `tmpfs: [/tmp]` (and volumes) for the paths it must write.',
    examples: {
      bad: composeExample('services:\n  backend:\n    image: example/backend:1.4\n'),
      good: composeExample('services:\n  backend:\n    image: example/backend:1.4\n    read_only: true\n    tmpfs:\n      - /tmp\n'),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) =>
      c.host.readonlyRootfs
        ? pass(at, `${c.name} runs with a read-only root file system.`, '`read_only: true`')
        : fail(
            at,
            `${c.name} has a writable root file system: code running in it can rewrite the app and drop tools. Set \`read_only: true\` with a \`tmpfs\` for /tmp.`,
          ),
    );
  },
};

export default rule;
