/**
 * Rule documentation rendered from rule metadata, the only source of truth: the pages under
 * `docs/rules/`, `seaworthy explain` and the SARIF rule help all come from here.
 */
import { SECURITY_SEVERITY, sarifLevel } from '../format/report.js';
import type { Family, RuleExample, RuleMeta } from '../types.js';

export const DOCS_BASE_URL = 'https://github.com/seaworthy-dev/seaworthy/blob/main/docs/rules';

export const GENERATED_NOTICE = '<!-- Generated from the rule metadata by `npm run docs` (scripts/gen-docs.ts). Do not edit by hand. -->';

/** Family order of the catalogue (RULES.md order). */
export const FAMILY_ORDER: readonly Family[] = ['dockerfile', 'entrypoint', 'compose', 'prod', 'secrets', 'ci', 'runtime', 'image'];

const FAMILY_TITLES: Record<Family, string> = {
  dockerfile: 'Dockerfile (per image)',
  entrypoint: 'Entrypoint scripts (per script)',
  compose: 'Compose (per service, every environment)',
  prod: 'Production configuration (per service, production environment)',
  secrets: 'Secrets (per project)',
  ci: 'CI/CD scanning (per repository)',
  runtime: 'Runtime (per running container, `seaworthy verify`)',
  image: 'Built images (`seaworthy image`)',
};

/** `dockerfile/non-root-user` → `dockerfile/non-root-user.md`: the page path under `docs/rules/`. */
export function ruleDocPath(id: string): string {
  return `${id}.md`;
}

/** Absolute URL of a rule's page (SARIF `helpUri`). */
export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE_URL}/${ruleDocPath(id)}`;
}

/** Fenced code block whose fence is longer than any backtick run in the content. */
export function codeBlock(content: string, lang = ''): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${fence}${lang}\n${body}${fence}`;
}

/** Inline code span that survives backticks inside the text. */
export function inlineCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = longest > 0 || text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** Info string for a fenced block, from the example's file name. */
export function languageFor(file: string): string {
  const base = file.split('/').pop() ?? file;
  const lower = base.toLowerCase();
  if (lower === 'dockerfile' || lower === 'containerfile' || lower.endsWith('.dockerfile') || lower.startsWith('dockerfile.'))
    return 'dockerfile';
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) return 'yaml';
  if (lower.endsWith('.sh') || lower.endsWith('.bash')) return 'sh';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.toml')) return 'toml';
  if (lower.endsWith('.py')) return 'python';
  if (lower.endsWith('.js') || lower.endsWith('.mjs') || lower.endsWith('.cjs')) return 'js';
  if (lower.endsWith('.ts')) return 'ts';
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'dotenv';
  return 'text';
}

function renderExample(heading: string, ex: RuleExample): string {
  const parts = [`### ${heading}`, '', `${inlineCode(ex.file)}:`, '', codeBlock(ex.content, languageFor(ex.file))];
  const extra = Object.entries(ex.extraFiles ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [file, content] of extra) {
    parts.push('', `${inlineCode(file)}:`, '', codeBlock(content, languageFor(file)));
  }
  return parts.join('\n');
}

function envText(meta: RuleMeta): string {
  if (meta.family === 'runtime') return `running containers (\`seaworthy verify\`${meta.env === 'prod' ? ', production' : ''})`;
  return meta.env === 'prod' ? 'production environment only' : 'every environment';
}

function aliasesText(meta: RuleMeta): string {
  return meta.aliases.length > 0 ? meta.aliases.map(inlineCode).join(', ') : 'none';
}

/** The Markdown page of one rule. */
export function renderRuleDoc(meta: RuleMeta): string {
  const lines = [
    GENERATED_NOTICE,
    '',
    `# ${meta.id}: ${meta.title}`,
    '',
    `- **ID:** ${inlineCode(meta.id)}`,
    `- **Severity:** ${meta.severity} (SARIF level \`${sarifLevel(meta.severity)}\`, security-severity ${SECURITY_SEVERITY[meta.severity]})`,
    `- **Family:** ${meta.family}`,
    `- **Target:** ${meta.target}`,
    `- **Judged in:** ${envText(meta)}`,
    `- **Aliases:** ${aliasesText(meta)}`,
    '',
  ];
  if (meta.aliases.length > 0) {
    lines.push(
      'Inline ignores written for an alias (e.g. `# hadolint ignore=<id>`, `# checkov:skip=<id>`) also silence this rule; ' +
        `seaworthy's own form is \`# seaworthy-ignore ${meta.id} -- <reason>\`.`,
      '',
    );
  } else {
    lines.push(`Silence a single occurrence with \`# seaworthy-ignore ${meta.id} -- <reason>\`.`, '');
  }
  lines.push(
    '## Why it matters',
    '',
    meta.rationale,
    '',
    '## How to fix',
    '',
    meta.fix,
    '',
    '## Examples',
    '',
    renderExample('Fails', meta.examples.bad),
    '',
    renderExample('Passes', meta.examples.good),
    '',
  );
  return lines.join('\n');
}

/** Rule help for SARIF (`help.markdown`): rationale, fix, examples and aliases, no page chrome. */
export function renderRuleHelpMarkdown(meta: RuleMeta): string {
  const parts = [
    `**${meta.title}** (${inlineCode(meta.id)}, ${meta.severity})`,
    '',
    meta.rationale,
    '',
    `**Fix:** ${meta.fix}`,
    '',
    renderExample('Fails', meta.examples.bad),
    '',
    renderExample('Passes', meta.examples.good),
    '',
  ];
  if (meta.aliases.length > 0) parts.push(`**Aliases:** ${aliasesText(meta)}`, '');
  parts.push(`[Rule documentation](${ruleDocUrl(meta.id)})`, '');
  return parts.join('\n');
}

/** Rule help for SARIF (`help.text`). */
export function renderRuleHelpText(meta: RuleMeta): string {
  const parts = [meta.rationale, '', `Fix: ${meta.fix}`];
  if (meta.aliases.length > 0) parts.push('', `Aliases: ${meta.aliases.join(', ')}`);
  parts.push('', `Documentation: ${ruleDocUrl(meta.id)}`);
  return parts.join('\n');
}

function tableCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Metas grouped by family in catalogue order; registry order within a family. */
export function groupByFamily(metas: readonly RuleMeta[]): [Family, RuleMeta[]][] {
  const groups = new Map<Family, RuleMeta[]>();
  for (const m of metas) {
    const list = groups.get(m.family) ?? [];
    list.push(m);
    groups.set(m.family, list);
  }
  return FAMILY_ORDER.filter((f) => groups.has(f)).map((f) => [f, groups.get(f) ?? []]);
}

/** `docs/rules/README.md`: every rule, linking to its page (links relative to `docs/rules/`). */
export function renderCatalogue(metas: readonly RuleMeta[]): string {
  const lines = [
    GENERATED_NOTICE,
    '',
    '# seaworthy rules',
    '',
    `${metas.length} rules. Severity is the default; \`seaworthy.yml\` can override it. ` +
      'SARIF level: critical/high → `error`, medium → `warning`, low/info → `note`. ' +
      'Rules judged in *prod* look at the production configuration only.',
    '',
  ];
  for (const [family, list] of groupByFamily(metas)) {
    lines.push(`## ${FAMILY_TITLES[family]}`, '', '| Rule | Severity | Env | Title | Aliases |', '|---|---|---|---|---|');
    for (const m of list) {
      const aliases = m.aliases.map((a) => tableCell(inlineCode(a))).join(', ');
      lines.push(
        `| [${tableCell(inlineCode(m.id))}](${ruleDocPath(m.id)}) | ${m.severity} | ${m.env} | ${tableCell(m.title)} | ${aliases} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Every generated file under `docs/rules/`, keyed by its POSIX path relative to that folder. */
export function renderDocsTree(metas: readonly RuleMeta[]): Map<string, string> {
  const files = new Map<string, string>();
  files.set('README.md', renderCatalogue(metas));
  for (const m of metas) files.set(ruleDocPath(m.id), renderRuleDoc(m));
  return files;
}
