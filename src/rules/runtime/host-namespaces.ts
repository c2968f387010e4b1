import type { Rule } from '../../types.js';
import type { LiveContext } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass } from './_live.js';

/** runtime/host-namespaces: none of NetworkMode, PidMode, IpcMode, UTSMode, UsernsMode is `host`. */
const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/host-namespaces',
    title: "Containers do not share the host's namespaces",
    severity: 'high',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      'Namespaces are what make a container a container. `network_mode: host` exposes every host interface and local-only service ' +
      '(the metadata endpoint, databases on 127.0.0.1); `pid: host` lets the container see and signal every host process; `ipc: host` ' +
      "shares the host's shared memory; `uts: host` lets it rename the host; `userns_mode: host` opts out of user-namespace remapping.",
    fix: 'Remove `network_mode: host`, `pid: host`, `ipc: host`, `uts: host` and `userns_mode: host`; publish the ports the service needs instead.',
    examples: {
      bad: composeExample('services:\n  monitor:\n    image: example/monitor:1.0\n    network_mode: host\n    pid: host\n'),
      good: composeExample('services:\n  monitor:\n    image: example/monitor:1.0\n    ports:\n      - "127.0.0.1:9100:9100"\n'),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      const modes: [string, string][] = [
        ['network', c.host.networkMode],
        ['pid', c.host.pidMode],
        ['ipc', c.host.ipcMode],
        ['uts', c.host.utsMode],
        ['userns', c.host.usernsMode],
      ];
      const shared = modes.filter(([, v]) => v === 'host').map(([k]) => k);
      if (shared.length > 0) {
        return fail(
          at,
          `${c.name} shares the host's ${shared.join(', ')} namespace${shared.length > 1 ? 's' : ''}: it sees (and can reach) what belongs to the host. Remove ${shared.map((s) => `\`${s === 'network' ? 'network_mode' : s === 'userns' ? 'userns_mode' : s}: host\``).join(', ')}.`,
        );
      }
      return pass(at, `${c.name} has its own namespaces.`, 'no host namespaces');
    });
  },
};

export default rule;
