/**
 * Merging compose files the way `docker compose -f a.yml -f b.yml` does (Compose Specification
 * "Merge and override", reference implementation compose-go `override` package). Works on PNodes, so
 * every value keeps the file and range it came from; values are not interpolated.
 */
import type { PEntry, PMap, PNode, PScalar, PSeq, Prov } from '../parse/yaml.js';

type Path = string[];

const REPLACE = new Set(['command', 'entrypoint']);
/** Service keys whose list or map form merges by key (`KEY=VALUE` lists become maps). */
const BY_KEY = new Set(['environment', 'labels', 'sysctls', 'annotations', 'extra_hosts', 'ulimits']);
const BUILD_BY_KEY = new Set(['args', 'labels', 'extra_hosts']);
/** Service sequences kept unique by value. */
const UNIQUE = new Set(['cap_add', 'cap_drop', 'expose', 'profiles', 'security_opt', 'dns', 'dns_search', 'dns_opt', 'tmpfs', 'group_add', 'env_file']);
/** Service keys that take a string or a list: compose-go merges both forms as sequences. */
const STRING_OR_LIST = new Set(['dns', 'dns_search', 'dns_opt', 'tmpfs', 'env_file']);

export function mergeDocuments(base: PMap, over: PMap): PMap {
  return mergeNode(base, over, []) as PMap;
}

/** Merge `over` onto `base` at `path`. Returns undefined when `!reset` removes the value. */
export function mergeNode(base: PNode | undefined, over: PNode, path: Path): PNode | undefined {
  if (over.tag === '!reset') return undefined;
  if (over.tag === '!override') return normalise(stripTag(over), path);
  if (base === undefined) return normalise(over, path);
  const b = normalise(base, path);
  const o = normalise(over, path);
  const svc = path.length >= 2 && path[0] === 'services' ? path.slice(2) : null;
  if (svc) {
    const key = svc.join('.');
    if (svc.length === 1 && REPLACE.has(svc[0])) return o;
    if (key === 'healthcheck.test') return o;
  }
  // An overlay setting a mapping or list to null leaves the base value in place (as compose-go does).
  if (over.kind === 'scalar' && over.value === null && b.kind !== 'scalar') return b;
  if (svc) {
    if (svc.length === 1 && svc[0] === 'logging' && b.kind === 'map' && o.kind === 'map') return mergeLogging(b, o, path);
    if (svc.length === 1 && STRING_OR_LIST.has(svc[0]) && b.kind !== 'map' && o.kind !== 'map' && (b.kind === 'scalar' || o.kind === 'scalar')) {
      return mergeSeqBy(asSeq(b), asSeq(o), svc[0] === 'env_file' ? envFileKey : scalarKey);
    }
    if (b.kind === 'seq' && o.kind === 'seq' && svc.length === 1) {
      switch (svc[0]) {
        case 'volumes':
        case 'devices':
          return mergeSeqBy(b, o, volumeTarget);
        case 'secrets':
          return mergeSeqBy(b, o, mountTarget('/run/secrets'));
        case 'configs':
          return mergeSeqBy(b, o, mountTarget(''));
        case 'env_file':
          return mergeSeqBy(b, o, envFileKey);
        case 'ports':
          return mergeSeqBy(b, o, portKey);
        default:
          if (UNIQUE.has(svc[0])) return mergeSeqBy(b, o, scalarKey);
      }
    }
  }
  if (path.length >= 4 && path[0] === 'networks' && path[2] === 'ipam' && path[3] === 'config' && path.length === 4) {
    // Entries with the same subnet merge as mappings; other subnets from either side are kept.
    if (b.kind === 'seq' && o.kind === 'seq') {
      return mergeSeqBy(b, o, (n) => scalarAt(n, 'subnet') ?? null, (x, y) => (x.kind === 'map' && y.kind === 'map' ? mergeMaps(x, y, path) : y));
    }
  }
  if (b.kind === 'map' && o.kind === 'map') return mergeMaps(b, o, path);
  if (b.kind === 'seq' && o.kind === 'seq') return { ...b, items: [...b.items, ...o.items], prov: o.prov };
  return o;
}

function mergeMaps(b: PMap, o: PMap, path: Path): PMap {
  const entries: PEntry[] = b.entries.map((e) => ({ ...e }));
  for (const oe of o.entries) {
    const i = entries.findIndex((e) => e.key === oe.key);
    if (i < 0) {
      if (oe.value.tag === '!reset') continue;
      const v = mergeNode(undefined, oe.value, [...path, oe.key]);
      if (v) entries.push({ ...oe, value: v });
      continue;
    }
    const merged = mergeNode(entries[i].value, oe.value, [...path, oe.key]);
    if (merged === undefined) entries.splice(i, 1);
    else entries[i] = { key: oe.key, keyProv: entries[i].keyProv, value: merged };
  }
  // A long-syntax overlay entry (`db: {condition: ...}`) is no longer short syntax; a short-syntax
  // overlay entry resets the condition, so the merged entry is short syntax again.
  if (b.tag === '!short-syntax' || o.tag === '!short-syntax') {
    const { tag: _t, ...rest } = b;
    return o.tag === '!short-syntax' ? { ...rest, entries, tag: o.tag } : { ...rest, entries };
  }
  return { ...b, entries };
}

/** A different logging driver replaces the whole block; the same (or unset) driver merges options. */
function mergeLogging(b: PMap, o: PMap, path: Path): PMap {
  const bd = scalarAt(b, 'driver');
  const od = scalarAt(o, 'driver');
  if (bd !== undefined && od !== undefined && bd !== od) return o;
  return mergeMaps(b, o, path);
}

/** Append `o`'s items to `b`'s; an item whose key is already there replaces it in place (or is combined with it). */
function mergeSeqBy(b: PSeq, o: PSeq, key: (n: PNode) => string | null, combine?: (base: PNode, over: PNode) => PNode): PSeq {
  const items = [...b.items];
  for (const item of o.items) {
    const k = key(item);
    const i = k === null ? -1 : items.findIndex((x) => key(x) === k);
    if (i >= 0) items[i] = combine ? combine(items[i], item) : item;
    else items.push(item);
  }
  return { ...b, items, prov: o.prov };
}

function asSeq(n: PNode): PSeq {
  if (n.kind === 'seq') return n;
  return { kind: 'seq', items: n.kind === 'scalar' && n.value === null ? [] : [n], prov: n.prov };
}

function envFileKey(n: PNode): string | null {
  if (n.kind === 'map') return scalarAt(n, 'path') ?? null;
  return scalarKey(n);
}

function stripTag<T extends PNode>(n: T): T {
  const { tag: _t, ...rest } = n;
  return rest as T;
}

function scalarAt(n: PNode, key: string): string | undefined {
  if (n.kind !== 'map') return undefined;
  const e = n.entries.find((x) => x.key === key);
  return e && e.value.kind === 'scalar' && e.value.value !== null ? String(e.value.value) : undefined;
}

function scalarKey(n: PNode): string | null {
  return n.kind === 'scalar' ? String(n.value) : null;
}

/** Container path of a volume/device, short (`src:dst[:mode]`) or long syntax. */
export function volumeTarget(n: PNode): string | null {
  if (n.kind === 'map') return scalarAt(n, 'target') ?? null;
  if (n.kind !== 'scalar' || n.value === null) return null;
  const parts = splitVolume(String(n.value));
  return parts.length === 1 ? parts[0] : parts[1];
}

/** Split a short volume spec on `:` without splitting a Windows drive letter. */
export function splitVolume(spec: string): string[] {
  const parts = spec.split(':');
  if (parts.length > 1 && /^[A-Za-z]$/.test(parts[0]) && parts[1].startsWith('\\')) {
    parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
  }
  return parts;
}

/**
 * Where a secret or config is mounted: `<dir>/<name>` for the short syntax and a long syntax without
 * `target`, the target otherwise (a relative secret target lands in `<dir>` too).
 */
function mountTarget(dir: string): (n: PNode) => string | null {
  return (n) => {
    if (n.kind === 'scalar') return n.value === null ? null : `${dir}/${n.value}`;
    if (n.kind !== 'map') return null;
    const target = scalarAt(n, 'target');
    if (target !== undefined) return target.startsWith('/') ? target : `${dir}/${target}`;
    const source = scalarAt(n, 'source');
    return source === undefined ? null : `${dir}/${source}`;
  };
}

export interface PortSpec {
  hostIp: string;
  published: string;
  target: string;
  protocol: string;
}

/** Parse a short or long port spec; null when it cannot be read (e.g. an interpolated value). */
export function parsePort(n: PNode): PortSpec | null {
  if (n.kind === 'map') {
    const t = scalarAt(n, 'target');
    if (t === undefined) return null;
    return { hostIp: scalarAt(n, 'host_ip') ?? '', published: scalarAt(n, 'published') ?? '', target: t, protocol: scalarAt(n, 'protocol') ?? 'tcp' };
  }
  if (n.kind !== 'scalar' || n.value === null) return null;
  let s = String(n.value);
  let protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let hostIp = '';
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    hostIp = s.slice(1, close);
    s = s.slice(close + 2);
  }
  const parts = s.split(':');
  if (!hostIp && parts.length === 3) hostIp = parts.shift() as string;
  if (parts.length === 1) return { hostIp, published: '', target: parts[0], protocol };
  return { hostIp, published: parts[0], target: parts[1], protocol };
}

function portKey(n: PNode): string | null {
  const p = parsePort(n);
  // compose-go keys ports by host_ip (default 0.0.0.0), published, target and protocol.
  return p ? `${p.hostIp || '0.0.0.0'}|${p.published}|${p.target}|${p.protocol}` : null;
}

/**
 * Normalise the forms compose accepts for one value into the form merging needs:
 * `KEY=VALUE` lists → maps, `depends_on` lists → maps with `condition: service_started`,
 * service `networks` lists → maps, `build: ctx` → `{ context: ctx }`.
 */
export function normalise(n: PNode, path: Path): PNode {
  return withTag(normaliseForm(n, path), n);
}

/** Keep `!reset` / `!override` on the converted node: the merge needs them. */
function withTag(r: PNode, n: PNode): PNode {
  return r !== n && n.tag && !r.tag ? { ...r, tag: n.tag } : r;
}

function normaliseForm(n: PNode, path: Path): PNode {
  if (path.length < 3 || path[0] !== 'services') return n;
  if (path.length === 3) return serviceKeyForm(n, path[2]);
  if (path.length === 4 && path[2] === 'build') return buildKeyForm(n, path[3]);
  return n;
}

const EQUALS = /=/;
const EQUALS_OR_COLON = /[=:]/;

/** `normaliseForm` at `services.<name>.<k>`. */
function serviceKeyForm(n: PNode, k: string): PNode {
  if (BY_KEY.has(k) && n.kind === 'seq') return listToMap(n, k === 'extra_hosts' ? EQUALS_OR_COLON : EQUALS);
  if (k === 'depends_on' && n.kind === 'seq') return dependsOnToMap(n);
  if (k === 'networks' && n.kind === 'seq') return namesToMap(n);
  if (k === 'build' && n.kind === 'scalar') return { kind: 'map', entries: [{ key: 'context', keyProv: n.prov, value: n }], prov: n.prov };
  return n;
}

/** `normaliseForm` at `services.<name>.build.<k>`. */
function buildKeyForm(n: PNode, k: string): PNode {
  return BUILD_BY_KEY.has(k) && n.kind === 'seq' ? listToMap(n, EQUALS) : n;
}

/** `["A=1", "B"]` → `{A: "1", B: null}`; each value keeps a range that starts at its first character. */
export function listToMap(seq: PSeq, sep: RegExp): PMap {
  const entries: PEntry[] = [];
  for (const item of seq.items) {
    if (item.kind !== 'scalar' || item.value === null) continue;
    const text = String(item.value);
    const m = sep.exec(text);
    const key = m ? text.slice(0, m.index) : text;
    const keyProv: Prov = item.prov;
    let value: PScalar;
    if (m) {
      const offset = m.index + m[0].length + (item.style === 'single' || item.style === 'double' ? 1 : 0);
      const r = item.prov.range;
      const singleLine = r.line === r.endLine && item.style !== 'literal' && item.style !== 'folded';
      value = {
        kind: 'scalar',
        value: text.slice(m.index + m[0].length),
        style: singleLine ? 'plain' : item.style,
        prov: { file: item.prov.file, range: singleLine ? { ...r, column: r.column + offset } : r },
      };
    } else {
      value = { kind: 'scalar', value: null, style: 'plain', prov: item.prov };
    }
    const i = entries.findIndex((e) => e.key === key);
    if (i >= 0) entries.splice(i, 1);
    entries.push({ key, keyProv, value });
  }
  return { kind: 'map', entries, prov: seq.prov };
}

function dependsOnToMap(seq: PSeq): PMap {
  const entries: PEntry[] = [];
  for (const item of seq.items) {
    if (item.kind !== 'scalar' || item.value === null) continue;
    const cond: PScalar = { kind: 'scalar', value: 'service_started', style: 'plain', prov: item.prov, tag: '!implicit' };
    entries.push({
      key: String(item.value),
      keyProv: item.prov,
      value: { kind: 'map', entries: [{ key: 'condition', keyProv: item.prov, value: cond }], prov: item.prov, tag: '!short-syntax' },
    });
  }
  return { kind: 'map', entries, prov: seq.prov };
}

function namesToMap(seq: PSeq): PMap {
  const entries: PEntry[] = [];
  for (const item of seq.items) {
    if (item.kind !== 'scalar' || item.value === null) continue;
    entries.push({ key: String(item.value), keyProv: item.prov, value: { kind: 'scalar', value: null, style: 'plain', prov: item.prov } });
  }
  return { kind: 'map', entries, prov: seq.prov };
}

/** Normalise every service of a document (so single files read the same as merged ones). */
export function normaliseDocument(doc: PMap): PMap {
  const services = doc.entries.find((e) => e.key === 'services');
  if (services?.value.kind !== 'map') return doc;
  // `normalise` at `services.<name>.<key>` (and `.build.<key>`), without building those paths.
  const svcEntries = services.value.entries.map((se) => {
    if (se.value.kind !== 'map') return se;
    const entries = se.value.entries.map((e) => {
      let v = withTag(serviceKeyForm(e.value, e.key), e.value);
      if (e.key === 'build' && v.kind === 'map') {
        v = { ...v, entries: v.entries.map((be) => ({ ...be, value: withTag(buildKeyForm(be.value, be.key), be.value) })) };
      }
      return { ...e, value: v };
    });
    return { ...se, value: { ...se.value, entries } };
  });
  return {
    ...doc,
    entries: doc.entries.map((e) => (e === services ? { ...e, value: { ...services.value, entries: svcEntries } as PMap } : e)),
  };
}
