import type { Rule } from '../../types.js';
import type { LiveContext } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass } from './_live.js';

/**
 * runtime/no-new-privileges: `.HostConfig.SecurityOpt` holds `no-new-privileges` (`:true`, `=true` or
 * bare). A daemon started with `--no-new-privileges` applies it without showing it there; the
 * message says so.
 */
export function noNewPrivileges(securityOpt: readonly string[]): boolean | null {
  let v: boolean | null = null;
  for (const o of securityOpt) {
    const m = /^no-new-privileges(?:[:=](.*))?$/i.exec(o.trim());
    if (m) v = m[1] === undefined || /^(true|1|yes)$/i.test(m[1]);
  }
  return v;
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/no-new-privileges',
    title: 'Containers cannot gain new privileges',
    severity: 'medium',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      '`no-new-privileges` stops a process from gaining privileges through setuid/setgid binaries or file capabilities: an attacker ' +
      'with code execution as the app user cannot climb back to root through `su`, `sudo` or a setuid helper left in the image. ' +
      'It costs nothing for an app that does not switch users after start.',
    fix: 'Add `security_opt: ["no-new-privileges:true"]` to the service (or start dockerd with `--no-new-privileges`).',
    examples: {
      bad: composeExample('services:\n  backend:\n    image: example/backend:1.4\n'),
      good: composeExample('services:\n  backend:\n    image: example/backend:1.4\n    security_opt:\n      - no-new-privileges:true\n'),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      const v = noNewPrivileges(c.host.securityOpt);
      if (v === true) return pass(at, `${c.name} cannot gain new privileges.`, '`no-new-privileges:true`');
      const why = v === false ? 'sets `no-new-privileges:false`' : 'lacks `no-new-privileges`';
      return fail(
        at,
        `${c.name} ${why}: a process in it can regain root through a setuid binary. Add \`security_opt: ["no-new-privileges:true"]\` (a daemon-wide \`--no-new-privileges\` does not show in the container's settings).`,
      );
    });
  },
};

export default rule;
