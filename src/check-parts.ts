/**
 * `check` in parts (src/partition.ts): each part's model is built, judged and handed on as sorted
 * results, then dropped. The results, errors and notices are the ones the whole-repository check gives
 * (the tests compare both on the shared corpus); only memory and time differ.
 */
import { basename } from 'node:path';
import { type CheckOptions, type CheckOutcome, checkDiscovered, countFiles, discoverWithConfig, inlineIgnores, localDate, runRules } from './check.js';
import { applyPolicy, enabledRules, resolveFailOn } from './engine/index.js';
import { compareResults } from './format/report.js';
import { buildProject } from './model/build.js';
import type { DiscoveredFiles } from './model/project.js';
import { partFiles, planParts, REPOSITORY_RULES } from './partition.js';
import type { FileError, Result, RuleMeta, Severity } from './types.js';

/** What a check in parts gives besides its results (which went to `emit`). */
export interface PartsOutcome {
  root: string;
  errors: FileError[];
  notices: FileError[];
  rules: RuleMeta[];
  failOn: Severity;
  filesScanned: number;
  /** How many parts the repository was checked in. */
  parts: number;
}

export type StreamedCheck = { kind: 'parts'; outcome: PartsOutcome; durationMs: () => number } | { kind: 'whole'; outcome: CheckOutcome };

/**
 * Checks `path` in parts when it splits (see planParts), handing each part's results to `emit`
 * sorted, in the order of the whole report; otherwise checks it whole (nothing is emitted, the
 * outcome holds the report).
 */
export async function checkStreamed(path: string, options: CheckOptions, emit: (sorted: Result[]) => void): Promise<StreamedCheck> {
  const started = performance.now();
  const { discovery: d, config, configFile } = await discoverWithConfig(path, options);
  // SEAWORTHY_PARTS=0 checks whole whatever the repository (for comparing, or to rule the split out).
  const parts = process.env.SEAWORTHY_PARTS === '0' ? null : planParts(d, config);
  if (parts === null) return { kind: 'whole', outcome: await checkDiscovered(d, config, configFile, options, started) };

  const name = basename(d.root);
  const rules = enabledRules(config);
  const ranRules = new Set(rules.map((r) => r.meta.id));
  const today = options.today ?? localDate();
  const errors: FileError[] = [];
  const notices: FileError[] = [];
  const judge = async (
    inScope: (rel: string) => boolean,
    files: DiscoveredFiles | undefined,
    which: typeof rules,
  ): Promise<{ results: Result[]; escaped: boolean; errors: FileError[] }> => {
    const view = d.view(inScope, files);
    const project = await buildProject(view, name, { environments: config.environments });
    const ran = runRules(which, project);
    const policy = applyPolicy(ran.input, { config, ignores: inlineIgnores(project), today, ranRules });
    notices.push(...policy.notices);
    return { results: policy.results, escaped: view.escaped(), errors: [...project.errors, ...ran.errors] };
  };

  // The repository-wide rules, once, on the files they read; their results are merged into the
  // parts' in order. (The errors of reading those files are the parts' to report.)
  const envFiles = new Set([...d.files.envFiles, ...d.files.gitignores]);
  const wide = await judge(
    (rel) => envFiles.has(rel),
    undefined,
    rules.filter((r) => REPOSITORY_RULES.has(r.meta.id)),
  );
  const pending = wide.results.sort(compareResults);
  let next = 0;

  // Results about the repository itself (no file) sort first. They come from facts every part shares
  // (no CI workflow), so each part gives the same ones: the first part's are kept, and a part that
  // gives others is an error here, not a silent difference.
  let repoKeys: string | null = null;
  const partRules = rules.filter((r) => !REPOSITORY_RULES.has(r.meta.id));
  for (const part of parts) {
    const { results, escaped, errors: partErrors } = await judge(part.inScope, partFiles(d.files, part), partRules);
    errors.push(...partErrors);
    if (escaped) errors.push({ file: part.path, message: 'internal error: checked as a part of the repository, it reads files outside that part; its results may differ from a whole check' });
    const own: Result[] = [];
    const repo: Result[] = [];
    for (const r of results) (r.location.file === '' ? repo : own).push(r);
    repo.sort(compareResults);
    const keys = repo.map((r) => `${r.ruleId}\0${r.status}\0${r.message}`).join('\n');
    own.sort(compareResults);
    if (repoKeys === null) {
      repoKeys = keys;
      own.unshift(...repo); // no file: before every other result
    } else if (keys !== repoKeys) {
      errors.push({ file: part.path, message: 'internal error: repository-wide results of this part differ from the first part’s' });
    }
    // Merge in the repository-wide rules' results that sort before each of this part's.
    const out: Result[] = [];
    for (const r of own) {
      while (next < pending.length && compareResults(pending[next], r) < 0) out.push(pending[next++]);
      out.push(r);
    }
    if (out.length) emit(out);
  }
  if (next < pending.length) emit(pending.slice(next));

  return {
    kind: 'parts',
    outcome: {
      root: name,
      errors: [...d.errors, ...errors],
      notices,
      rules: rules.map((r) => r.meta),
      failOn: resolveFailOn(config, options.failOn),
      filesScanned: countFiles(d),
      parts: parts.length,
    },
    durationMs: () => Math.round(performance.now() - started),
  };
}
