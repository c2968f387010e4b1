/**
 * GitLab CI (`.gitlab-ci.yml`) → Workflow: jobs (top-level keys that are neither reserved words nor
 * hidden `.templates`), `extends` and `!reference` resolved, `before_script`/`script`/`after_script`
 * lines parsed as shell, `allow_failure`, `rules`/`only`/`except` → triggers, `include:` entries.
 */
import type { Include, Job, Matrix, MatrixValue, Trigger, TriggerKind, Workflow } from '../model/workflow.js';
import type { FileError } from '../types.js';
import { envMap, fileProv, flag, instances, keyProvOf, runScript, strings, text, toMatrixValue } from './workflow-common.js';
import { get, type PMap, type PNode, type Prov, type PScalar, type YamlFile } from './yaml.js';

// ---------------------------------------------------------------------------------------------
// GitLab CI

const GITLAB_RESERVED = new Set([
  'default',
  'include',
  'before_script',
  'image',
  'services',
  'after_script',
  'variables',
  'stages',
  'cache',
  'workflow',
  'types',
  'spec',
]);

/** Deep merge for `extends`: maps merge key by key, everything else is replaced by the child. */
function mergeMaps(base: PMap, over: PMap): PMap {
  const entries = base.entries.filter((e) => !over.entries.some((o) => o.key === e.key));
  for (const o of over.entries) {
    const b = base.entries.find((e) => e.key === o.key);
    if (b && b.value.kind === 'map' && o.value.kind === 'map') entries.push({ ...o, value: mergeMaps(b.value, o.value) });
    else entries.push(o);
  }
  return { kind: 'map', entries, prov: over.prov };
}

function resolveExtends(root: PMap, n: PMap, seen: Set<string>): { node: PMap; names: string[] } {
  const names = strings(get(n, 'extends'));
  let base: PMap | null = null;
  const all: string[] = [];
  for (const name of names) {
    if (seen.has(name)) continue;
    const t = get(root, name);
    if (t?.kind !== 'map') continue;
    const inner = resolveExtends(root, t, new Set([...seen, name]));
    all.push(name, ...inner.names);
    base = base ? mergeMaps(base, inner.node) : inner.node;
  }
  return { node: base ? mergeMaps(base, n) : n, names: all };
}

/** `!reference [.job, script]` → the referenced node. */
function deref(root: PMap, n: PNode): PNode[] {
  if (n.kind === 'seq' && n.tag === '!reference') {
    let cur: PNode | undefined = root;
    for (const part of n.items) cur = get(cur, text(part) ?? '');
    if (!cur) return [];
    return cur.kind === 'seq' ? cur.items.flatMap((i) => deref(root, i)) : [cur];
  }
  if (n.kind === 'seq') return n.items.flatMap((i) => deref(root, i));
  return [n];
}

function scriptLines(root: PMap, n: PNode | undefined): PScalar[] {
  if (!n) return [];
  return deref(root, n).filter((x): x is PScalar => x.kind === 'scalar' && x.value !== null);
}

type Source = 'push' | 'pr' | 'schedule' | 'manual' | 'tag';
const SOURCES: Source[] = ['push', 'pr', 'schedule', 'manual', 'tag'];
type Tri = boolean | null;

interface VarValue {
  defined: boolean | null;
  value: string | null;
}

function predefined(name: string, src: Source): VarValue {
  switch (name) {
    case 'CI_PIPELINE_SOURCE':
      return {
        defined: true,
        value: src === 'pr' ? 'merge_request_event' : src === 'schedule' ? 'schedule' : src === 'manual' ? 'web' : 'push',
      };
    case 'CI_COMMIT_BRANCH':
      return { defined: src === 'push' || src === 'schedule' || src === 'manual', value: null };
    case 'CI_COMMIT_TAG':
      return { defined: src === 'tag', value: null };
    case 'CI_MERGE_REQUEST_IID':
    case 'CI_MERGE_REQUEST_ID':
    case 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME':
    case 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME':
      return { defined: src === 'pr', value: null };
    case 'CI_COMMIT_REF_NAME':
    case 'CI_DEFAULT_BRANCH':
    case 'CI_COMMIT_SHA':
      return { defined: true, value: null };
    default:
      return { defined: null, value: null };
  }
}

/** Evaluates a GitLab `rules: if:` expression for a pipeline source: true, false, or null (depends on other things). */
export function evalGitlabIf(expr: string, src: Source): Tri {
  const toks =
    expr.match(/\$\{?\w+\}?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/(?:[^/\\]|\\.)*\/[a-z]*|==|!=|=~|!~|&&|\|\||\(|\)|null|[^\s()]+/g) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const operand = (): VarValue | { lit: string | null; regex?: RegExp | null } => {
    const t = toks[i++] ?? '';
    if (t.startsWith('$')) return predefined(t.replace(/^\$\{?|\}$/g, ''), src);
    if (t === 'null') return { lit: null };
    if (t.startsWith('"') || t.startsWith("'")) return { lit: t.slice(1, -1) };
    if (t.startsWith('/')) {
      const m = /^\/(.*)\/([a-z]*)$/.exec(t);
      let re: RegExp | null = null;
      try {
        re = m ? new RegExp(m[1], m[2].replace(/[^imsu]/g, '')) : null;
      } catch {
        re = null;
      }
      return { lit: t, regex: re };
    }
    return { lit: t };
  };
  const primary = (): Tri => {
    if (peek() === '(') {
      i++;
      const v = orExpr();
      if (peek() === ')') i++;
      return v;
    }
    const left = operand();
    const op = peek();
    if (op === '==' || op === '!=' || op === '=~' || op === '!~') {
      i++;
      const right = operand();
      let r: Tri;
      if ('defined' in left) {
        const lit = 'lit' in right ? right.lit : null;
        if (op === '==' || op === '!=') {
          if (lit === null && 'lit' in right) r = left.defined === null ? null : !left.defined;
          else if (left.defined === false) r = false;
          else if (left.value !== null && lit !== null) r = left.value === lit;
          else r = null;
          if (op === '!=' && r !== null) r = !r;
        } else {
          const re = 'regex' in right ? right.regex : null;
          if (left.defined === false) r = false;
          else if (left.value !== null && re) r = re.test(left.value);
          else r = null;
          if (op === '!~' && r !== null) r = !r;
        }
      } else r = null;
      return r;
    }
    if ('defined' in left) return left.defined === null ? null : left.defined;
    return null;
  };
  const andExpr = (): Tri => {
    let v = primary();
    while (peek() === '&&') {
      i++;
      const r = primary();
      v = v === false || r === false ? false : v === true && r === true ? true : null;
    }
    return v;
  };
  const orExpr = (): Tri => {
    let v = andExpr();
    while (peek() === '||') {
      i++;
      const r = andExpr();
      v = v === true || r === true ? true : v === false && r === false ? false : null;
    }
    return v;
  };
  return orExpr();
}

/** Which pipeline sources a `rules:` list lets a job (or the pipeline) run in, and how. */
function rulesSources(rules: PNode): Map<Source, 'yes' | 'manual'> {
  const out = new Map<Source, 'yes' | 'manual'>();
  const list = rules.kind === 'seq' ? rules.items : [];
  for (const src of SOURCES) {
    for (const rule of list) {
      if (rule.kind !== 'map') continue;
      const cond = get(rule, 'if');
      const c: Tri = cond ? evalGitlabIf(text(cond) ?? '', src) : get(rule, 'changes') || get(rule, 'exists') ? null : true;
      if (c === false) continue;
      const when = text(get(rule, 'when')) ?? 'on_success';
      if (when === 'never') {
        if (c === true) break;
        continue;
      }
      out.set(src, when === 'manual' ? 'manual' : 'yes');
      break;
    }
  }
  return out;
}

function onlySources(n: PNode): Set<Source> {
  const refs = n.kind === 'map' ? strings(get(n, 'refs')) : strings(n);
  const out = new Set<Source>();
  for (const r of refs) {
    switch (r) {
      case 'branches':
        out.add('push').add('schedule').add('manual');
        break;
      case 'tags':
        out.add('tag');
        break;
      case 'merge_requests':
        out.add('pr');
        break;
      case 'schedules':
        out.add('schedule');
        break;
      case 'web':
      case 'api':
      case 'triggers':
      case 'pipelines':
        out.add('manual');
        break;
      case 'pushes':
        out.add('push');
        break;
      default:
        // a branch name or pattern
        out.add('push');
    }
  }
  return out;
}

function mentionsSchedule(n: PNode | undefined): boolean {
  if (!n) return false;
  if (n.kind === 'scalar') return /schedule/.test(String(n.value ?? ''));
  if (n.kind === 'seq') return n.items.some(mentionsSchedule);
  return n.entries.some((e) => mentionsSchedule(e.value));
}

const SOURCE_EVENT: Record<Source, string> = { push: 'push', pr: 'merge_request_event', schedule: 'schedule', manual: 'web', tag: 'tag' };
const SOURCE_KIND: Record<Source, TriggerKind> = { push: 'push', pr: 'pr', schedule: 'schedule', manual: 'manual', tag: 'tag' };

function jobSources(n: PMap): { sources: Map<Source, 'yes' | 'manual'>; prov: Prov | null } {
  const rules = get(n, 'rules');
  if (rules) return { sources: rulesSources(rules), prov: rules.prov };
  const when = text(get(n, 'when'));
  let set = new Set<Source>(['push', 'schedule', 'manual', 'tag']);
  const only = get(n, 'only');
  if (only) set = onlySources(only);
  const except = get(n, 'except');
  if (except) for (const s of onlySources(except)) set.delete(s);
  const sources = new Map<Source, 'yes' | 'manual'>();
  for (const s of set) sources.set(s, when === 'manual' ? 'manual' : 'yes');
  return { sources, prov: only?.prov ?? null };
}

export function gitlabWorkflow(path: string, yaml: YamlFile, root: PMap, errors: FileError[]): Workflow {
  const wfRules = get(get(root, 'workflow'), 'rules');
  const wf: Workflow = {
    platform: 'gitlab',
    path,
    name: text(get(get(root, 'workflow'), 'name')),
    yaml,
    onProv: keyProvOf(root, 'workflow'),
    jobsProv: null,
    triggers: [],
    permissions: null,
    env: envMap(get(root, 'variables')),
    defaults: { shell: null, workingDirectory: null },
    jobs: [],
    includes: gitlabIncludes(get(root, 'include')),
    reusable: false,
    fileProv: fileProv(path),
  };
  const defaults = get(root, 'default');
  const defaultBefore = get(defaults, 'before_script') ?? get(root, 'before_script');
  const defaultAfter = get(defaults, 'after_script') ?? get(root, 'after_script');
  const defaultImage = imageName(get(defaults, 'image') ?? get(root, 'image'));

  // Which pipeline sources create pipelines at all.
  const explicitSchedule = mentionsSchedule(wfRules);
  let pipeline: Set<Source>;
  if (wfRules) pipeline = new Set(rulesSources(wfRules).keys());
  else {
    pipeline = new Set<Source>(['push', 'schedule', 'manual', 'tag']);
    // merge request pipelines exist when some job asks for them
    for (const e of root.entries) {
      if (e.value.kind === 'map' && get(e.value, 'rules') && rulesSources(get(e.value, 'rules') as PNode).has('pr')) pipeline.add('pr');
    }
  }
  const pipelineProv = wfRules?.prov ?? fileProv(path);
  wf.triggers = [...pipeline].map((s) => ({
    event: SOURCE_EVENT[s],
    kind: SOURCE_KIND[s],
    branches: null,
    crons: [],
    prov: pipelineProv,
    ...(s === 'schedule' && !explicitSchedule ? { unconfirmed: true } : {}),
  }));

  for (const e of root.entries) {
    if (GITLAB_RESERVED.has(e.key) || e.key.startsWith('.') || e.value.kind !== 'map') continue;
    if (!wf.jobsProv) wf.jobsProv = e.keyProv;
    const { node, names } = resolveExtends(root, e.value, new Set([e.key]));
    if (get(node, 'trigger')) continue; // a child/multi-project pipeline trigger, not a job that runs commands
    const { sources, prov: srcProv } = jobSources(node);
    const jobSchedule = explicitSchedule || mentionsSchedule(get(node, 'rules')) || mentionsSchedule(get(node, 'only'));
    const triggers: Trigger[] = [];
    for (const [s, how] of sources) {
      if (!pipeline.has(s)) continue;
      triggers.push({
        event: how === 'manual' ? 'manual' : SOURCE_EVENT[s],
        kind: how === 'manual' ? 'manual' : SOURCE_KIND[s],
        branches: null,
        crons: [],
        prov: srcProv ?? e.keyProv,
        ...(s === 'schedule' && !jobSchedule ? { unconfirmed: true } : {}),
      });
    }
    const job: Job = {
      id: e.key,
      name: e.key,
      keyProv: e.keyProv,
      prov: e.value.prov,
      permissions: null,
      continueOnError: null,
      allowFailure: flag(node, 'allow_failure'),
      if: null,
      needs: strings(get(node, 'needs')),
      env: new Map(),
      matrix: gitlabMatrix(get(get(node, 'parallel'), 'matrix')),
      steps: [],
      uses: null,
      triggers,
      instances: [],
      extends: names,
      image: imageName(get(node, 'image')) ?? defaultImage,
      template: null,
      variables: new Map([...wf.env, ...envMap(get(node, 'variables'))]),
    };
    const before = get(node, 'before_script') ?? defaultBefore;
    const after = get(node, 'after_script') ?? defaultAfter;
    let index = 0;
    for (const [section, n] of [
      ['before_script', before],
      ['script', get(node, 'script')],
      ['after_script', after],
    ] as const) {
      for (const line of scriptLines(root, n)) {
        job.steps.push({
          index: index++,
          id: null,
          name: null,
          prov: line.prov,
          uses: null,
          with: new Map(),
          withKeys: new Map(),
          run: runScript(line, 'bash', true, true),
          env: new Map(),
          workingDirectory: null,
          continueOnError: null,
          if: null,
          section,
        });
      }
    }
    job.instances = instances(wf, job);
    wf.jobs.push(job);
  }
  if (!wf.jobs.length && !wf.includes.length) errors.push({ file: path, message: 'GitLab CI file defines no jobs', line: 1 });
  return wf;
}

/** `parallel: matrix:` is a list of maps of lists: each map is a product, the list their union. */
function gitlabMatrix(n: PNode | undefined): Matrix {
  if (!n) return { status: 'none', prov: null, combinations: [{}] };
  if (n.kind !== 'seq') return { status: 'unknown', reason: 'the matrix is not a list', prov: n.prov, combinations: [] };
  const combos: Record<string, MatrixValue>[] = [];
  for (const item of n.items) {
    if (item.kind !== 'map') continue;
    let part: Record<string, MatrixValue>[] = [{}];
    for (const e of item.entries) {
      const values = e.value.kind === 'seq' ? e.value.items.map(toMatrixValue) : [toMatrixValue(e.value)];
      const next: Record<string, MatrixValue>[] = [];
      for (const c of part) for (const v of values) next.push({ ...c, [e.key]: v });
      part = next;
    }
    combos.push(...part);
  }
  return { status: 'known', prov: n.prov, combinations: combos.length ? combos : [{}] };
}

function imageName(n: PNode | undefined): string | null {
  if (!n) return null;
  if (n.kind === 'map') return text(get(n, 'name'));
  return text(n);
}

function gitlabIncludes(n: PNode | undefined): Include[] {
  if (!n) return [];
  const items = n.kind === 'seq' ? n.items : [n];
  const out: Include[] = [];
  for (const item of items) {
    if (item.kind === 'scalar') {
      const v = text(item) ?? '';
      out.push({ kind: /^https?:\/\//.test(v) ? 'remote' : 'local', value: v, ref: null, prov: item.prov });
      continue;
    }
    if (item.kind !== 'map') continue;
    for (const kind of ['template', 'local', 'remote', 'component'] as const) {
      const v = get(item, kind);
      if (!v) continue;
      const value = text(v) ?? '';
      const at = kind === 'component' ? value.lastIndexOf('@') : -1;
      out.push({ kind, value: at >= 0 ? value.slice(0, at) : value, ref: at >= 0 ? value.slice(at + 1) : null, prov: v.prov });
    }
    const project = get(item, 'project');
    if (project) out.push({ kind: 'project', value: text(project) ?? '', ref: text(get(item, 'ref')), prov: project.prov });
  }
  return out;
}

/** Cron → how often, in words (`weekly`, `daily`, `hourly`, `monthly`, `scheduled`). */
