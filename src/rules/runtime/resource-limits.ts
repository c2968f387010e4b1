import type { Rule } from '../../types.js';
import type { ContainerFacts, LiveContext } from '../../live/model.js';
import { composeExample, eachContainer, fail, pass } from './_live.js';

/**
 * runtime/resource-limits: memory (`.HostConfig.Memory`), CPU (`.NanoCpus` or `.CpuQuota`) and PIDs
 * (`.PidsLimit`) are all limited. Evidence: `memory 256 MiB, 0.5 CPU, 100 PIDs`.
 */

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  if (i === 0 && n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${v} ${units[i]}`;
}

export function cpus(c: ContainerFacts): number | null {
  if (c.host.nanoCpus > 0) return c.host.nanoCpus / 1e9;
  if (c.host.cpuQuota > 0) return c.host.cpuQuota / (c.host.cpuPeriod > 0 ? c.host.cpuPeriod : 100_000);
  return null;
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/resource-limits',
    title: 'Containers have memory, CPU and PID limits',
    severity: 'medium',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      'Without limits one container can take the whole host: a memory leak triggers the kernel OOM killer on a random neighbour (often ' +
      'the database), a busy loop starves every other service of CPU, and a fork bomb exhausts the PID table so nothing on the host ' +
      'can start a process. Limits in a compose file only apply if that file was used; the engine shows what the container really got.',
    fix: 'Set `mem_limit`, `cpus` and `pids_limit` on the service (or `deploy.resources.limits: {memory, cpus, pids}`), sized from observed use.',
    examples: {
      bad: composeExample('services:\n  backend:\n    image: example/backend:1.4\n'),
      good: composeExample(
        'services:\n  backend:\n    image: example/backend:1.4\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n          cpus: "1.0"\n          pids: 200\n',
      ),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      const cpu = cpus(c);
      const missing: string[] = [];
      if (c.host.memory <= 0) missing.push('memory');
      if (cpu === null) missing.push('CPU');
      if (c.host.pidsLimit === null) missing.push('PIDs');
      if (missing.length > 0) {
        return fail(
          at,
          `${c.name} has no ${missing.join(', ')} limit: one runaway container can starve the host (OOM kills of neighbours, CPU starvation, a fork bomb). Set ${missing
            .map((m) => (m === 'memory' ? '`mem_limit`' : m === 'CPU' ? '`cpus`' : '`pids_limit`'))
            .join(', ')} (or \`deploy.resources.limits\`).`,
        );
      }
      const ev = `memory ${formatBytes(c.host.memory)}, ${round(cpu ?? 0)} CPU, ${c.host.pidsLimit} PIDs`;
      return pass(at, `${c.name} is limited: ${ev}.`, ev);
    });
  },
};

export default rule;
