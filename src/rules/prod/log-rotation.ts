import { get, type PNode } from '../../parse/yaml.js';
import type { RawResult, Rule } from '../../types.js';
import { prodAbsenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { fail, pass, unknown } from '../_util.js';
import { asWritten, isUnlimited } from './_limits.js';

/**
 * prod/log-rotation: the logs of every production service are bounded.
 *
 * - no `logging.driver`: the daemon's default driver applies, and the repository does not say what
 *   it is (Docker's default is `json-file` without rotation unless `daemon.json` changes it) → fail;
 *   unless `max-size` and `max-file` are given, which the default driver then receives → pass;
 * - `json-file`: needs both `max-size` (not `-1`) and `max-file` (`max-file` alone does nothing, and
 *   `max-size` alone keeps a single file that is discarded at every roll);
 * - `local`: rotates by default (20m × 5 files, compressed) → pass;
 * - `none`: nothing is stored → pass ("logging disabled"; whether that is wise is not this rule's question);
 * - any other driver (`syslog`, `journald`, `fluentd`, `gelf`, `awslogs`, `splunk`, ...) ships the logs
 *   to a system that owns their retention; Docker keeps only a bounded local cache → pass;
 * - a driver from a variable → unknown.
 *
 * Evidence grammar (the report's "Service | Max Size | Max Files" table parses it): the driver,
 * then `, max-size <v>`, `, max-file <v>` and `, compress` when set, e.g.
 * `json-file, max-size 20m, max-file 5, compress`; `local, max-size 20m, max-file 5, compress`
 * (its defaults filled in); `none (logging disabled)`; `fluentd`.
 */

const LOCAL_DEFAULTS = { 'max-size': '20m', 'max-file': '5', compress: 'true' };

function opt(options: PNode | undefined, key: string): PNode | undefined {
  return get(options, key);
}

function evidenceOf(driver: string, options: PNode | undefined, defaults?: Record<string, string>): string {
  const v = (k: string) => {
    const n = opt(options, k);
    return n ? asWritten(n) : defaults?.[k];
  };
  const parts = [driver];
  const size = v('max-size');
  const files = v('max-file');
  if (size !== undefined) parts.push(`max-size ${size}`);
  if (files !== undefined) parts.push(`max-file ${files}`);
  if (v('compress') === 'true') parts.push('compress');
  return parts.join(', ');
}

const FIX =
  'set `logging: {driver: json-file, options: {max-size: "20m", max-file: "5"}}` (or `driver: local`) on the service in the production compose file';

const rule: Rule = {
  meta: {
    id: 'prod/log-rotation',
    title: 'Rotated logs in production',
    severity: 'medium',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: [],
    rationale:
      "Docker's default logging driver, `json-file`, keeps everything a container writes to stdout in one file that never stops " +
      'growing. A chatty service or a crash loop fills the disk in days, and a full disk takes down every container on the host, the ' +
      'database first. Production services need bounded logs: `json-file` with `max-size` and `max-file`, the `local` driver (which ' +
      "rotates by default), or a driver that ships logs off the host. Relying on the daemon's configuration is a guess the repository " +
      'cannot check.',
    fix: 'Add `logging: {driver: json-file, options: {max-size: "20m", max-file: "5"}}` to every service of the production compose file, or use `driver: local`.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    logging:\n      driver: json-file\n' },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  app:\n    image: alpine:3.20\n    logging:\n      driver: json-file\n      options:\n        max-size: "20m"\n        max-file: "5"\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project, true)) {
      const push = (r: RawResult) => out.push({ ...r, environment: env.name });
      const logging = sget(svc, 'logging');
      const driverNode = get(logging, 'driver');
      const options = get(logging, 'options');
      const driver = driverNode ? asWritten(driverNode) : undefined;
      const size = opt(options, 'max-size');
      const files = opt(options, 'max-file');
      const sizeOk = !!size && !isUnlimited(size);
      if (driver?.includes('$')) {
        push(
          unknown(
            target,
            nodeLoc(driverNode as PNode),
            `The logging driver of service \`${svc.name}\` comes from a variable (\`${driver}\`), so whether its logs rotate is unknown.`,
          ),
        );
        continue;
      }
      if (driver === undefined || driver === '') {
        if (sizeOk && files) {
          const evidence = evidenceOf('daemon default driver', options);
          push(pass(target, nodeLoc(options as PNode), `rotation options for the daemon's default driver: ${evidence}`, evidence));
          continue;
        }
        push(
          fail(
            target,
            logging ? nodeLoc(logging) : prodAbsenceLoc(env, svc),
            `Service \`${svc.name}\` sets no logging driver in ${env.name}, so the daemon default applies, which is not known from the repository (Docker's own default, json-file, never rotates) and the logs can fill the disk; ${FIX}.`,
          ),
        );
        continue;
      }
      if (driver === 'json-file') {
        if (sizeOk && files) {
          const evidence = evidenceOf(driver, options);
          push(pass(target, nodeLoc(logging as PNode), `logs rotate: ${evidence}`, evidence));
          continue;
        }
        const missing = [!size ? '`max-size`' : !sizeOk ? '`max-size` (`-1` is unlimited)' : null, !files ? '`max-file`' : null].filter(
          Boolean,
        );
        const why = !size
          ? 'so the log file grows without bound until the disk is full'
          : 'so the single log file is discarded at every roll and no history is kept';
        push(
          fail(
            target,
            size && !sizeOk ? nodeLoc(size) : nodeLoc(options ?? (driverNode as PNode)),
            `Service \`${svc.name}\` logs with json-file without ${missing.join(' and ')}, ${why}; set both \`max-size\` (e.g. "20m") and \`max-file\` (e.g. "5") under \`logging.options\`.`,
          ),
        );
        continue;
      }
      const at = nodeLoc(driverNode as PNode);
      if (driver === 'local') {
        const evidence = evidenceOf(driver, options, LOCAL_DEFAULTS);
        push(pass(target, at, `the local driver rotates by default (${evidence})`, evidence));
      } else if (driver === 'none') {
        push(pass(target, at, 'logging disabled: nothing is written to the disk', 'none (logging disabled)'));
      } else {
        push(
          pass(
            target,
            at,
            `logs are shipped with the \`${driver}\` driver, which owns their retention; Docker keeps only a bounded local cache`,
            driver,
          ),
        );
      }
    }
    return out;
  },
};

export default rule;
