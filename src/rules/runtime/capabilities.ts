import type { Rule } from '../../types.js';
import type { LiveContext } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass } from './_live.js';

/**
 * runtime/capabilities: `.HostConfig.CapAdd` adds nothing beyond Docker's default set (high), and
 * `.HostConfig.CapDrop` drops `ALL` (low when it does not). Names are compared without `CAP_` and
 * case-insensitively.
 */

/** Docker's default capability set (moby `oci/caps/defaults.go`). */
export const DEFAULT_CAPS = new Set([
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
]);

export function normaliseCap(c: string): string {
  return c.trim().toUpperCase().replace(/^CAP_/, '');
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/capabilities',
    title: 'Containers drop capabilities and add none beyond the defaults',
    severity: 'high',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      "Capabilities split root's power into pieces; Docker keeps 14 of them by default (CHOWN, DAC_OVERRIDE, NET_RAW, SETUID...). " +
      'Adding more (`SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `ALL`) hands a compromised process most of what `--privileged` would. ' +
      'Dropping `ALL` and adding back only what the app needs (often nothing, or `NET_BIND_SERVICE`) leaves an attacker with no ' +
      'kernel privileges to abuse, even as root in the container.',
    fix: 'Set `cap_drop: [ALL]` on the service and add back only what it needs (`cap_add: [NET_BIND_SERVICE]`); remove `SYS_ADMIN`, `NET_ADMIN` and the like.',
    examples: {
      bad: composeExample('services:\n  app:\n    image: example/app:3.1\n    cap_add:\n      - SYS_ADMIN\n'),
      good: composeExample(
        'services:\n  app:\n    image: example/app:3.1\n    cap_drop:\n      - ALL\n    cap_add:\n      - NET_BIND_SERVICE\n',
      ),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      const added = c.host.capAdd.map(normaliseCap);
      const beyond = added.filter((x) => !DEFAULT_CAPS.has(x));
      const dropsAll = c.host.capDrop.map(normaliseCap).includes('ALL');
      if (beyond.length > 0) {
        return fail(
          at,
          `${c.name} adds capabilities beyond Docker's defaults: ${beyond.map((b) => `\`${b}\``).join(', ')}${dropsAll ? '' : ' (and keeps the defaults)'}: a compromised process gets kernel powers close to \`--privileged\`. Remove them, \`cap_drop: [ALL]\` and add back only what the app needs.`,
        );
      }
      if (!dropsAll) {
        return fail(
          at,
          `${c.name} keeps Docker's ${DEFAULT_CAPS.size} default capabilities (NET_RAW, DAC_OVERRIDE, SETUID...): set \`cap_drop: [ALL]\` and add back only what the app needs.`,
          'low',
        );
      }
      const back = added.length > 0 ? `, adds back ${added.map((a) => `\`${a}\``).join(', ')}` : '';
      return pass(at, `${c.name} drops every capability${back ? ` and adds back only default ones` : ''}.`, `\`cap_drop: [ALL]\`${back}`);
    });
  },
};

export default rule;
