import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { fail, pass, unknown } from '../_util.js';
import { parseBool, securityOpts } from './_security-opt.js';

const FIX = 'add `security_opt: ["no-new-privileges:true"]`';

const rule: Rule = {
  meta: {
    id: 'compose/no-new-privileges',
    title: 'Set no-new-privileges',
    severity: 'medium',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: ['KICS no_new_privileges_not_set', 'CIS-5.26'],
    rationale:
      'Without `no-new-privileges`, a process in the container can gain privileges by executing a setuid or setgid binary ' +
      '(`su`, `sudo`, `passwd`, `mount`, or one an attacker managed to write) or a file with file capabilities. With it, the ' +
      'kernel refuses any privilege gain across `execve`, so a compromised non-root process stays non-root even when the image ' +
      'still ships setuid programs. It costs nothing for a service that does not switch users after start (entrypoints that ' +
      'drop privileges with `gosu`/`su-exec`/`setpriv` still work: they only lower them).',
    fix: 'Add `security_opt: ["no-new-privileges:true"]` to the service (or to a shared `x-` anchor merged into every service).',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
      good: {
        file: 'docker-compose.yml',
        content: 'services:\n  app:\n    image: alpine:3.20\n    security_opt:\n      - no-new-privileges:true\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const opts = securityOpts(env, svc);
      const nnp = opts.filter((o) => o.name === 'no-new-privileges');
      // dockerd applies the options in order; the last no-new-privileges wins.
      const last = nnp[nnp.length - 1];
      let r: RawResult;
      if (last) {
        const on = last.value === null ? true : parseBool(last.value);
        if (on === true) {
          r = pass(target, nodeLoc(last.node), 'no-new-privileges is set', '`no-new-privileges:true`');
        } else if (on === false) {
          r = fail(
            target,
            nodeLoc(last.node),
            `\`${last.raw}\` explicitly lets processes of \`${svc.name}\` gain privileges through setuid binaries; set it to \`no-new-privileges:true\`.`,
          );
        } else {
          r = unknown(
            target,
            nodeLoc(last.node),
            `\`${last.raw}\` is not a boolean dockerd accepts, so the container would not start as written; use \`no-new-privileges:true\`.`,
          );
        }
      } else {
        const unresolved = opts.find((o) => o.name === null);
        const so = sget(svc, 'security_opt');
        if (unresolved) {
          r = unknown(
            target,
            nodeLoc(unresolved.node),
            `\`${unresolved.raw}\` comes from a variable without a default, so whether \`${svc.name}\` sets no-new-privileges is unknown; ${FIX} as a literal item.`,
          );
        } else {
          r = fail(
            target,
            so ? nodeLoc(so) : absenceLoc(env, svc),
            `Service \`${svc.name}\` does not set no-new-privileges, so a process in it can gain privileges by running a setuid binary; ${FIX}.`,
          );
        }
      }
      out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
