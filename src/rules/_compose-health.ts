/**
 * Whether a compose service has a healthcheck, shared by `compose/healthcheck` and
 * `compose/depends-on-healthy`: the merged service's `healthcheck` (compose replaces `test` and merges
 * the options), or, when compose gives no `test`, the HEALTHCHECK of the image the service builds
 * (its final stage or `build.target`, and the stages that stage is built FROM). An `image:` service
 * without a compose healthcheck has none as far as anyone can tell from the repository; only for
 * images the knowledge lists (src/knowledge/image-healthchecks.ts) is it known that the image adds
 * none, otherwise `imageUnseen` says the image's own HEALTHCHECK cannot be known.
 *
 * Also turns a compose `healthcheck.test` into a `Probe` (see _probe.ts), so the probe can be
 * described in words and judged against an image. Pure: no I/O.
 */

import { composeBool } from '../compose/values.js';
import { imageDefinesNoHealthcheck } from '../knowledge/image-healthchecks.js';
import { maskCommandSecrets } from '../knowledge/secrets.js';
import type { Environment, HealthTest, Service } from '../model/compose.js';
import type { Project } from '../model/project.js';
import { get, type PNode, str } from '../parse/yaml.js';
import type { Location } from '../types.js';
import { absenceLoc, nodeLoc } from './_compose.js';
import { describeProbe, effectiveHealthcheck, type Probe, probeOf } from './_probe.js';
import { loc } from './_util.js';

/** Docker's default healthcheck interval. */
const DEFAULT_INTERVAL = '30s';

export interface ServiceHealth {
  /**
   * `present`: a probe runs; `disabled`: turned off (`disable: true`, `test: ["NONE"]`, `HEALTHCHECK NONE`);
   * `absent`: none anywhere; `unknown`: the image the service builds could not be analysed.
   */
  state: 'present' | 'disabled' | 'absent' | 'unknown';
  /** Where the probe (or the switch that disables it) is defined. */
  source: 'compose' | 'dockerfile' | null;
  /** The deciding setting: compose `test`/`disable` value, or the Dockerfile HEALTHCHECK; null when absent. */
  location: Location | null;
  probe: Probe | null;
  /** The probe in words (`` `pg_isready -U app` ``, "Python urllib (no curl needed)"). */
  words: string | null;
  /** The interval as written, or null for Docker's default (30s). */
  interval: string | null;
  /** pass evidence: "`pg_isready -U app` every 10s". */
  evidence: string | null;
  /** A phrase saying why, for messages: "`healthcheck.disable: true`", "the image defines no HEALTHCHECK", ... */
  reason: string;
  /** `absent` only in compose: the service runs an image this repository cannot show, which may define its own HEALTHCHECK. */
  imageUnseen?: boolean;
}

function scalarText(n: PNode | undefined): string | undefined {
  return str(n);
}

/**
 * A compose `healthcheck.test` as a Probe, from the model's parsed form (`svc.healthTest`, parsed once
 * in src/model/build.ts): `["CMD", prog, args...]` → exec form; `["CMD-SHELL", "..."]` or a plain
 * string → shell form. Returns null for `["NONE"]` or a form it cannot read.
 */
export function composeProbe(t: HealthTest | null): Probe | null {
  if (!t || t.form === 'none') return null;
  if (t.form === 'exec') {
    if (t.argv.length === 0) return null;
    return { form: 'exec', argv: t.argv, argvRanges: t.argvRanges, range: t.prov.range, ...(t.script ? { script: t.script } : {}) };
  }
  if (!t.script || t.script.text.trim() === '') return null;
  return { form: 'shell', script: t.script, range: t.prov.range };
}

/** `["NONE"]`: the NONE item; undefined otherwise. */
function noneItem(test: PNode | undefined): PNode | undefined {
  if (test?.kind === 'seq' && str(test.items[0]) === 'NONE') return test.items[0];
  return undefined;
}

/** Whether a compose `test` asks for a probe (an empty list or empty string inherits the image's). */
function hasTest(test: PNode | undefined): test is PNode {
  if (!test) return false;
  if (test.kind === 'seq') return test.items.length > 0;
  if (test.kind === 'scalar') return test.value !== null && String(test.value).trim() !== '';
  return false;
}

/** The probe in words as printed (see `maskCommandSecrets`: secret options, URL passwords, secret defaults and assignments). */
export const safeWords = maskCommandSecrets;

function evidenceOf(words: string, interval: string | null): string {
  return `${words} every ${interval ?? `${DEFAULT_INTERVAL} (default)`}`;
}

// compose/healthcheck judges every service's healthcheck and compose/depends-on-healthy that of
// every dependency (a service is the dependency of several): read once per (immutable) service of
// its environment; callers only read the answer.
const healthOf = new WeakMap<Service, { env: Environment; health: ServiceHealth }>();

/** The healthcheck a service runs in an environment (see the file comment). Shared: do not modify. */
export function serviceHealthcheck(_project: Project, env: Environment, svc: Service): ServiceHealth {
  const cached = healthOf.get(svc);
  if (cached !== undefined && cached.env === env) return cached.health;
  const health = readHealthcheck(env, svc);
  healthOf.set(svc, { env, health });
  return health;
}

function readHealthcheck(env: Environment, svc: Service): ServiceHealth {
  const hc = get(svc.node, 'healthcheck');
  const disable = get(hc, 'disable');
  const test = get(hc, 'test');
  const composeInterval = scalarText(get(hc, 'interval')) ?? null;
  const none = { probe: null, words: null, interval: null, evidence: null } as const;

  if (disable && composeBool(scalarText(disable)) === true) {
    return {
      state: 'disabled',
      source: 'compose',
      location: nodeLoc(disable),
      ...none,
      reason: '`healthcheck.disable: true` turns the healthcheck off',
    };
  }
  const noneAt = noneItem(test);
  if (noneAt) {
    return {
      state: 'disabled',
      source: 'compose',
      location: nodeLoc(noneAt),
      ...none,
      reason: '`healthcheck.test: ["NONE"]` turns the healthcheck off',
    };
  }
  if (hasTest(test)) {
    const probe = composeProbe(svc.healthTest);
    const df = svc.imageModel?.dockerfile;
    const stage = svc.imageModel?.stage;
    const words = safeWords(probe ? describeProbe(probe, df, stage) : `\`${shortText(test)}\``);
    return {
      state: 'present',
      source: 'compose',
      location: nodeLoc(test),
      probe,
      words,
      interval: composeInterval,
      evidence: evidenceOf(words, composeInterval),
      reason: 'compose `healthcheck`',
    };
  }

  // No compose test: the image's HEALTHCHECK applies (with any compose options on top).
  const image = svc.imageModel;
  if (image) {
    const df = image.dockerfile;
    const dhc = effectiveHealthcheck(df, image.stage);
    if (dhc?.none) {
      return {
        state: 'disabled',
        source: 'dockerfile',
        location: loc(df.path, dhc.instr.range),
        ...none,
        reason: `\`HEALTHCHECK NONE\` in \`${df.path}\` (line ${dhc.instr.range.line}) turns the healthcheck off`,
      };
    }
    const probe = dhc ? probeOf(dhc) : null;
    if (dhc && probe) {
      const words = safeWords(describeProbe(probe, df, image.stage));
      const interval = composeInterval ?? dhc.options.interval ?? null;
      return {
        state: 'present',
        source: 'dockerfile',
        location: loc(df.path, dhc.instr.range),
        probe,
        words,
        interval,
        evidence: evidenceOf(words, interval),
        reason: `HEALTHCHECK in \`${df.path}\``,
      };
    }
    if (dhc) {
      return {
        state: 'unknown',
        source: 'dockerfile',
        location: loc(df.path, dhc.instr.range),
        ...none,
        reason: `the HEALTHCHECK in \`${df.path}\` has no \`CMD\``,
      };
    }
    return { state: 'absent', source: null, location: null, ...none, reason: `neither compose nor \`${df.path}\` defines a healthcheck` };
  }
  if (svc.build) {
    const why = svc.build.problem ?? 'the image it builds could not be linked to a Dockerfile';
    return { state: 'unknown', source: null, location: absenceLoc(env, svc), ...none, reason: why };
  }
  const img = svc.image ? `\`${svc.image}\`` : 'its image';
  if (imageDefinesNoHealthcheck(svc.image)) {
    return { state: 'absent', source: null, location: null, ...none, reason: `compose defines none, and ${img} defines no HEALTHCHECK` };
  }
  return {
    state: 'absent',
    source: null,
    location: null,
    ...none,
    reason: `compose defines none, unless ${img} itself defines a HEALTHCHECK, which this repository cannot show`,
    imageUnseen: true,
  };
}

function shortText(n: PNode): string {
  const t = n.kind === 'seq' ? n.items.map((i) => str(i) ?? '').join(' ') : (str(n) ?? '');
  const s = t.replace(/\s+/g, ' ').trim();
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}
