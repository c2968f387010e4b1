/** Helpers shared by compose/, prod/ and secrets/ rules: iterating services, locations, reading values. No I/O. */
import { composeBool } from '../compose/values.js';
import type { ComposeProject, Environment, Service, VarRef } from '../model/compose.js';
import type { Project } from '../model/project.js';
import { get, type PNode, type Prov, str } from '../parse/yaml.js';
import type { Location } from '../types.js';

export interface ServiceCtx {
  compose: ComposeProject;
  env: Environment;
  svc: Service;
  /** Result target: `<first compose file>#<service>`, e.g. `docker-compose.yml#backend`. */
  target: string;
}

export function provLoc(p: Prov): Location {
  return { file: p.file, line: p.range.line, column: p.range.column, endLine: p.range.endLine, endColumn: p.range.endColumn };
}

/** Where a node stands (for a map entry, prefer pointing at the value). */
export function nodeLoc(n: PNode): Location {
  return provLoc(n.prov);
}

export function serviceTarget(env: Environment, svc: Service): string {
  return `${env.files[0] ?? env.dir}#${svc.name}`;
}

const serviceLists = new WeakMap<Project, { all: ServiceCtx[]; prod: ServiceCtx[] }>();

/**
 * Every service of every environment; `prodOnly` restricts to production environments. Some thirty
 * rules iterate these: the lists (and each service's target string) are built once per project and
 * shared, read only.
 */
export function services(project: Project, prodOnly = false): readonly ServiceCtx[] {
  let lists = serviceLists.get(project);
  if (lists === undefined) {
    lists = { all: [], prod: [] };
    for (const compose of project.compose) {
      for (const env of compose.environments) {
        for (const svc of env.services) {
          const ctx: ServiceCtx = { compose, env, svc, target: serviceTarget(env, svc) };
          lists.all.push(ctx);
          if (env.isProd) lists.prod.push(ctx);
        }
      }
    }
    serviceLists.set(project, lists);
  }
  return prodOnly ? lists.prod : lists.all;
}

const variablesByService = new WeakMap<Environment, Map<string, VarRef[]>>();
const NO_VARIABLES: readonly VarRef[] = [];

/**
 * The variable uses of one service of an environment (`env.variables` whose `service` is its name),
 * in document order. The secrets rules ask this of every production service: the uses are grouped
 * once per environment instead of filtering every use of the environment for each service.
 */
export function serviceVariables(env: Environment, service: string): readonly VarRef[] {
  let bySvc = variablesByService.get(env);
  if (bySvc === undefined) {
    bySvc = new Map();
    for (const ref of env.variables) {
      if (ref.service === null) continue;
      const list = bySvc.get(ref.service);
      if (list === undefined) bySvc.set(ref.service, [ref]);
      else list.push(ref);
    }
    variablesByService.set(env, bySvc);
  }
  return bySvc.get(service) ?? NO_VARIABLES;
}

/**
 * Where to point when a setting every environment should have is absent: the service's key in the
 * base file (so dev and prod report the same line, and the fix lands in both).
 */
export function absenceLoc(_env: Environment, svc: Service): Location {
  return provLoc(svc.keyProvs[0] ?? svc.keyProv);
}

/**
 * Where to point when a production setting is absent: the service's key in the last file that
 * defines it — the prod overlay, where production settings belong — else the base file's key.
 */
export function prodAbsenceLoc(env: Environment, svc: Service): Location {
  const p = env.isProd ? svc.keyProvs[svc.keyProvs.length - 1] : svc.keyProvs[0];
  return provLoc(p ?? svc.keyProv);
}

/** Value at a dotted path inside the service. */
export function sget(svc: Service, k1: string, k2?: string, k3?: string, k4?: string): PNode | undefined {
  // Called for every service by most compose rules, with one to four keys: fixed parameters, no
  // rest array per call.
  let cur = get(svc.node, k1);
  if (k2 === undefined || cur === undefined) return cur;
  cur = get(cur, k2);
  if (k3 === undefined || cur === undefined) return cur;
  cur = get(cur, k3);
  if (k4 === undefined || cur === undefined) return cur;
  return get(cur, k4);
}

/** A compose boolean that is true as written (`true`, `yes`, `on`, ...: composeBool; no interpolation). */
export function isTrue(n: PNode | undefined): boolean {
  return composeBool(str(n)) === true;
}

/** Items of a sequence node (empty when absent or not a sequence). */
export function items(n: PNode | undefined): PNode[] {
  return n && n.kind === 'seq' ? n.items : [];
}
