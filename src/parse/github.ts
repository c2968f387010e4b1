/** GitHub Actions workflows → Workflow (src/model/workflow.ts): triggers, permissions, jobs, steps, reusable workflows. */
import { posix } from 'node:path';
import type { Job, PermissionLevel, Permissions, Trigger, TriggerKind, Workflow } from '../model/workflow.js';
import type { FileError } from '../types.js';
import {
  envMap,
  expandMatrix,
  fileProv,
  flag,
  instances,
  keyProvOf,
  POSIX_SHELLS,
  parseActionRef,
  runScript,
  strings,
  text,
} from './workflow-common.js';
import { get, type PMap, type PNode, type Prov, type YamlFile } from './yaml.js';

/** GitHub's `shell:` → program and the flags it runs with. */
function githubShell(shell: string | null, windows: boolean): { shell: string; errexit: boolean; pipefail: boolean } {
  if (!shell) return windows ? { shell: 'pwsh', errexit: false, pipefail: false } : { shell: 'bash', errexit: true, pipefail: false };
  const s = shell.trim();
  if (s === 'bash') return { shell: 'bash', errexit: true, pipefail: true };
  if (s === 'sh') return { shell: 'sh', errexit: true, pipefail: false };
  const prog = s.split(/\s+/)[0].replace(/^.*\//, '');
  if (POSIX_SHELLS.has(prog)) return { shell: prog, errexit: /\s-[a-z]*e/.test(s) || /errexit/.test(s), pipefail: /pipefail/.test(s) };
  return { shell: prog, errexit: false, pipefail: false };
}

/** Commands whose exit status is always 0 (`|| true`, `|| echo failed`). */

// ---------------------------------------------------------------------------------------------
// GitHub Actions

function permissions(n: PNode | undefined): Permissions | null {
  if (!n) return null;
  if (n.kind === 'scalar') {
    const t = (text(n) ?? '').trim();
    if (t === 'read-all') return { kind: 'read-all', scopes: {}, prov: n.prov };
    if (t === 'write-all') return { kind: 'write-all', scopes: {}, prov: n.prov };
    if (t === '' || t === '{}') return { kind: 'none', scopes: {}, prov: n.prov };
    return { kind: 'expression', scopes: {}, prov: n.prov };
  }
  if (n.kind === 'map') {
    const scopes: Record<string, PermissionLevel> = {};
    for (const e of n.entries) {
      const v = (text(e.value) ?? '').trim();
      if (v === 'read' || v === 'write' || v === 'none') scopes[e.key] = v;
    }
    return { kind: n.entries.length ? 'map' : 'none', scopes, prov: n.prov };
  }
  return null;
}

function triggerKind(event: string, value: PNode | undefined): TriggerKind {
  switch (event) {
    case 'push':
      if (
        value &&
        value.kind === 'map' &&
        (get(value, 'tags') || get(value, 'tags-ignore')) &&
        !get(value, 'branches') &&
        !get(value, 'branches-ignore')
      )
        return 'tag';
      return 'push';
    case 'pull_request':
    case 'pull_request_target':
    case 'merge_group':
      return 'pr';
    case 'schedule':
      return 'schedule';
    case 'workflow_dispatch':
    case 'repository_dispatch':
      return 'manual';
    case 'workflow_call':
      return 'call';
    case 'release':
    case 'registry_package':
      return 'tag';
    default:
      return 'other';
  }
}

function githubTriggers(on: PNode | undefined): Trigger[] {
  if (!on) return [];
  const make = (event: string, value: PNode | undefined, prov: Prov): Trigger => {
    const branches = value && value.kind === 'map' && get(value, 'branches') ? strings(get(value, 'branches')) : null;
    const crons =
      event === 'schedule' && value && value.kind === 'seq' ? value.items.map((i) => text(get(i, 'cron')) ?? '').filter(Boolean) : [];
    return { event, kind: triggerKind(event, value), branches, crons, prov };
  };
  if (on.kind === 'scalar') return [make(String(on.value ?? ''), undefined, on.prov)];
  if (on.kind === 'seq') return on.items.map((i) => make(text(i) ?? '', undefined, i.prov)).filter((t) => t.event);
  return on.entries.map((e) => make(e.key, e.value, e.keyProv));
}

/**
 * `if: github.event_name == 'push'` (or `!= 'pull_request'`, `contains(fromJSON('["push","schedule"]'), github.event_name)`)
 * narrows the triggers of a job or step; anything more complex keeps them.
 */
export function narrowByIf(triggers: Trigger[], cond: string | null): Trigger[] {
  if (!cond) return triggers;
  const c = cond.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1');
  const eq = [...c.matchAll(/github\.event_name\s*==\s*['"]([\w-]+)['"]/g)].map((m) => m[1]);
  for (const m of c.matchAll(/contains\(\s*fromJSON\(\s*'(\[[^\]']*\])'\s*\)\s*,\s*github\.event_name\s*\)/gi)) {
    try {
      const list: unknown = JSON.parse(m[1]);
      if (Array.isArray(list)) eq.push(...list.filter((x): x is string => typeof x === 'string'));
    } catch {
      // not a JSON list: the condition keeps the triggers
    }
  }
  const ne = [...c.matchAll(/github\.event_name\s*!=\s*['"]([\w-]+)['"]/g)].map((m) => m[1]);
  if (/!\s*contains|!\s*\(/.test(c)) return triggers;
  if (eq.length && !/&&/.test(c)) return triggers.filter((t) => eq.includes(t.event));
  if (ne.length && !/\|\|/.test(c)) return triggers.filter((t) => !ne.includes(t.event));
  return triggers;
}

export function githubWorkflow(path: string, yaml: YamlFile, root: PMap, errors: FileError[]): Workflow {
  const on = get(root, 'on') ?? get(root, 'true');
  const wf: Workflow = {
    platform: 'github',
    path,
    name: text(get(root, 'name')),
    yaml,
    onProv: keyProvOf(root, 'on') ?? keyProvOf(root, 'true'),
    jobsProv: keyProvOf(root, 'jobs'),
    triggers: githubTriggers(on),
    permissions: permissions(get(root, 'permissions')),
    env: envMap(get(root, 'env')),
    defaults: {
      shell: text(get(get(get(root, 'defaults'), 'run'), 'shell')),
      workingDirectory: text(get(get(get(root, 'defaults'), 'run'), 'working-directory')),
    },
    jobs: [],
    includes: [],
    reusable: false,
    fileProv: fileProv(path),
  };
  wf.reusable = wf.triggers.some((t) => t.kind === 'call');
  if (!on) errors.push({ file: path, message: 'workflow has no `on:` triggers', line: 1 });
  const jobs = get(root, 'jobs');
  if (jobs?.kind !== 'map') {
    errors.push({ file: path, message: 'workflow has no `jobs:` mapping', line: jobs?.prov.range.line ?? 1 });
    return wf;
  }
  for (const e of jobs.entries) {
    if (e.value.kind !== 'map') continue;
    wf.jobs.push(githubJob(wf, e.key, e.keyProv, e.value));
  }
  return wf;
}

/** A `with:` map's values and key positions (empty when absent or not a map). */
function withInputs(withNode: PNode | undefined): { withMap: Map<string, PNode>; withKeys: Map<string, Prov> } {
  const withMap = new Map<string, PNode>();
  const withKeys = new Map<string, Prov>();
  if (withNode?.kind === 'map') {
    for (const e of withNode.entries) {
      withMap.set(e.key, e.value);
      withKeys.set(e.key, e.keyProv);
    }
  }
  return { withMap, withKeys };
}

function githubJob(wf: Workflow, id: string, keyProv: Prov, n: PMap): Job {
  const runsOn = strings(get(n, 'runs-on')).join(' ').toLowerCase();
  const jobDefaults = get(get(n, 'defaults'), 'run');
  const shellText = text(get(jobDefaults, 'shell')) ?? wf.defaults.shell;
  const jobWd = text(get(jobDefaults, 'working-directory')) ?? wf.defaults.workingDirectory;
  const job: Job = {
    id,
    name: text(get(n, 'name')),
    keyProv,
    prov: n.prov,
    permissions: permissions(get(n, 'permissions')),
    continueOnError: flag(n, 'continue-on-error'),
    allowFailure: null,
    if: text(get(n, 'if')),
    ifProv: keyProvOf(n, 'if'),
    needs: strings(get(n, 'needs')),
    env: envMap(get(n, 'env')),
    matrix: expandMatrix(get(get(n, 'strategy'), 'matrix')),
    steps: [],
    uses: null,
    triggers: [],
    instances: [],
    extends: [],
    image: null,
    template: null,
    variables: new Map(),
  };
  job.triggers = narrowByIf(wf.triggers, job.if);
  const usesNode = get(n, 'uses');
  if (usesNode && usesNode.kind === 'scalar') {
    // A reusable workflow call: modelled as one step so actions and reusable workflows are judged alike.
    job.uses = parseActionRef(String(usesNode.value ?? ''), usesNode.prov);
    const { withMap, withKeys } = withInputs(get(n, 'with'));
    job.steps.push({
      index: 0,
      id: null,
      name: job.name,
      prov: n.prov,
      uses: job.uses,
      with: withMap,
      withKeys,
      run: null,
      env: new Map(),
      workingDirectory: null,
      continueOnError: null,
      if: null,
    });
  }
  const steps = get(n, 'steps');
  if (steps?.kind === 'seq') {
    steps.items.forEach((s, index) => {
      if (s.kind !== 'map') return;
      const usesN = get(s, 'uses');
      const { withMap, withKeys } = withInputs(get(s, 'with'));
      const runN = get(s, 'run');
      const sh = githubShell(text(get(s, 'shell')) ?? shellText, runsOn.includes('windows'));
      job.steps.push({
        index,
        id: text(get(s, 'id')),
        name: text(get(s, 'name')),
        prov: s.prov,
        uses: usesN?.kind === 'scalar' ? parseActionRef(String(usesN.value ?? ''), usesN.prov) : null,
        with: withMap,
        withKeys,
        run: runN?.kind === 'scalar' ? runScript(runN, sh.shell, sh.errexit, sh.pipefail) : null,
        env: envMap(get(s, 'env')),
        workingDirectory: text(get(s, 'working-directory')) ?? (runN ? jobWd : null),
        continueOnError: flag(s, 'continue-on-error'),
        if: text(get(s, 'if')),
        ifProv: keyProvOf(s, 'if'),
      });
    });
  }
  job.instances = instances(wf, job);
  return job;
}

export function linkReusableWorkflows(workflows: Workflow[]): void {
  const byPath = new Map(workflows.map((w) => [w.path, w]));
  for (const caller of workflows) {
    for (const job of caller.jobs) {
      if (job.uses?.kind !== 'local') continue;
      const callee = byPath.get(posix.normalize(job.uses.name.replace(/@.*$/, '')).replace(/^\.\//, ''));
      if (!callee?.reusable) continue;
      for (const j of callee.jobs) {
        const extra = job.triggers.filter((t) => !j.triggers.some((x) => x.event === t.event && x.prov === t.prov));
        j.triggers = [...j.triggers, ...extra];
      }
    }
  }
}
