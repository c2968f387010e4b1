/**
 * Loading compose projects: grouping files into projects and environments, reading each file once,
 * following `include` and `extends`, merging in order, and collecting variable uses.
 */
import { posix } from 'node:path';
import type { ComposeProject, Environment, Service, VarRef } from '../model/compose.js';
import { parseInterpolation } from '../parse/interpolate.js';
import { type PEntry, type PMap, type PNode, type PScalar, type Prov, parseYaml, posInScalar, str, type YamlFile } from '../parse/yaml.js';
import type { FileError } from '../types.js';
import { mergeDocuments, normaliseDocument } from './merge.js';

export interface ComposeSource {
  /** Read a file by path relative to the scanned root (may refuse, e.g. outside the root). */
  read(rel: string): { text: string } | { error: string };
}

export interface EnvPlan {
  name: string;
  isProd: boolean;
  files: string[];
}

export interface ProjectPlan {
  dir: string;
  envs: EnvPlan[];
}

const BASE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERLAY = /^(?:docker-)?compose\.(.+)\.ya?ml$/i;
/** `docker-compose-prod.yml`, `compose_v4.yaml`: a prod overlay beside a base file (RULES.md: `*prod*`), else a stack of its own. */
const DASHED = /^(?:docker-)?compose[-_](.+)\.ya?ml$/i;
const PROD = /(^|[._-])prod(uction)?($|[._-])/i;
const NON_PROD = /^(override|dev|development|local|test|testing|ci|debug)$/i;

/** A compose file judged on its own (a lone overlay, a dashed variant): prod unless named for development. */
function alone(dir: string, file: string): ProjectPlan {
  const n = ((OVERLAY.exec(baseOf(file)) ?? DASHED.exec(baseOf(file)))?.[1] ?? '').toLowerCase();
  const isProd = PROD.test(n) || !NON_PROD.test(n);
  return { dir, envs: [{ name: isProd ? 'prod' : n, isProd, files: [file] }] };
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** A file of an explicit environment (config `environments:`) as a root-relative path (`./a/../b.yml` → `b.yml`). */
export function explicitFilePath(file: string): string {
  return posix.normalize(file.replace(/^\.\//, ''));
}

/**
 * Group compose files into projects and environments (RULES.md "Environments"). Explicit
 * environments from the config come first; files they name are not grouped again.
 */
export function planProjects(files: string[], explicit: Record<string, string[]> = {}): ProjectPlan[] {
  const plans: ProjectPlan[] = [];
  const used = new Set<string>();
  const explicitEnvs = Object.entries(explicit);
  if (explicitEnvs.length) {
    const byDir = new Map<string, EnvPlan[]>();
    for (const [name, fs] of explicitEnvs) {
      const norm = fs.map(explicitFilePath);
      for (const f of norm) used.add(f);
      const dir = dirOf(norm[0] ?? '');
      const list = byDir.get(dir) ?? [];
      list.push({ name, isProd: PROD.test(name), files: norm });
      byDir.set(dir, list);
    }
    for (const [dir, envs] of byDir) plans.push({ dir, envs });
  }
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    if (used.has(f)) continue;
    const d = dirOf(f);
    const list = byDir.get(d) ?? [];
    list.push(f);
    byDir.set(d, list);
  }
  for (const [dir, list] of [...byDir].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const names = new Map(list.map((f) => [baseOf(f).toLowerCase(), f]));
    const baseName = BASE_NAMES.find((b) => names.has(b));
    const base = baseName ? (names.get(baseName) as string) : null;
    // A dashed name with a production word beside a base file is a prod overlay like the dotted one
    // (`docker-compose-prod.yml`); any other dashed name (`docker-compose-sqlite.yml`,
    // `docker-compose-v4.yml`) is a variant of the stack, used alone (`docker compose -f`).
    const dashedProd = (f: string) => base !== null && PROD.test(DASHED.exec(baseOf(f))?.[1] ?? '');
    const overlays = list.filter((f) => f !== base && (OVERLAY.test(baseOf(f)) || dashedProd(f))).sort();
    const dashed = list.filter((f) => f !== base && !OVERLAY.test(baseOf(f)) && DASHED.test(baseOf(f)) && !dashedProd(f)).sort();
    const standalone = list.filter((f) => f !== base && !OVERLAY.test(baseOf(f)) && !DASHED.test(baseOf(f)));
    const suffix = (f: string) => (OVERLAY.exec(baseOf(f)) ?? DASHED.exec(baseOf(f)))?.[1] ?? '';
    if (base) {
      const overrides = overlays.filter((f) => /^override$/i.test(OVERLAY.exec(baseOf(f))?.[1] ?? ''));
      const prods = overlays.filter((f) => PROD.test(suffix(f)));
      const others = overlays.filter((f) => !overrides.includes(f) && !prods.includes(f));
      const envs: EnvPlan[] = [];
      const prodFiles = [base, ...prods];
      const devFiles = [base, ...overrides];
      if (overrides.length || prods.length) envs.push({ name: 'dev', isProd: false, files: devFiles });
      envs.push({ name: 'prod', isProd: true, files: prodFiles });
      for (const o of others) {
        const n = (OVERLAY.exec(baseOf(o))?.[1] ?? 'other').toLowerCase();
        envs.push({ name: n === 'dev' && envs.some((e) => e.name === 'dev') ? 'dev-overlay' : n, isProd: false, files: [base, o] });
      }
      plans.push({ dir, envs });
    } else for (const o of overlays) plans.push(alone(dir, o));
    // Variants: judged as prod unless named for development (`docker-compose-dev.yml`).
    for (const o of dashed) plans.push(alone(dir, o));
    for (const s of standalone) plans.push({ dir, envs: [{ name: 'prod', isProd: true, files: [s] }] });
  }
  return plans;
}

export interface LoadResult {
  projects: ComposeProject[];
  errors: FileError[];
  /** Every compose file read, parsed once (for comments / inline ignores). */
  files: Map<string, YamlFile>;
}

const TOP_KEYS = new Set(['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'include', 'models']);

export function loadCompose(src: ComposeSource, files: string[], explicit: Record<string, string[]> = {}, rootName = ''): LoadResult {
  const errors: FileError[] = [];
  const parsed = new Map<string, YamlFile>();
  const docs = new Map<string, PMap | null>();
  const reported = new Set<string>();
  const err = (e: FileError) => {
    const k = `${e.file}\0${e.line ?? ''}\0${e.message}`;
    if (reported.has(k)) return;
    reported.add(k);
    errors.push(e);
  };

  /** Parse one file once; null when it cannot be used (errors reported). */
  const loadFile = (path: string): PMap | null => {
    if (docs.has(path)) return docs.get(path) as PMap | null;
    docs.set(path, null);
    const r = src.read(path);
    if ('error' in r) {
      err({ file: path, message: r.error });
      return null;
    }
    const y = parseYaml(path, r.text);
    parsed.set(path, y);
    if (y.errors.length) {
      for (const e of y.errors) err({ file: path, message: `YAML: ${e.message}${e.column !== undefined ? ` (column ${e.column})` : ''}`, line: e.line });
      return null;
    }
    if (!y.root) {
      docs.set(path, { kind: 'map', entries: [], prov: { file: path, range: { line: 1, column: 1, endLine: 1, endColumn: 1 } } });
      return docs.get(path) as PMap;
    }
    if (y.root.kind !== 'map' || !y.root.entries.some((e) => TOP_KEYS.has(e.key) || e.key.startsWith('x-'))) {
      const v1 = y.root.kind === 'map' && y.root.entries.some((e) => e.value.kind === 'map' && e.value.entries.some((x) => x.key === 'image' || x.key === 'build'));
      err({
        file: path,
        message: v1
          ? 'not a Compose Specification file: services at the top level are the version 1 format, which docker compose v2 no longer reads'
          : 'not a compose file: expected a mapping with `services`',
        line: y.root.prov.range.line,
      });
      return null;
    }
    for (const e of y.root.entries) {
      if (!TOP_KEYS.has(e.key) && !e.key.startsWith('x-')) {
        err({ file: path, message: `unknown top-level key \`${e.key}\``, line: e.keyProv.range.line });
      }
    }
    const svcs = y.root.entries.find((e) => e.key === 'services');
    if (svcs && svcs.value.kind !== 'map' && !(svcs.value.kind === 'scalar' && svcs.value.value === null)) {
      err({ file: path, message: '`services` must be a mapping', line: svcs.keyProv.range.line });
      return null;
    }
    const doc = normaliseDocument(y.root);
    docs.set(path, doc);
    return doc;
  };

  /** A file with its `include`s and `extends` resolved; paths rebased onto `projectDir`. Included files are added to `included`. */
  const resolveFile = (path: string, projectDir: string, stack: string[], included: string[] = []): PMap | null => {
    if (stack.includes(path)) {
      err({ file: stack[stack.length - 1], message: `include cycle: ${[...stack, path].join(' → ')}` });
      return null;
    }
    const doc = loadFile(path);
    if (!doc) return null;
    // Paths in the file itself stay relative to the project folder (as for `-f` overlays);
    // included files are rebased below, extended services in resolveExtends.
    let out = resolveExtends(doc, path, [...stack, path]);
    const inc = out.entries.find((e) => e.key === 'include');
    if (inc) {
      out = { ...out, entries: out.entries.filter((e) => e !== inc) };
      const items = inc.value.kind === 'seq' ? inc.value.items : [inc.value];
      for (const item of items) {
        const paths: PNode[] = [];
        if (item.kind === 'scalar') paths.push(item);
        else if (item.kind === 'map') {
          const p = item.entries.find((e) => e.key === 'path')?.value;
          if (p?.kind === 'scalar') paths.push(p);
          else if (p?.kind === 'seq') paths.push(...p.items);
        }
        for (const p of paths) {
          const rel = str(p);
          if (!rel) continue;
          const target = posix.normalize(posix.join(dirOf(path), rel));
          if (target.startsWith('..') || posix.isAbsolute(rel)) {
            err({ file: path, line: p.prov.range.line, message: `include \`${rel}\` is outside the scanned root; not read (its services are unknown)` });
            continue;
          }
          // Included files resolve their own relative paths against their own folder.
          const slot = included.length;
          const incDoc = resolveFile(target, dirOf(target), [...stack, path], included);
          if (incDoc) {
            included.splice(slot, 0, target);
            out = mergeIncluded(out, rebase(incDoc, dirOf(target), projectDir));
          }
        }
      }
    }
    return out;
  };

  /** Resolve `extends` of every service in a document (chained, across files, cycles reported). */
  const resolveExtends = (doc: PMap, path: string, stack: string[]): PMap => {
    const svcs = doc.entries.find((e) => e.key === 'services');
    if (svcs?.value.kind !== 'map') return doc;
    const resolved = new Map<string, PMap>();
    const resolveService = (file: string, fileDoc: PMap, name: string, chain: string[]): PMap | null => {
      const key = `${file}#${name}`;
      if (chain.includes(key)) {
        err({ file, message: `extends cycle: ${[...chain, key].join(' → ')}` });
        return null;
      }
      const s = getMap(getMap(fileDoc, 'services'), name);
      if (!s) return null;
      const ext = s.entries.find((e) => e.key === 'extends');
      if (!ext) return s;
      let baseName: string | undefined;
      let baseFile = file;
      if (ext.value.kind === 'scalar') baseName = str(ext.value);
      else if (ext.value.kind === 'map') {
        baseName = str(ext.value.entries.find((e) => e.key === 'service')?.value);
        const f = str(ext.value.entries.find((e) => e.key === 'file')?.value);
        if (f) {
          const target = posix.normalize(posix.join(dirOf(file), f));
          if (target.startsWith('..') || posix.isAbsolute(f)) {
            err({ file, line: ext.keyProv.range.line, message: `extends file \`${f}\` is outside the scanned root; not read (service \`${name}\` is partly unknown)` });
            return { ...s, entries: s.entries.filter((e) => e !== ext) };
          }
          baseFile = target;
        }
      }
      const own = { ...s, entries: s.entries.filter((e) => e !== ext) };
      if (!baseName) return own;
      const baseDoc = baseFile === file ? fileDoc : loadFile(baseFile);
      if (!baseDoc) return own;
      let base = resolveService(baseFile, baseDoc, baseName, [...chain, key]);
      if (!base) {
        if (!chain.includes(`${baseFile}#${baseName}`) && !getMap(getMap(baseDoc, 'services'), baseName)) {
          err({ file, line: ext.keyProv.range.line, message: `extends: no service \`${baseName}\` in ${baseFile}` });
        }
        return own;
      }
      if (baseFile !== file) base = rebaseService(base, dirOf(baseFile), dirOf(file));
      const merged = mergeDocuments(wrapService(name, base), wrapService(name, own));
      return getMap(getMap(merged, 'services'), name) ?? own;
    };
    for (const e of svcs.value.entries) {
      if (e.value.kind !== 'map') continue;
      if (!e.value.entries.some((x) => x.key === 'extends')) continue;
      const r = resolveService(path, doc, e.key, stack.filter((x) => x.includes('#')));
      if (r) resolved.set(e.key, r);
    }
    if (!resolved.size) return doc;
    const entries = svcs.value.entries.map((e) => (resolved.has(e.key) ? { ...e, value: resolved.get(e.key) as PMap } : e));
    return { ...doc, entries: doc.entries.map((e) => (e === svcs ? { ...e, value: { ...(svcs.value as PMap), entries } } : e)) };
  };

  const projects: ComposeProject[] = [];
  for (const plan of planProjects(files, explicit)) {
    const envs: Environment[] = [];
    let projectName = '';
    for (const ep of plan.envs) {
      let merged: PMap | null = null;
      const used: string[] = [];
      const keyProvs = new Map<string, Prov[]>();
      for (const f of ep.files) {
        const included: string[] = [];
        const doc = resolveFile(f, plan.dir, [], included);
        if (!doc) continue;
        used.push(f, ...included.filter((x) => !used.includes(x)));
        for (const e of getMap(doc, 'services')?.entries ?? []) {
          const list = keyProvs.get(e.key) ?? [];
          list.push(e.keyProv);
          keyProvs.set(e.key, list);
        }
        merged = merged ? mergeDocuments(merged, doc) : doc;
      }
      if (!merged) continue;
      const name = str(merged.entries.find((e) => e.key === 'name')?.value);
      projectName = projectName || (name && !name.includes('$') ? name : '') || sanitize(plan.dir ? baseOf(plan.dir) : rootName);
      envs.push(makeEnvironment(ep, plan.dir, used, merged, projectName, keyProvs, err));
    }
    if (envs.length) projects.push({ name: projectName, dir: plan.dir, environments: envs });
  }
  return { projects, errors, files: parsed };
}

function sanitize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'default';
}

function getMap(n: PNode | undefined, key: string): PMap | undefined {
  if (n?.kind !== 'map') return undefined;
  const e = n.entries.find((x) => x.key === key);
  return e && e.value.kind === 'map' ? e.value : undefined;
}

function wrapService(name: string, s: PMap): PMap {
  const svcKey: PEntry = { key: name, keyProv: s.prov, value: s };
  return { kind: 'map', prov: s.prov, entries: [{ key: 'services', keyProv: s.prov, value: { kind: 'map', entries: [svcKey], prov: s.prov } }] };
}

/** Top-level resources of an included file join the including document (the including file wins). */
function mergeIncluded(doc: PMap, inc: PMap): PMap {
  const entries = doc.entries.map((e) => ({ ...e }));
  for (const ie of inc.entries) {
    if (ie.key === 'name' || ie.key === 'version') continue;
    const i = entries.findIndex((e) => e.key === ie.key);
    if (i < 0) {
      entries.push(ie);
      continue;
    }
    const cur = entries[i].value;
    if (cur.kind === 'map' && ie.value.kind === 'map') {
      const keep = new Set(cur.entries.map((e) => e.key));
      entries[i] = { ...entries[i], value: { ...cur, entries: [...ie.value.entries.filter((e) => !keep.has(e.key)), ...cur.entries] } };
    }
  }
  return { ...doc, entries };
}

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i;

function rebasePath(p: string, from: string, to: string): string {
  if (from === to || posix.isAbsolute(p) || REMOTE.test(p) || p.includes('$')) return p;
  const abs = posix.normalize(posix.join(from || '.', p));
  const rel = posix.relative(to || '.', abs);
  return rel === '' ? '.' : rel;
}

function rebaseScalar(n: PNode, from: string, to: string): PNode {
  if (n.kind !== 'scalar' || typeof n.value !== 'string') return n;
  return { ...n, value: rebasePath(n.value, from, to) };
}

function rebaseService(s: PMap, from: string, to: string): PMap {
  if (from === to) return s;
  return {
    ...s,
    entries: s.entries.map((e) => {
      if (e.key === 'build' && e.value.kind === 'map') {
        return { ...e, value: { ...e.value, entries: e.value.entries.map((b) => (b.key === 'context' ? { ...b, value: rebaseScalar(b.value, from, to) } : b)) } };
      }
      if (e.key === 'env_file') {
        if (e.value.kind === 'seq') return { ...e, value: { ...e.value, items: e.value.items.map((i) => rebaseScalar(i, from, to)) } };
        return { ...e, value: rebaseScalar(e.value, from, to) };
      }
      return e;
    }),
  };
}

/** Rebase the relative paths of a document read from `from` onto the project folder `to`. */
function rebase(doc: PMap, from: string, to: string): PMap {
  if (from === to) return doc;
  const svcs = doc.entries.find((e) => e.key === 'services');
  if (svcs?.value.kind !== 'map') return doc;
  const value: PMap = { ...svcs.value, entries: svcs.value.entries.map((e) => (e.value.kind === 'map' ? { ...e, value: rebaseService(e.value, from, to) } : e)) };
  return { ...doc, entries: doc.entries.map((e) => (e === svcs ? { ...e, value } : e)) };
}

function makeEnvironment(
  ep: EnvPlan,
  dir: string,
  files: string[],
  root: PMap,
  project: string,
  keyProvs: Map<string, Prov[]>,
  err: (e: FileError) => void,
): Environment {
  const services: Service[] = [];
  const svcs = getMap(root, 'services');
  for (const e of svcs?.entries ?? []) {
    if (e.value.kind !== 'map') continue;
    const imageNode = e.value.entries.find((x) => x.key === 'image')?.value;
    services.push({
      name: e.key,
      environment: ep.name,
      node: e.value,
      keyProv: e.keyProv,
      keyProvs: keyProvs.get(e.key) ?? [e.keyProv],
      build: null,
      image: imageNode?.kind === 'scalar' && imageNode.value !== null ? String(imageNode.value) : null,
      imageNode: imageNode?.kind === 'scalar' ? imageNode : null,
      imageModel: null,
      healthTest: null,
      externalImage: null,
    });
  }
  const toMap = (key: string) => new Map((getMap(root, key)?.entries ?? []).map((e) => [e.key, e.value] as const));
  return {
    name: ep.name,
    isProd: ep.isProd,
    project,
    dir,
    files,
    root,
    services,
    variables: collectVariables(root, err),
    networks: toMap('networks'),
    volumes: toMap('volumes'),
    dotenv: new Map(),
  };
}

/** Every `${VAR}` use in the document; invalid interpolation is reported with its position. */
function collectVariables(root: PMap, err: (e: FileError) => void): VarRef[] {
  const out: VarRef[] = [];
  // The path to the current node, extended and shortened in place; a scalar with uses gets its own
  // copy (shared by its uses). Most scalars have no `$`.
  const path: string[] = [];
  const walk = (n: PNode) => {
    if (n.kind === 'map') {
      const entries = n.entries;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        if (path.length === 0 && e.key.startsWith('x-')) continue; // extension fields are not interpolated into services unless referenced
        path.push(e.key);
        walk(e.value);
        path.pop();
      }
      return;
    }
    if (n.kind === 'seq') {
      const items = n.items;
      for (let k = 0; k < items.length; k++) {
        path.push(String(k));
        walk(items[k]);
        path.pop();
      }
      return;
    }
    if (typeof n.value !== 'string' || !n.value.includes('$')) return;
    const parsed = parseInterpolation(n.value);
    for (const e of parsed.errors) {
      const p = posInScalar(n, e.index);
      err({ file: n.prov.file, line: p.line, message: `invalid interpolation at column ${p.column}: ${e.message}` });
    }
    if (parsed.uses.length === 0) return;
    const here = path.slice();
    for (const use of parsed.uses) {
      const s = posInScalar(n, use.start);
      const end = posInScalar(n, use.end);
      const prov: Prov = { file: n.prov.file, range: { line: s.line, column: s.column, endLine: end.line, endColumn: end.line === s.line ? end.column : s.column + (use.end - use.start) } };
      out.push({ use, scalar: n as PScalar, path: here, service: here[0] === 'services' ? (here[1] ?? null) : null, prov });
    }
  };
  walk(root);
  return out;
}
