import type { Rule } from '../../types.js';
import type { LiveContext } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass, unknown } from './_live.js';

/**
 * runtime/log-rotation: `.HostConfig.LogConfig` bounds the container's logs, judged as
 * prod/log-rotation judges the compose file: `json-file` needs `max-size` (not -1) and `max-file`;
 * `local` rotates by default; `none` stores nothing; drivers that ship logs off the host (`syslog`,
 * `journald`, `fluentd`, `gelf`, `awslogs`, `splunk`, `gcplogs`, `loki`...) pass. The evidence uses
 * the same grammar: `json-file, max-size 10m, max-file 3`.
 */
const LOCAL_DEFAULTS: Record<string, string> = { 'max-size': '20m', 'max-file': '5', compress: 'true' };
const SHIPPING = /^(syslog|journald|fluentd|gelf|awslogs|splunk|gcplogs|logentries|etwlogs|loki|grafana\/loki.*|.*\/loki-docker-driver.*)$/;

function evidence(driver: string, o: Record<string, string>): string {
  const parts = [driver];
  if (o['max-size'] !== undefined) parts.push(`max-size ${o['max-size']}`);
  if (o['max-file'] !== undefined) parts.push(`max-file ${o['max-file']}`);
  if (o.compress === 'true') parts.push('compress');
  return parts.join(', ');
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/log-rotation',
    title: 'Container logs are rotated',
    severity: 'medium',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      "The engine's default `json-file` driver keeps everything a container prints in one file that never stops growing, unless the " +
      'container (or daemon.json at its creation) sets `max-size` and `max-file`. A chatty service or a crash loop then fills the ' +
      'disk, and a full disk stops every container on the host. The engine shows the log settings each container really got.',
    fix: 'Set `logging: {driver: json-file, options: {max-size: "20m", max-file: "5"}}` on the service (or `driver: local`), or set `log-opts` in /etc/docker/daemon.json, and recreate the container.',
    examples: {
      bad: composeExample('services:\n  app:\n    image: example/app:3.1\n    logging:\n      driver: json-file\n'),
      good: composeExample(
        'services:\n  app:\n    image: example/app:3.1\n    logging:\n      driver: json-file\n      options:\n        max-size: "20m"\n        max-file: "5"\n',
      ),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      const driver = c.host.logType;
      const o = c.host.logOptions;
      if (driver === '') return unknown(at, `The engine did not report the logging driver of ${c.name}.`);
      if (driver === 'json-file') {
        const size = o['max-size'];
        const files = o['max-file'];
        if (size === undefined || size === '-1' || size === '') {
          return fail(
            at,
            `${c.name} logs with \`json-file\` without \`max-size\`: the log file grows until the disk is full. Set \`max-size\` and \`max-file\` (or use the \`local\` driver) and recreate the container.`,
          );
        }
        if (files === undefined) {
          return fail(
            at,
            `${c.name} logs with \`json-file\` and \`max-size ${size}\` but no \`max-file\`: a single file is kept and thrown away at every roll. Set \`max-file\` too.`,
          );
        }
        return pass(at, `${c.name}'s logs rotate.`, evidence(driver, o));
      }
      if (driver === 'local')
        return pass(
          at,
          `${c.name}'s logs rotate (the \`local\` driver rotates by default).`,
          evidence(driver, { ...LOCAL_DEFAULTS, ...o }),
        );
      if (driver === 'none') return pass(at, `${c.name} stores no logs.`, 'none (logging disabled)');
      if (SHIPPING.test(driver)) return pass(at, `${c.name} ships its logs to \`${driver}\`, which owns their retention.`, driver);
      return unknown(
        at,
        `${c.name} uses the logging driver \`${driver}\`, which seaworthy does not know: check that it bounds what it keeps on the host.`,
      );
    });
  },
};

export default rule;
