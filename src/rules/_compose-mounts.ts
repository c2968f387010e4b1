/** A service's `volumes:` read as mounts (short `src:dst[:mode]` and long syntax), shared by the mount rules. No I/O. */
import { posix } from 'node:path';
import { splitVolume } from '../compose/merge.js';
import type { Environment, Service } from '../model/compose.js';
import { get, type PNode, str } from '../parse/yaml.js';
import type { Location } from '../types.js';
import { items, nodeLoc, sget } from './_compose.js';
import { boolOf, resolve } from './_compose-values.js';

export interface Mount {
  /** The `volumes:` item. */
  node: PNode;
  /** Where a finding points: the short-syntax item, or the long syntax's `source`. */
  loc: Location;
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** Host path (bind) or volume name, after interpolation; null when a variable has no value or default, or for anonymous volumes. */
  source: string | null;
  /** The source as written. */
  rawSource: string | null;
  target: string | null;
  readOnly: boolean;
  /** For a named volume whose driver binds a host path (`driver_opts: {o: bind, device: /path}`): the volume's name. */
  viaVolume?: string;
}

/** A container engine's API socket (Docker, Podman): whoever can write to it controls the engine, and so the host. */
export const ENGINE_SOCKET = /(?:^|[/\\])(?:docker|podman)\.sock$/i;

const HOST_PATH = /^(?:\/|\.\.?(?:\/|$)|~|[A-Za-z]:[\\/])/;

/** Whether a short-syntax source is a host path (a bind mount) rather than a volume name. */
function isHostPath(source: string): boolean {
  return HOST_PATH.test(source);
}

/** An absolute host path normalised (`//var/run/` → `/var/run`); null for relative and home paths. */
export function absolutePath(p: string): string | null {
  if (!p.startsWith('/')) return null;
  const n = posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** A named volume that binds a host directory through the local driver: its device path. */
function boundDevice(env: Environment, name: string): string | null {
  const vol = env.volumes.get(name);
  const opts = get(vol, 'driver_opts');
  const o = str(get(opts, 'o')) ?? '';
  const device = resolve(env, get(opts, 'device'))?.value ?? null;
  if (!device || !o.split(',').some((x) => x.trim() === 'bind' || x.trim() === 'rbind')) return null;
  return device;
}

/** Split a short volume spec as written on the `:` that are not inside `${...}`. */
function splitRaw(raw: string): string[] {
  if (!raw.includes('${')) return splitVolume(raw);
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '$' && raw[i + 1] === '{') {
      depth++;
      cur += '${';
      i++;
      continue;
    }
    if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

// Five rules read every service's mounts: they are read once per (immutable) service of its
// environment and shared; callers only read the list and its mounts.
const mountsOf = new WeakMap<Service, { env: Environment; list: Mount[] }>();

/** The service's `volumes:` as mounts, in order (shared: do not modify). */
export function mounts(env: Environment, svc: Service): readonly Mount[] {
  const cached = mountsOf.get(svc);
  if (cached !== undefined && cached.env === env) return cached.list;
  const list = readMounts(env, svc);
  mountsOf.set(svc, { env, list });
  return list;
}

function readMounts(env: Environment, svc: Service): Mount[] {
  const out: Mount[] = [];
  for (const item of items(sget(svc, 'volumes'))) {
    if (item.kind === 'scalar') {
      const r = resolve(env, item);
      if (!r) continue;
      const rawParts = splitRaw(r.raw);
      const parts = r.value !== null ? splitVolume(r.value) : rawParts;
      if (parts.length === 1) {
        out.push({ node: item, loc: nodeLoc(item), type: 'volume', source: null, rawSource: null, target: parts[0], readOnly: false });
        continue;
      }
      const rawSource = rawParts[0];
      const source = r.value !== null ? parts[0] : rawSource.includes('$') ? null : rawSource;
      const modes = (parts[2] ?? '').split(',').map((m) => m.trim());
      const readOnly = modes.includes('ro') || modes.includes('readonly');
      const target = parts[1]?.includes('$') && r.value === null ? null : (parts[1] ?? null);
      if (source === null) {
        out.push({ node: item, loc: nodeLoc(item), type: 'other', source: null, rawSource, target, readOnly });
      } else if (isHostPath(source)) {
        out.push({ node: item, loc: nodeLoc(item), type: 'bind', source, rawSource, target, readOnly });
      } else {
        const device = boundDevice(env, source);
        out.push({
          node: item,
          loc: nodeLoc(item),
          type: device ? 'bind' : 'volume',
          source: device ?? source,
          rawSource,
          target,
          readOnly,
          ...(device ? { viaVolume: source } : {}),
        });
      }
      continue;
    }
    if (item.kind !== 'map') continue;
    const srcNode = get(item, 'source');
    const src = resolve(env, srcNode);
    const typeText = str(get(item, 'type'))?.toLowerCase();
    const target = resolve(env, get(item, 'target'))?.value ?? null;
    const readOnly = boolOf(env, get(item, 'read_only')) === true;
    const loc = srcNode ? nodeLoc(srcNode) : nodeLoc(item);
    const source = src ? src.value : null;
    const rawSource = src ? src.raw : null;
    let type: Mount['type'] =
      typeText === 'bind' ? 'bind' : typeText === 'volume' ? 'volume' : typeText === 'tmpfs' ? 'tmpfs' : typeText ? 'other' : 'volume';
    if (!typeText && source && isHostPath(source)) type = 'bind';
    if (type === 'volume' && source) {
      const device = boundDevice(env, source);
      if (device) {
        out.push({ node: item, loc, type: 'bind', source: device, rawSource, target, readOnly, viaVolume: source });
        continue;
      }
    }
    out.push({ node: item, loc, type, source, rawSource, target, readOnly });
  }
  return out;
}
