import type { Rule } from '../../types.js';
import type { LiveContext } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass } from './_live.js';

/** runtime/no-privileged: `.HostConfig.Privileged` is false. */
const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/no-privileged',
    title: 'Containers are not privileged',
    severity: 'critical',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      'A privileged container gets every capability, every host device and no seccomp or AppArmor confinement: root in it is root ' +
      'on the host (mount the host disk, load kernel modules). The flag can come from a compose file, an override, or a `docker run` ' +
      'by hand; the running container is what counts.',
    fix: 'Remove `privileged: true`; grant the one capability or device the app needs (`cap_add: [NET_ADMIN]`, `devices: ["/dev/fuse"]`) instead.',
    examples: {
      bad: composeExample('services:\n  agent:\n    image: example/agent:1.0\n    privileged: true\n'),
      good: composeExample('services:\n  agent:\n    image: example/agent:1.0\n    cap_drop: [ALL]\n'),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) =>
      c.host.privileged
        ? fail(
            at,
            `${c.name} runs privileged: every capability and host device, no seccomp/AppArmor, so root in it is root on the host. Remove \`privileged: true\` and grant only the capability or device it needs.`,
          )
        : pass(at, `${c.name} is not privileged.`, 'not privileged'),
    );
  },
};

export default rule;
