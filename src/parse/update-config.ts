/**
 * Dependency update bots' configuration: Dependabot (`.github/dependabot.yml`) and Renovate
 * (`renovate.json`, `renovate.json5`, `.renovaterc*`, `.github/renovate.json`). Read once, into
 * UpdateConfig (src/model/workflow.ts); coverage of Dockerfiles is decided in src/model/ci.ts.
 */
import type { UpdateConfig } from '../model/workflow.js';
import type { FileError } from '../types.js';
import type { WorkflowReader } from './workflow.js';
import { get, parseYaml, str } from './yaml.js';

export function parseUpdateConfigs(reader: WorkflowReader, paths: string[]): { configs: UpdateConfig[]; errors: FileError[] } {
  const configs: UpdateConfig[] = [];
  const errors: FileError[] = [];
  for (const path of paths) {
    const r = reader.readText(path);
    if ('error' in r) {
      errors.push({ file: path, message: r.error });
      continue;
    }
    if (/dependabot\.ya?ml$/.test(path)) {
      const y = parseYaml(path, r.text);
      if (y.errors.length) {
        errors.push({ file: path, message: `invalid Dependabot YAML: ${y.errors[0].message}`, line: y.errors[0].line });
        continue;
      }
      const entries: UpdateConfig['entries'] = [];
      const updates = get(y.root, 'updates');
      for (const u of updates?.kind === 'seq' ? updates.items : []) {
        const ecosystem = str(get(u, 'package-ecosystem')) ?? '';
        const dirs: string[] = [];
        const one = str(get(u, 'directory'));
        if (one !== undefined) dirs.push(one);
        const many = get(u, 'directories');
        if (many?.kind === 'seq') for (const d of many.items) if (str(d) !== undefined) dirs.push(str(d) as string);
        entries.push({ ecosystem, directories: dirs, prov: u.prov });
      }
      configs.push({ tool: 'Dependabot', path, entries, dockerEnabled: entries.some((e) => e.ecosystem === 'docker'), ignorePaths: [] });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(json5ToJson(r.text));
    } catch (e) {
      errors.push({ file: path, message: `invalid Renovate configuration: ${(e as Error).message}` });
      configs.push({ tool: 'Renovate', path, entries: [], dockerEnabled: null, ignorePaths: [] });
      continue;
    }
    configs.push(renovate(path, json));
  }
  return { configs, errors };
}

/** Renovate's defaults from `config:recommended` (`:ignoreModulesAndTests`). */
const RECOMMENDED_IGNORES = [
  '**/node_modules/**',
  '**/bower_components/**',
  '**/vendor/**',
  '**/examples/**',
  '**/__tests__/**',
  '**/test/**',
  '**/tests/**',
  '**/__fixtures__/**',
];

function renovate(path: string, json: unknown): UpdateConfig {
  const o = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const extendsList = list(o.extends);
  let enabled: boolean | null = true;
  if (o.enabled === false) enabled = false;
  const managers = o.enabledManagers;
  if (Array.isArray(managers) && !list(managers).includes('dockerfile')) enabled = false;
  const df = o.dockerfile as Record<string, unknown> | undefined;
  if (df && typeof df === 'object' && df.enabled === false) enabled = false;
  const docker = o.docker as Record<string, unknown> | undefined;
  if (docker && typeof docker === 'object' && docker.enabled === false) enabled = false;
  if (extendsList.some((e) => e === 'docker:disable')) enabled = false;
  // `packageRules` that turn Docker updates off: a rule matching the `docker` datasource or the `dockerfile` manager with
  // `enabled: false` and no other match condition turns them all off; with other conditions (`matchPackageNames` ...) only some.
  // A later rule turns them back on the same way (Renovate applies rules in order).
  let partial: string | null = null;
  let rulesOff = false;
  const rules = Array.isArray(o.packageRules) ? o.packageRules : [];
  for (const r of rules) {
    if (!r || typeof r !== 'object' || typeof (r as Record<string, unknown>).enabled !== 'boolean') continue;
    const rule = r as Record<string, unknown>;
    if (!list(rule.matchDatasources).includes('docker') && !list(rule.matchManagers).includes('dockerfile')) continue;
    const others = Object.keys(rule).filter((k) => /^(match|exclude)[A-Z]/.test(k) && k !== 'matchDatasources' && k !== 'matchManagers');
    if (others.length) {
      if (rule.enabled === false) partial = others.map((k) => `\`${k}\``).join(', ');
    } else {
      rulesOff = rule.enabled === false;
      partial = null;
    }
  }
  if (rulesOff && enabled) enabled = false;
  const ignorePaths = list(o.ignorePaths);
  if (!('ignorePaths' in o) && extendsList.some((e) => /^(config:(recommended|base|best-practices)|:ignoreModulesAndTests)$/.test(e)))
    ignorePaths.push(...RECOMMENDED_IGNORES);
  return { tool: 'Renovate', path, entries: [], dockerEnabled: enabled, ignorePaths, dockerPartial: enabled ? partial : null };
}

/** JSON5 → JSON: comments, trailing commas, single-quoted strings and unquoted keys. */
export function json5ToJson(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const q = c;
      let s = '';
      i++;
      while (i < text.length && text[i] !== q) {
        if (text[i] === '\\' && i + 1 < text.length) {
          s += text[i] + text[i + 1];
          i += 2;
          continue;
        }
        s += text[i++];
      }
      i++;
      out += q === '"' ? `"${s}"` : JSON.stringify(s.replace(/\\'/g, "'"));
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (/[A-Za-z_$]/.test(c) && /[{,]\s*$/.test(out)) {
      let k = '';
      while (i < text.length && /[\w$]/.test(text[i])) k += text[i++];
      out += /^\s*:/.test(text.slice(i)) ? `"${k}"` : k;
      continue;
    }
    out += c;
    i++;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** A glob (`**`, `*`, `?`) as a regular expression over POSIX paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        if (glob[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
