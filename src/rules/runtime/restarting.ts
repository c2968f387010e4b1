import type { Rule } from '../../types.js';
import type { LiveContext } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass, unknown } from './_live.js';

/** runtime/restarting: `.RestartCount` is 0 and the state is not `restarting`. A stopped container is unknown. */
const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/restarting',
    title: 'Containers are not crash-looping',
    severity: 'high',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      'A restart policy hides crashes: the container comes back, `docker compose ps` says `Up 3 seconds`, and the app fails again. ' +
      'A restart count above zero means the app died at least once since it was created (a missing secret, an out-of-memory kill, ' +
      'a dependency that was not ready); a container in the `restarting` state is down right now.',
    fix: 'Read `docker logs <container>` (and `docker inspect` for `OOMKilled`) to find why it exits, fix the cause, then recreate the container so the count starts at zero.',
    examples: {
      bad: composeExample(
        'services:\n  worker:\n    image: example/worker:2.0\n    restart: always\n    # exits at start: DATABASE_URL is missing\n',
      ),
      good: composeExample(
        'services:\n  worker:\n    image: example/worker:2.0\n    restart: unless-stopped\n    environment:\n      DATABASE_URL: ${DATABASE_URL:?set DATABASE_URL}\n',
      ),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      const oom = c.oomKilled ? ' (the last exit was an out-of-memory kill)' : '';
      const last = c.exitCode !== null && c.exitCode !== 0 ? `, last exit code ${c.exitCode}` : '';
      if (c.restarting) {
        return fail(
          at,
          `${c.name} is restarting right now (${c.restartCount} restart(s)${last})${oom}: the app keeps exiting. Read \`docker logs ${c.name}\` and fix the cause.`,
        );
      }
      if (c.restartCount > 0) {
        return fail(
          at,
          `${c.name} has restarted ${c.restartCount} time(s) since it was created${last}${oom}: the app crashed. Read \`docker logs ${c.name}\` and fix the cause.`,
        );
      }
      if (!c.running) return unknown(at, `${c.name} is not running (${c.status}${last}), so whether it would restart cannot be judged.`);
      return pass(at, `${c.name} is running and has not restarted.`, 'running, 0 restarts');
    });
  },
};

export default rule;
