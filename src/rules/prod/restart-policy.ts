import type { Environment } from '../../model/compose.js';
import { get, str } from '../../parse/yaml.js';
import type { Location, RawResult, Rule } from '../../types.js';
import { prodAbsenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { fail, pass, unknown } from '../_util.js';
import { asWritten } from './_limits.js';

/**
 * prod/restart-policy: every production service restarts after a crash or a host reboot:
 * `restart: always | unless-stopped | on-failure[:N]`, or `deploy.restart_policy` (its condition
 * defaults to `any`; `none` and `no` are no policy, as docker compose maps both to the engine's `no`). When both are set, `deploy.restart_policy` is the one
 * judged (compose applies it over `restart`). A one-shot job (another service waits for it with
 * `condition: service_completed_successfully`) passes without a policy or with `no`. Evidence: the policy, e.g. `unless-stopped`,
 * `on-failure:5`, `deploy.restart_policy: on-failure`.
 */
/**
 * One-shot jobs of an environment: services another service waits for with
 * `condition: service_completed_successfully` (migrations, seeds), mapped to the first service that waits.
 */
function oneShotJobs(env: Environment): Map<string, string> {
  const jobs = new Map<string, string>();
  for (const s of env.services) {
    const deps = sget(s, 'depends_on');
    if (deps?.kind !== 'map') continue;
    for (const e of deps.entries) {
      if (str(get(e.value, 'condition')) === 'service_completed_successfully' && !jobs.has(e.key)) jobs.set(e.key, s.name);
    }
  }
  return jobs;
}

const rule: Rule = {
  meta: {
    id: 'prod/restart-policy',
    title: 'Restart policy in production',
    severity: 'low',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: ['KICS restart_policy_on_failure_not_set_to_5'],
    rationale:
      'The default restart policy is `no`: a container that crashes, is killed by the OOM killer at its memory limit, or was ' +
      'running when the host rebooted stays down until someone notices. In production every long-running service should say how it ' +
      'comes back, usually `unless-stopped` or `on-failure` with a bounded number of retries. A one-shot job, a service that another ' +
      'waits for with `condition: service_completed_successfully` (a migration, a seed), is meant to exit: `unless-stopped` would ' +
      'run it again and again, so it passes without a policy (or with `no`); a policy it has (`on-failure`) is reported as usual.',
    fix: 'Set `restart: unless-stopped` (or `deploy.restart_policy: {condition: on-failure, max_attempts: 5}`) on every service in the production compose file.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n' },
      good: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    restart: unless-stopped\n' },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    const jobsOf = new Map<Environment, Map<string, string>>();
    for (const { env, svc, target } of services(project, true)) {
      const push = (r: RawResult) => out.push({ ...r, environment: env.name });
      if (!jobsOf.has(env)) jobsOf.set(env, oneShotJobs(env));
      const waiter = jobsOf.get(env)?.get(svc.name);
      const oneShot = (loc: Location) =>
        push(
          pass(
            target,
            loc,
            `\`${svc.name}\` is a one-shot job (\`${waiter}\` waits for it with \`service_completed_successfully\`), meant to exit, not to be restarted`,
            `one-shot job: \`${waiter}\` waits for it to complete successfully`,
          ),
        );
      const policy = sget(svc, 'deploy', 'restart_policy');
      const restart = sget(svc, 'restart');
      const downMsg = `so after a crash, an OOM kill or a host reboot it stays down until someone notices; set \`restart: unless-stopped\` (or \`on-failure\`) in the production compose file.`;
      if (policy) {
        const cond = get(policy, 'condition');
        const c = cond ? asWritten(cond) : 'any';
        if (c.includes('$'))
          push(
            unknown(target, nodeLoc(cond ?? policy), `The restart condition of service \`${svc.name}\` comes from a variable (\`${c}\`).`),
          );
        else if ((c === 'none' || c === 'no') && waiter) oneShot(nodeLoc(cond ?? policy));
        else if (c === 'none' || c === 'no')
          push(fail(target, nodeLoc(cond ?? policy), `Service \`${svc.name}\` has \`deploy.restart_policy.condition: ${c}\`, ${downMsg}`));
        else push(pass(target, nodeLoc(cond ?? policy), `restarts on condition \`${c}\``, `deploy.restart_policy: ${c}`));
        continue;
      }
      if (!restart && waiter) {
        oneShot(prodAbsenceLoc(env, svc));
        continue;
      }
      if (!restart) {
        push(fail(target, prodAbsenceLoc(env, svc), `Service \`${svc.name}\` has no restart policy in ${env.name}, ${downMsg}`));
        continue;
      }
      const v = asWritten(restart);
      if (v.includes('$'))
        push(unknown(target, nodeLoc(restart), `The restart policy of service \`${svc.name}\` comes from a variable (\`${v}\`).`));
      else if ((v === 'no' || v === 'false' || v === '') && waiter) oneShot(nodeLoc(restart));
      else if (v === 'no' || v === 'false' || v === '')
        push(fail(target, nodeLoc(restart), `Service \`${svc.name}\` has \`restart: no\`, ${downMsg}`));
      else push(pass(target, nodeLoc(restart), `restart policy \`${v}\``, v));
    }
    return out;
  },
};

export default rule;
