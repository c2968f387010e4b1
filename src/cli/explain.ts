/** `seaworthy explain RULE`: a rule's documentation, from its metadata. */
import { GENERATED_NOTICE, renderRuleDoc } from '../docs/rule-doc.js';
import { ALL_RULES } from '../rules/all.js';
import type { RuleMeta } from '../types.js';

/**
 * Finds a rule by id; failing that, by an alias (`DL3002`) or by its bare name (`non-root-user`)
 * when exactly one rule matches. Case-insensitive for aliases and names.
 */
export function findRule(query: string, metas: readonly RuleMeta[]): RuleMeta | null {
  const q = query.trim();
  const exact = metas.find((m) => m.id === q);
  if (exact) return exact;
  const lower = q.toLowerCase();
  const unique = (list: RuleMeta[]) => (list.length === 1 ? list[0] : null);
  return (
    unique(metas.filter((m) => m.id.toLowerCase() === lower)) ??
    unique(metas.filter((m) => m.aliases.some((a) => a.toLowerCase() === lower))) ??
    unique(metas.filter((m) => m.id.slice(m.id.indexOf('/') + 1).toLowerCase() === lower))
  );
}

/** The rule's page as Markdown, or null when no rule matches (the CLI then exits 2). */
export function explainCommand(id: string, metas: readonly RuleMeta[] = ALL_RULES.map((r) => r.meta)): string | null {
  const meta = findRule(id, metas);
  // The generated-file notice is for the docs folder, not the terminal.
  return meta ? renderRuleDoc(meta).replace(`${GENERATED_NOTICE}\n\n`, '') : null;
}
