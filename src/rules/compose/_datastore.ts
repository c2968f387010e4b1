/** Helpers for the datastore rules (internal-ports, datastore-auth, named-volumes): which datastore a service runs, its settings. No I/O. */
import { type Datastore, datastoreOf } from '../../knowledge/datastores.js';
import type { Environment, Service } from '../../model/compose.js';
import { rootFrom } from '../../model/image.js';
import { parseImageRef } from '../../parse/image-ref.js';
import { entry, type PEntry, type PScalar } from '../../parse/yaml.js';
import { items, sget } from '../_compose.js';
import { resolve } from '../_compose-values.js';

export interface ServiceDatastore {
  ds: Datastore;
  /** How it was recognised: the service's `image:`, or the base of the Dockerfile it builds. */
  via: 'image' | 'build';
  /** The reference it was recognised from (`postgres:16`, or `FROM postgres:16` in `db/Dockerfile`), for messages. */
  from: string;
}

/**
 * The datastore a service runs: a service that builds an image is judged by its Dockerfile's base
 * (`FROM redis:7-alpine`); otherwise by `image:` (interpolation resolved with defaults; when only the
 * tag is a variable, `redis:${TAG}`, the name is still recognised).
 */
export function serviceDatastore(env: Environment, svc: Service): ServiceDatastore | null {
  const cached = datastoreOfService.get(svc);
  if (cached !== undefined && cached.env === env) return cached.sd;
  const sd = readServiceDatastore(env, svc);
  datastoreOfService.set(svc, { env, sd });
  return sd;
}

// Three rules (internal-ports, datastore-auth, named-volumes) ask it of every service: read once per
// (immutable) service of its environment; callers only read the answer.
const datastoreOfService = new WeakMap<Service, { env: Environment; sd: ServiceDatastore | null }>();

function readServiceDatastore(env: Environment, svc: Service): ServiceDatastore | null {
  if (svc.imageModel) {
    const from = rootFrom(svc.imageModel.dockerfile, svc.imageModel.stage);
    if (from.resolved === null) return null;
    const ds = datastoreOf(from.resolved);
    return ds ? { ds, via: 'build', from: `\`FROM ${from.resolved}\` in \`${svc.imageModel.dockerfile.path}\`` } : null;
  }
  if (!svc.imageNode) return null;
  const r = resolve(env, svc.imageNode);
  if (!r) return null;
  if (r.value !== null) {
    const ds = datastoreOf(r.value);
    return ds ? { ds, via: 'image', from: `\`${r.value}\`` } : null;
  }
  const ref = parseImageRef(r.raw);
  if (ref.name.includes('$')) return null;
  const ds = datastoreOf(ref.name);
  return ds ? { ds, via: 'image', from: `\`${r.raw}\`` } : null;
}

/** An `environment:` entry of the service (merged and normalised to a map by the loader). */
function envEntry(svc: Service, name: string): PEntry | undefined {
  return entry(sget(svc, 'environment'), name);
}

/** The first of these variables the service sets in `environment:`. */
export function firstEnv(svc: Service, names: string[]): { name: string; e: PEntry } | undefined {
  for (const name of names) {
    const e = envEntry(svc, name);
    if (e) return { name, e };
  }
  return undefined;
}

/**
 * A variable's value as the container would get it: `raw` as written (null when passed through
 * from the shell with `- NAME`), `value` after interpolation with defaults (null when a variable
 * has neither value nor default, or when passed through).
 */
export function envValue(env: Environment, e: PEntry): { value: string | null; raw: string | null } {
  if (e.value.kind !== 'scalar' || e.value.value === null) return { value: null, raw: null };
  const r = resolve(env, e.value);
  return { value: r?.value ?? null, raw: r?.raw ?? null };
}

/** Compose's yes-like strings for images' boolean switches (`yes`, `true`, `1`, `on`). */
export function isYes(v: string | null): boolean {
  return v !== null && /^(yes|y|true|1|on)$/i.test(v.trim());
}

/** Whether the service reads variables from `env_file:` (whose contents seaworthy does not read). */
export function envFiles(svc: Service): string[] {
  const n = sget(svc, 'env_file');
  if (!n) return [];
  const list = n.kind === 'seq' ? n.items : [n];
  const out: string[] = [];
  for (const i of list) {
    if (i.kind === 'scalar' && i.value !== null) out.push(String(i.value));
    else if (i.kind === 'map') {
      const p = entry(i, 'path')?.value;
      if (p && p.kind === 'scalar' && p.value !== null) out.push(String(p.value));
    }
  }
  return out;
}

export interface Word {
  /** The word with surrounding quotes removed. */
  text: string;
  /** The scalar it stands in. */
  node: PScalar;
}

/**
 * The words of `command:` (or `entrypoint:`): list items, and the words of string forms split on
 * whitespace (so `sh -c "redis-server --requirepass $$P"` still shows `--requirepass`).
 */
export function commandWords(svc: Service, key: 'command' | 'entrypoint' = 'command'): Word[] {
  const n = sget(svc, key);
  if (!n) return [];
  const scalars: PScalar[] = n.kind === 'seq' ? items(n).filter((i): i is PScalar => i.kind === 'scalar') : n.kind === 'scalar' ? [n] : [];
  const out: Word[] = [];
  for (const s of scalars) {
    if (s.value === null) continue;
    if (n.kind === 'seq' && String(s.value) === '') {
      out.push({ text: '', node: s }); // an empty argument (`--save ""`)
      continue;
    }
    for (const w of String(s.value).split(/\s+/)) {
      if (w) out.push({ text: w.replace(/^["']+|["';]+$/g, ''), node: s });
    }
  }
  return out;
}

/** The value of a `--flag value` / `--flag=value` option among command words (undefined when absent; '' when last). */
export function flagValue(words: Word[], flag: string): { value: string; word: Word } | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.text === flag) return { value: words[i + 1]?.text ?? '', word: w };
    if (w.text.startsWith(`${flag}=`)) return { value: w.text.slice(flag.length + 1), word: w };
  }
  return undefined;
}

/** The container targets of `configs:`/`secrets:` long syntax and short-syntax defaults (`/<name>`). */
export function fileTargets(svc: Service, key: 'configs' | 'secrets'): string[] {
  const out: string[] = [];
  for (const i of items(sget(svc, key))) {
    if (i.kind === 'scalar' && i.value !== null) out.push(key === 'secrets' ? `/run/secrets/${i.value}` : `/${i.value}`);
    else if (i.kind === 'map') {
      const t = entry(i, 'target')?.value;
      const s = entry(i, 'source')?.value;
      const tv = t && t.kind === 'scalar' && t.value !== null ? String(t.value) : null;
      const sv = s && s.kind === 'scalar' && s.value !== null ? String(s.value) : null;
      if (tv) out.push(key === 'secrets' && !tv.startsWith('/') ? `/run/secrets/${tv}` : tv);
      else if (sv) out.push(key === 'secrets' ? `/run/secrets/${sv}` : `/${sv}`);
    }
  }
  return out;
}
