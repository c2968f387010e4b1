/** `seaworthy rules`: the rule catalogue, from rule metadata. */
import { ALL_RULES } from '../rules/all.js';
import type { RuleMeta } from '../types.js';

export interface RulesOptions {
  format?: 'text' | 'json';
}

function defaultMetas(): RuleMeta[] {
  return ALL_RULES.map((r) => r.meta);
}

export function rulesCommand(opts: RulesOptions = {}, metas: readonly RuleMeta[] = defaultMetas()): string {
  if (opts.format === 'json') {
    const rows = metas.map((m) => ({
      id: m.id,
      severity: m.severity,
      family: m.family,
      target: m.target,
      env: m.env,
      title: m.title,
      aliases: [...m.aliases],
    }));
    return `${JSON.stringify(rows, null, 2)}\n`;
  }
  const header = ['ID', 'SEVERITY', 'TITLE', 'ALIASES'];
  const rows = metas.map((m) => [m.id, m.severity, m.title, m.aliases.join(', ')]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n${metas.length} rules. \`seaworthy explain <id>\` shows one.\n`;
}
