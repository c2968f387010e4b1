import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, items, nodeLoc, services, sget } from '../_compose.js';
import { capName, resolve } from '../_compose-values.js';
import { fail, pass } from '../_util.js';

const rule: Rule = {
  meta: {
    id: 'compose/cap-drop-all',
    title: 'Drop all capabilities',
    severity: 'low',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS container_capabilities_unrestricted'],
    rationale:
      "Docker's default capability set (`CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `SETUID`, `SETGID`, `NET_RAW`, `KILL`, `MKNOD`, ...) is more than " +
      'most services use: an app that runs as a non-root user and listens on a high port needs none of it. Dropping everything and ' +
      'adding back only what is needed (`cap_drop: [ALL]` plus a short `cap_add`) makes a compromised process, or a root one, much less ' +
      'useful to an attacker. Dropping only some capabilities leaves the rest of the default set.',
    fix: 'Add `cap_drop: [ALL]` to the service and, if it fails to start, add back only the capabilities it needs with `cap_add` (e.g. `NET_BIND_SERVICE`, or `CHOWN`/`SETUID`/`SETGID` for images that drop privileges at start).',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
      good: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    cap_drop:\n      - ALL\n' },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const drop = sget(svc, 'cap_drop');
      const dropped = items(drop).map((i) => resolve(env, i)?.value ?? null);
      const added = items(sget(svc, 'cap_add'))
        .map((i) => resolve(env, i)?.value)
        .filter((v): v is string => !!v)
        .map(capName);
      let r: RawResult;
      if (dropped.some((d) => d !== null && capName(d) === 'ALL')) {
        const evidence = `\`cap_drop: [ALL]\`${added.length ? `, \`cap_add: [${added.join(', ')}]\`` : ''}`;
        r = pass(
          target,
          nodeLoc(drop ?? svc.node),
          `drops every capability${added.length ? ` and adds back ${added.join(', ')}` : ''}`,
          evidence,
        );
      } else if (drop && items(drop).length) {
        const names = dropped.map((d) => (d === null ? '(a variable)' : capName(d))).join(', ');
        r = fail(
          target,
          nodeLoc(drop),
          `Service \`${svc.name}\` drops only ${names}, so the rest of Docker's default capabilities stay available to a compromised process; use \`cap_drop: [ALL]\` and add back what it needs with \`cap_add\`.`,
        );
      } else {
        r = fail(
          target,
          absenceLoc(env, svc),
          `Service \`${svc.name}\` keeps Docker's default capabilities (\`CHOWN\`, \`DAC_OVERRIDE\`, \`SETUID\`, \`NET_RAW\`, ...), which most services never use and an attacker can; add \`cap_drop: [ALL]\` and add back only what it needs with \`cap_add\`.`,
        );
      }
      out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
