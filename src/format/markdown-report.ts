/**
 * `seaworthy report`: the security document (docs/reference "Docker Security Best Practices"),
 * written from facts. Pure: it reads the check outcome (every Result with its evidence, status,
 * location and waiver; the Project model) and the dates it is given, never the file system or the
 * clock, and returns the same Markdown for the same input.
 *
 * Where each section's facts come from:
 * - Status line, Overview, Open Gaps: the results (failing, unknown, waived), by severity.
 * - Security Measures by Container: per image, the pass evidence of the dockerfile/, entrypoint/
 *   and (for the services that run the image) compose/ and prod/ results; the entrypoint excerpt
 *   from the script model (`project.scripts`), with secret-looking values masked.
 * - Docker Compose Security: compose/ results of the base environment, prod/ results of the
 *   production environment; resource limits, `depends_on`, networks and ports from the merged model.
 * - CI/CD Security Scanning: the CI model (`project.ci`) when the project has one.
 * - Secrets Management: secrets/ results and the `${VAR}` uses of each environment (names and the
 *   fact of a default only: defaults are masked, like every secret value in seaworthy's output).
 * - Logging Configuration: the prod/log-rotation evidence (its grammar is documented in the rule).
 * - What We Don't Implement: waived results grouped by rule, and rules turned off in the config.
 * - Verification Commands and the topology diagram: the merged production environment and the
 *   images' effective users.
 */
import type { Config } from '../engine/config.js';
import { datastoreOf } from '../knowledge/datastores.js';
import {
  isPureReference,
  isSecretName,
  maskCommandSecrets,
  maskSecret,
  maskSecretArguments,
  maskUrlCredentials,
} from '../knowledge/secrets.js';
import type { ComposeProject, Environment, Service } from '../model/compose.js';
import type { EffectiveUser } from '../model/dockerfile.js';
import { baseFacts, effectiveUser } from '../model/image.js';
import type { Image, Project } from '../model/project.js';
import { effectiveStart } from '../model/entrypoint.js';
import type { ScriptModel, ScriptUse } from '../model/script.js';
import type { Gate, ScanRow, ToolCategory, ToolUse } from '../model/workflow.js';
import { get, type PNode, str } from '../parse/yaml.js';
import { serviceTarget } from '../rules/_compose.js';
import { RULES_BY_ID } from '../rules/index.js';
import type { Result, RuleMeta, Severity, Status } from '../types.js';
import { SEVERITY_RANK } from '../types.js';
import { type CheckReport, compareResults, compareStrings, SEVERITIES_DESC } from './report.js';
import { baseName } from '../parse/shell.js';

/** A live verification run (`seaworthy verify`) whose results the report includes. */
export interface ReportVerification {
  /** `YYYY-MM-DD` of the run. */
  date: string;
  /** The live checks passed: containers were found, no error, no failing result. */
  passed: boolean;
  /** The runtime results (`runtime/*`), with their evidence. */
  results: Result[];
  /** Why the live checks could not run (no engine, no container of the project), when they could not. */
  error?: string;
}

export interface MarkdownReportInput {
  report: CheckReport;
  project: Project;
  /** The config the check ran with: rules turned off are listed with the waivers. */
  config?: Config;
}

export interface MarkdownReportOptions {
  /** "Last Updated" (`YYYY-MM-DD`): the run date or `--date`. */
  date: string;
  verification?: ReportVerification;
}

export const REPORT_TITLE = 'Docker Security Best Practices';

const STATUS_WORD: Record<Status, string> = { pass: 'Implemented', fail: 'Missing', waived: 'Waived', unknown: 'Unknown' };

// ---------------------------------------------------------------------------------------------
// Small text helpers

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** A table cell: no pipes, no line breaks. */
function cell(text: string): string {
  return (
    text
      .replace(/\r?\n+/g, ' ')
      .replace(/\|/g, '\\|')
      .trim() || '—'
  );
}

function table(head: string[], rows: string[][]): string {
  const out = [`| ${head.join(' | ')} |`, `|${head.map((h) => '-'.repeat(Math.max(3, h.length + 2))).join('|')}|`];
  for (const r of rows) out.push(`| ${r.map(cell).join(' | ')} |`);
  return out.join('\n');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `backend` → `Backend`, `celery-worker` → `Celery Worker`. */
export function titleOf(name: string): string {
  return name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

function where(r: Result): string {
  return `${r.location.file}:${r.location.line}`;
}

/**
 * The first clause of a message, for a table cell: up to the first sentence or clause break, at
 * most ~90 characters, never cutting a code span in two.
 */
export function gist(message: string): string {
  let s = message.replace(/\s+/g, ' ').trim();
  const breaks = [/\. /, /; /, /: /, /, so /, /, which /, / — /];
  let cut = s.length;
  for (const b of breaks) {
    const m = b.exec(s);
    if (m && m.index > 0 && m.index < cut && balanced(s.slice(0, m.index))) cut = m.index;
  }
  s = s.slice(0, cut).replace(/[.,;:]$/, '');
  // Too long: drop parenthetical asides first, then cut at a word.
  while (s.length > 90 && /\s*\([^()]*\)/.test(s)) {
    const t = s.replace(/\s*\([^()]*\)(?![^()]*\))/, '');
    if (t === s || !balanced(t)) break;
    s = t;
  }
  if (s.length > 90) {
    let i = s.lastIndexOf(' ', 88);
    while (i > 0 && !balanced(s.slice(0, i))) i = s.lastIndexOf(' ', i - 1);
    s = `${s.slice(0, i > 0 ? i : 88)}…`;
  }
  return s;
}

function balanced(s: string): boolean {
  return (s.match(/`/g)?.length ?? 0) % 2 === 0;
}

/** `${NAME:-…}` / `${NAME:?…}`: a variable use as written, with its default or message masked. */
function varUse(name: string, op: string, word: string | null): string {
  if (op === '') return `\${${name}}`;
  return `\${${name}${op}${word === null || word === '' ? '' : '…'}}`;
}

// ---------------------------------------------------------------------------------------------
// The facts the sections share

interface SvcRef {
  compose: ComposeProject;
  env: Environment;
  svc: Service;
  target: string;
}

class Facts {
  readonly results: Result[];
  readonly metas: Map<string, RuleMeta>;
  private readonly byTarget = new Map<string, Result[]>();

  constructor(
    readonly report: CheckReport,
    readonly project: Project,
    readonly config: Config | undefined,
  ) {
    this.results = [...report.results].sort(compareResults);
    this.metas = new Map(report.rules.map((m) => [m.id, m]));
    for (const r of this.results) {
      const l = this.byTarget.get(r.target);
      if (l) l.push(r);
      else this.byTarget.set(r.target, [r]);
    }
  }

  /** Results of these rules for these targets (optionally one environment). */
  of(rules: readonly string[], targets: Iterable<string>, env?: string): Result[] {
    const out: Result[] = [];
    for (const t of uniq(targets)) {
      for (const r of this.byTarget.get(t) ?? []) {
        if (rules.includes(r.ruleId) && (env === undefined || r.environment === undefined || r.environment === env)) out.push(r);
      }
    }
    return out.sort(compareResults);
  }

  rule(id: string): Result[] {
    return this.results.filter((r) => r.ruleId === id);
  }

  title(id: string): string {
    return this.metas.get(id)?.title ?? RULES_BY_ID.get(id)?.meta.title ?? id;
  }

  /** The environment compose's plain `docker compose up` uses: `dev` (base + override), else the first. */
  baseEnv(c: ComposeProject): Environment | null {
    return c.environments.find((e) => e.name === 'dev') ?? c.environments.find((e) => !e.isProd) ?? c.environments[0] ?? null;
  }

  prodEnv(c: ComposeProject): Environment | null {
    return c.environments.find((e) => e.isProd) ?? null;
  }

  /** Every service of every project's production environment (else its base environment). */
  prodServices(): SvcRef[] {
    const out: SvcRef[] = [];
    for (const compose of this.project.compose) {
      const env = this.prodEnv(compose) ?? this.baseEnv(compose);
      if (!env) continue;
      for (const svc of env.services) out.push({ compose, env, svc, target: serviceTarget(env, svc) });
    }
    return out;
  }

  /** Every (environment, service) that builds this image. */
  servicesOf(image: Image): SvcRef[] {
    const out: SvcRef[] = [];
    for (const compose of this.project.compose) {
      for (const env of compose.environments) {
        for (const svc of env.services) if (svc.imageModel === image) out.push({ compose, env, svc, target: serviceTarget(env, svc) });
      }
    }
    return out;
  }

  failing(): Result[] {
    return this.results.filter((r) => r.status === 'fail');
  }
}

/** Collapses results that are the same finding at the same place in several environments. */
interface Finding {
  r: Result;
  envs: string[];
}

function collapse(results: Result[]): Finding[] {
  const by = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const r of results) {
    const l = r.location;
    const key = `${r.ruleId}\0${r.status}\0${l.file}\0${l.line}\0${l.column}\0${r.message}`;
    const f = by.get(key);
    if (f) {
      if (r.environment && !f.envs.includes(r.environment)) f.envs.push(r.environment);
      continue;
    }
    const n = { r, envs: r.environment ? [r.environment] : [] };
    by.set(key, n);
    out.push(n);
  }
  return out;
}

function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.r.severity] - SEVERITY_RANK[a.r.severity] || compareResults(a.r, b.r);
}

/** Gaps: failing results at `low` or above. `info` results are advice and do not count as gaps. */
function gapsOf(f: Facts): { gaps: Finding[]; advice: Finding[]; unknowns: Finding[] } {
  const fails = collapse(f.failing()).sort(bySeverity);
  return {
    gaps: fails.filter((x) => x.r.severity !== 'info'),
    advice: fails.filter((x) => x.r.severity === 'info'),
    unknowns: collapse(f.results.filter((r) => r.status === 'unknown')),
  };
}

// ---------------------------------------------------------------------------------------------
// A practice row: results → status and implementation text

interface Row {
  status: Status;
  text: string;
}

/** The row's status: any fail → Missing; else any unknown → Unknown; else any waived → Waived; else Implemented. */
function statusOf(rs: Result[]): Status {
  if (rs.some((r) => r.status === 'fail')) return 'fail';
  if (rs.some((r) => r.status === 'unknown')) return 'unknown';
  if (rs.some((r) => r.status === 'waived')) return 'waived';
  return 'pass';
}

/** Distinct pass evidence, in result order. */
function evidences(rs: Result[]): string[] {
  return uniq(rs.filter((r) => r.status === 'pass' && r.evidence).map((r) => r.evidence as string));
}

/** A row from results; `text` words the passing evidence. Null when no result applies. */
function row(rs: Result[], text?: (ev: string[], rs: Result[]) => string): Row | null {
  if (rs.length === 0) return null;
  const status = statusOf(rs);
  if (status === 'fail') {
    const bad = collapse(rs.filter((r) => r.status === 'fail'));
    const first = bad[0].r;
    const more = bad.length > 1 ? ` (+${bad.length - 1} more)` : '';
    return { status, text: `${gist(first.message)} (\`${where(first)}\`)${more}` };
  }
  if (status === 'unknown') {
    const u = rs.find((r) => r.status === 'unknown') as Result;
    return { status, text: `${gist(u.message)} (\`${where(u)}\`)` };
  }
  if (status === 'waived') {
    const w = rs.find((r) => r.status === 'waived') as Result;
    return { status, text: `waived: ${w.waiver?.reason ?? 'no reason recorded'}` };
  }
  const ev = evidences(rs);
  return { status, text: text ? text(ev, rs) : capped(ev) || 'checked' };
}

/** Evidence strings joined, at most four (`a; b; c and 5 more`). */
function capped(ev: string[], max = 4): string {
  return ev.length <= max ? ev.join('; ') : `${ev.slice(0, max - 1).join('; ')} and ${ev.length - max + 1} more`;
}

// ---------------------------------------------------------------------------------------------
// Sections

function header(f: Facts, o: MarkdownReportOptions): string {
  const name = f.project.compose[0]?.name ?? f.project.name;
  return [
    `# ${REPORT_TITLE}`,
    '',
    `> **Last Updated:** ${o.date}`,
    `> **Status:** ${statusLine(f, o.verification)}`,
    '',
    `This document describes the Docker security measures and best practices implemented in the \`${name}\` project. ` +
      "It is generated by `seaworthy report` from the repository's Dockerfiles, compose files, entrypoint scripts and CI workflows: " +
      'every statement below is the result of a check, with the file and line it rests on. Regenerate it instead of editing it.',
  ].join('\n');
}

/** `passed`, `failed`, or `could not run` (no result at all, and an error). */
function liveWord(v: ReportVerification): string {
  return v.passed ? 'passed' : v.error && v.results.length === 0 ? 'could not run' : 'failed';
}

/** The Status line: true by construction (see the Overview and Open Gaps for the counts). */
export function statusLine(f: Facts, verification?: ReportVerification): string {
  if (f.results.length === 0) return 'Not assessed — no Dockerfile or compose file found';
  const { gaps, advice, unknowns } = gapsOf(f);
  const high = gaps.filter((g) => SEVERITY_RANK[g.r.severity] >= SEVERITY_RANK.high);
  const passes = f.results.some((r) => r.status === 'pass');
  const tail: string[] = [];
  if (unknowns.length) tail.push(`${plural(unknowns.length, 'check')} undecided`);
  if (advice.length) tail.push(`${plural(advice.length, 'info-level advisory', 'info-level advisories')}`);
  const extra = tail.length ? `; ${tail.join(', ')}` : '';
  if (gaps.length === 0) {
    if (verification?.passed && unknowns.length === 0) return `Implemented and verified (live verification ${verification.date})${extra}`;
    const live = verification ? `; live verification ${verification.date} ${liveWord(verification)}` : '; not verified on a running system';
    return `Implemented — no gaps open${extra}${live}`;
  }
  const sev = SEVERITIES_DESC.filter((s) => s !== 'info')
    .map((s) => [s, gaps.filter((g) => g.r.severity === s).length] as const)
    .filter(([s, n]) => n > 0 && SEVERITY_RANK[s] >= SEVERITY_RANK.high)
    .map(([s, n]) => `${n} ${s}`);
  const counted = `${plural(gaps.length, 'gap')} open${sev.length ? ` (${sev.join(', ')})` : ''}`;
  const live = verification ? `; live verification ${verification.date} ${liveWord(verification)}` : '';
  const word = !passes ? 'Not implemented' : high.length ? 'Partially implemented' : 'Implemented';
  return `${word} — ${counted}${extra}${live}`;
}

// ---- Overview

interface Coverage {
  holds: string[];
  fails: string[];
  /** Undecided or waived targets. */
  other: string[];
  /** How to say `other`: `undecided`, `waived` or both. */
  otherWord: string;
  total: number;
}

/** Per target (a service or an image): does the practice hold? */
function coverage(targets: { name: string; results: Result[]; override?: Status }[]): Coverage {
  const c: Coverage = { holds: [], fails: [], other: [], otherWord: '', total: 0 };
  const kinds = new Set<Status>();
  for (const t of targets) {
    const s = t.override ?? (t.results.length ? statusOf(t.results) : null);
    if (s === null) continue;
    c.total++;
    if (s === 'pass') c.holds.push(t.name);
    else if (s === 'fail') c.fails.push(t.name);
    else {
      c.other.push(t.name);
      kinds.add(s);
    }
  }
  c.otherWord = kinds.size === 2 ? 'undecided or waived' : kinds.has('waived') ? 'waived' : 'undecided';
  return c;
}

function coverageText(c: Coverage, allText: string, partText: (n: string) => string, unit: string, units: string): string {
  if (c.total === 0) return '';
  if (c.holds.length === c.total) return allText;
  const missing = [...c.fails, ...c.other].map(code);
  const detail = [
    c.fails.length ? `not ${list(c.fails.map(code))}` : '',
    c.other.length ? `${c.otherWord} for ${list(c.other.map(code))}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `${partText(`${c.holds.length} of ${plural(c.total, unit, units)}`)} (${detail || missing.join(', ')})`;
}

/** Whether each container runs as a non-root user: built images by their rule, `image:` services by `user:`. */
function nonRootTargets(f: Facts): { name: string; results: Result[]; override?: Status; text: string }[] {
  const out: { name: string; results: Result[]; override?: Status; text: string }[] = [];
  const seen = new Set<Image>();
  for (const s of f.prodServices()) {
    const user = f.of(['compose/service-user'], [s.target], s.env.name);
    if (s.svc.imageModel) {
      seen.add(s.svc.imageModel);
      const img = f.of(['dockerfile/non-root-user'], [s.svc.imageModel.name]);
      out.push({ name: s.svc.name, results: [...img, ...user], text: '' });
      continue;
    }
    out.push({ name: s.svc.name, results: user, override: publicUserRow(f, s).status, text: '' });
  }
  for (const img of f.project.images) {
    if (seen.has(img) || f.servicesOf(img).length) continue;
    out.push({ name: img.name, results: f.of(['dockerfile/non-root-user'], [img.name]), text: '' });
  }
  return out;
}

/** The default user of an `image:` service's image, from base-image knowledge (the model of `FROM <image>`). */
function imageDefaultUser(svc: Service): EffectiveUser | null {
  const ext = svc.externalImage;
  return ext ? effectiveUser(ext.dockerfile, ext.stage) : null;
}

/**
 * Non-root user of a service that runs a public image: its `user:` (compose/service-user), else the
 * image's default user when seaworthy's base-image knowledge has it. Without either it is unknown:
 * no rule decides it, so it is never reported as missing here.
 */
function publicUserRow(f: Facts, s: SvcRef): Row {
  const user = f.of(['compose/service-user'], [s.target], s.env.name);
  const set = evidences(user).filter((e) => e.startsWith('`user:'));
  if (user.length && (statusOf(user) !== 'pass' || set.length)) return row(user, () => set.join('; ')) as Row;
  const eu = imageDefaultUser(s.svc);
  if (eu?.isRoot === false && eu.user) {
    return { status: 'pass', text: `${code(eu.user)}${eu.uid !== null ? ` (UID ${eu.uid}, image default)` : ' (image default)'}` };
  }
  if (eu?.isRoot === true)
    return {
      status: 'unknown',
      text: 'no `user:`: the image starts as root (its entrypoint may drop privileges, which seaworthy cannot see)',
    };
  return { status: 'unknown', text: "no `user:`: the image's default user is not known to seaworthy" };
}

function overview(f: Facts): string {
  const images = f.project.images;
  const svcs = f.prodServices();
  const items: string[] = [];

  // Multi-stage builds.
  const ms = coverage(images.map((i) => ({ name: i.name, results: f.of(['dockerfile/multi-stage'], [i.name]) })));
  const msText = coverageText(
    ms,
    'Multi-stage builds for minimal attack surface (no build toolchain in any final image)',
    (n) => `Multi-stage builds (no build toolchain in the final image) in ${n}`,
    'image',
    'images',
  );
  if (msText) items.push(msText);

  // Non-root users.
  const nr = coverage(nonRootTargets(f));
  const unit = svcs.length ? 'container' : 'image';
  const nrText = coverageText(nr, `Non-root users in all ${unit}s`, (n) => `Non-root users in ${n}`, unit, `${unit}s`);
  if (nrText) items.push(nrText);

  // Health checks.
  if (svcs.length) {
    const hc = coverage(
      svcs.map((s) => ({
        name: s.svc.name,
        results: f.of(['compose/healthcheck', 'dockerfile/healthcheck-tools'], [s.target], s.env.name),
      })),
    );
    const t = coverageText(hc, 'Health checks on all services', (n) => `Health checks on ${n}`, 'service', 'services');
    if (t) items.push(t);
  } else {
    const hc = coverage(
      images.map((i) => ({ name: i.name, results: f.of(['dockerfile/healthcheck', 'dockerfile/healthcheck-tools'], [i.name]) })),
    );
    const t = coverageText(hc, 'Health checks in all images', (n) => `Health checks in ${n}`, 'image', 'images');
    if (t) items.push(t);
  }

  // CI scanning.
  items.push(ciOverview(f));

  // Secrets.
  const secretRules = f.results.filter(
    (r) => r.ruleId.startsWith('secrets/') || r.ruleId === 'dockerfile/no-secrets' || r.ruleId === 'dockerfile/build-context-leak',
  );
  if (secretRules.length) {
    const bad = collapse(secretRules.filter((r) => r.status === 'fail'));
    items.push(
      bad.length === 0
        ? 'Proper secrets management (no secret in an image or the repository, no fallback value for a secret in production)'
        : `Secrets management with ${plural(bad.length, 'gap')} (${list(uniq(bad.map((b) => code(b.r.ruleId))))})`,
    );
  }

  // Resource limits and log rotation in production.
  if (svcs.length) {
    const rl = coverage(svcs.map((s) => ({ name: s.svc.name, results: f.of(['prod/resource-limits'], [s.target], s.env.name) })));
    const t = coverageText(
      rl,
      'Resource limits in production on all services',
      (n) => `Resource limits in production on ${n}`,
      'service',
      'services',
    );
    if (t) items.push(t);
    const lr = coverage(svcs.map((s) => ({ name: s.svc.name, results: f.of(['prod/log-rotation'], [s.target], s.env.name) })));
    const l = coverageText(
      lr,
      'Log rotation in production on all services',
      (n) => `Log rotation in production on ${n}`,
      'service',
      'services',
    );
    if (l) items.push(l);
  } else {
    items.push('Resource limits and log rotation: not assessed (no compose file)');
  }

  const { gaps } = gapsOf(f);
  const intro =
    gaps.length === 0
      ? 'The Docker setup implements these industry best practices for container security:'
      : `The Docker setup was checked against industry best practices for container security (${plural(gaps.length, 'open gap')}, listed under [Open Gaps](#open-gaps)):`;
  return ['## Overview', '', intro, '', ...items.filter(Boolean).map((i) => `- ${i}`)].join('\n');
}

// ---- Security Measures by Container

interface ImageSection {
  image: Image;
  services: SvcRef[];
}

/** Images in the order compose lists the services that build them, then images no service builds. */
function imageSections(f: Facts): ImageSection[] {
  const out: ImageSection[] = [];
  const done = new Set<Image>();
  for (const compose of f.project.compose) {
    const env = f.prodEnv(compose) ?? f.baseEnv(compose);
    for (const svc of env?.services ?? []) {
      const img = svc.imageModel;
      if (!img || done.has(img)) continue;
      done.add(img);
      out.push({ image: img, services: f.servicesOf(img) });
    }
  }
  for (const img of [...f.project.images].sort((a, b) => compareStrings(a.name, b.name))) {
    if (done.has(img)) continue;
    done.add(img);
    out.push({ image: img, services: f.servicesOf(img) });
  }
  return out;
}

function imageHeading(s: ImageSection): string {
  const names = uniq(s.services.map((x) => x.svc.name));
  const label =
    s.image.name === s.image.dockerfile.path
      ? code(s.image.name)
      : `${code(s.image.dockerfile.path)}, target ${code(s.image.stage.name ?? String(s.image.stage.index))}`;
  return names.length ? `### ${names.map(titleOf).join(', ')} (${label})` : `### ${label}`;
}

/** `UID 101` on a base that knows the user (`nginx` in `nginx-unprivileged`) → `` `nginx` (UID 101, from the base image) ``. */
function namedUid(img: Image, evidence: string): string {
  const m = /^UID (\d+)$/.exec(evidence);
  const facts = m ? baseFacts(img.dockerfile, img.stage) : null;
  if (!m || !facts || facts === 'unresolved') return evidence;
  const name = Object.entries(facts.users).find(([, uid]) => uid === Number(m[1]))?.[0];
  return name ? `\`${name}\` (UID ${m[1]}, a user of the base image)` : evidence;
}

/** The script file name an evidence string names (`` `docker-entrypoint.sh` with `exec uvicorn` `` → `uvicorn`). */
function execProgram(evidence: string | undefined): string | null {
  const m = evidence ? /`exec ([^`\s]+)[^`]*`/.exec(evidence) : null;
  return m ? m[1] : null;
}

/** What the containers of an image start: the image's own ENTRYPOINT/CMD, or a compose `entrypoint:`/`command:` per service. */
interface Start {
  services: string[];
  /** The shell script it runs, when it runs one. */
  use: ScriptUse | null;
  /** A compose override that runs no script from the repository: the key and its words. */
  compose: { key: string; words: string } | null;
}

function startsOf(s: ImageSection): Start[] {
  const own = s.image.scripts.find((u) => u.via === 'ENTRYPOINT' || u.via === 'CMD') ?? null;
  const hasEntrypoint = effectiveStart(s.image.dockerfile, s.image.stage).entrypoint !== null;
  const out: Start[] = [];
  const add = (name: string | null, use: ScriptUse | null, compose: Start['compose']): void => {
    const key = (x: Start) => x.use === use && x.compose?.key === compose?.key && x.compose?.words === compose?.words;
    const same = out.find(key);
    if (same) {
      if (name !== null && !same.services.includes(name)) same.services.push(name);
    } else out.push({ services: name === null ? [] : [name], use, compose });
  };
  const names = uniq(s.services.map((x) => x.svc.name));
  if (names.length === 0) add(null, own, null);
  for (const name of names) {
    // The production service when there is one (the one the document describes), else the first.
    const ref = s.services.find((x) => x.svc.name === name && x.env.isProd) ?? s.services.find((x) => x.svc.name === name);
    const overrides = s.image.scripts.filter((u) => u.service === name && (u.via === 'compose entrypoint' || u.via === 'compose command'));
    const use = overrides.find((u) => u.environment === ref?.env.name) ?? overrides[0];
    if (use) {
      add(name, use, null);
      continue;
    }
    // A compose override that names no script: `entrypoint:` always replaces the image's start, `command:` only without an ENTRYPOINT.
    const svc = ref?.svc;
    const key = svc && get(svc.node, 'entrypoint') ? 'entrypoint' : svc && !hasEntrypoint && get(svc.node, 'command') ? 'command' : null;
    const n = svc && key ? get(svc.node, key) : null;
    const words = n ? (n.kind === 'seq' ? n.items.map((i) => str(i) ?? '').join(' ') : (str(n) ?? '')) : '';
    add(name, key ? null : own, key ? { key, words } : null);
  }
  return out;
}

/**
 * No shell entrypoint: the exec form of ENTRYPOINT/CMD, and for each start that runs a shell script
 * whether the script hands PID 1 to the service (entrypoint/exec-main-process) — an exec-form
 * `["/run.sh"]` whose script stays PID 1 is a shell entrypoint all the same.
 */
function shellEntrypointRow(f: Facts, s: ImageSection): Row | null {
  const execForm = f.of(['dockerfile/exec-form'], [s.image.name]);
  const base = row(execForm);
  if (!base || base.status === 'fail') return base;
  const starts = startsOf(s);
  const pid1 = (st: Start) => (st.use ? f.of(['entrypoint/exec-main-process'], [st.use.script.path]) : []);
  const scriptRs = starts.flatMap(pid1);
  if (base.status !== 'pass' && !scriptRs.some((r) => r.status === 'fail')) return base;
  const formText = evidences(execForm).join('; ');
  const texts = starts.map((st) => {
    let text: string;
    if (st.compose) text = `compose \`${st.compose.key}:\`${st.compose.words ? ` ${code(maskCommandSecrets(st.compose.words))}` : ''}`;
    else if (!st.use) text = formText;
    else {
      const name = code(baseName(st.use.script.path));
      const how =
        st.use.via === 'compose entrypoint' ? ' (compose `entrypoint:`)' : st.use.via === 'compose command' ? ' (compose `command:`)' : '';
      const own = how === '';
      const rs = pid1(st);
      const status = statusOf(rs);
      if (rs.length === 0) text = own ? formText || name : `${name}${how}`;
      else if (status === 'pass') text = `${name} with \`exec\`${how}`;
      else {
        const what =
          status === 'fail'
            ? 'a shell script that does not hand PID 1 to the service'
            : status === 'unknown'
              ? 'a shell script that may not hand PID 1 to the service'
              : 'a shell script whose PID 1 handling is waived';
        text =
          own && formText ? `${formText}, but ${name} is ${what} (see Signal handling)` : `${name}${how}, ${what} (see Signal handling)`;
      }
    }
    return starts.length > 1 && st.services.length ? `${list(st.services.map(code))}: ${text}` : text;
  });
  return { status: statusOf([...execForm, ...scriptRs]), text: texts.join('; ') || base.text };
}

function imageRows(f: Facts, s: ImageSection): [string, Row][] {
  const img = s.image;
  const it = [img.name];
  const svcTargets = s.services.map((x) => x.target);
  const prodTargets = s.services.filter((x) => x.env.isProd).map((x) => x.target);
  const scripts = uniq(img.scripts.map((u) => u.script.path));
  const rows: [string, Row | null][] = [];

  rows.push(['Multi-stage build', row(f.of(['dockerfile/multi-stage'], it))]);
  rows.push(['Minimal base image', row(f.of(['dockerfile/minimal-base'], it))]);

  const users = f.of(['compose/service-user'], svcTargets);
  rows.push([
    'Non-root user',
    row([...f.of(['dockerfile/non-root-user'], it), ...users], (ev) => {
      const image = evidences(f.of(['dockerfile/non-root-user'], it)).map((e) => namedUid(img, e));
      const over = uniq(evidences(users).filter((e) => e.startsWith('`user:')));
      return [...image, ...over.map((o) => `compose ${o}`)].join('; ') || ev.join('; ');
    }),
  ]);

  const execMain = f.of(['entrypoint/exec-main-process'], scripts);
  rows.push(['No shell entrypoint', shellEntrypointRow(f, s)]);

  const hcImage = f.of(['dockerfile/healthcheck'], it);
  const hcCompose = f.of(['compose/healthcheck'], svcTargets);
  rows.push([
    'Health check',
    // A compose service that turns the image's HEALTHCHECK off (`disable: true`) is a gap the image result does not show.
    row(
      [...hcImage, ...f.of(['dockerfile/healthcheck-tools'], [...it, ...svcTargets]), ...(statusOf(hcImage) === 'fail' ? [] : hcCompose)],
      (ev) => {
        const words = evidences(hcImage).filter((e) => e !== 'healthcheck in compose');
        if (words.length) return words.join('; ');
        const c = evidences(hcCompose);
        return c.length ? `${c.join('; ')} (compose)` : ev.join('; ');
      },
    ),
  ]);

  rows.push(['No cache bloat', row(f.of(['dockerfile/no-cache-bloat'], it))]);

  if (execMain.length) {
    rows.push([
      'Signal handling',
      row(execMain, (ev) => {
        const progs = uniq(ev.map(execProgram).filter((p): p is string => p !== null));
        return progs.length ? `${list(progs.map((p) => `\`exec ${p}\``))} for proper PID 1` : ev.join('; ');
      }),
    ]);
  }

  rows.push(['Telemetry disabled', row(f.of(['dockerfile/telemetry-disabled'], it))]);

  rows.push([
    'No secrets in image',
    row(f.of(['dockerfile/no-secrets', 'dockerfile/build-context-leak'], it), () => {
      const ns = evidences(f.of(['dockerfile/no-secrets'], it));
      const leak = evidences(f.of(['dockerfile/build-context-leak'], it)).filter((e) => e.includes('.dockerignore'));
      return [...ns, ...leak].join('; ');
    }),
  ]);

  if (svcTargets.length) {
    rows.push([
      'Security options',
      row(f.of(['compose/no-new-privileges', 'compose/no-unconfined-profiles', 'compose/no-privileged'], svcTargets), () =>
        evidences(f.of(['compose/no-new-privileges'], svcTargets)).join('; '),
      ),
    ]);
    rows.push([
      'Capabilities',
      row(f.of(['compose/cap-drop-all', 'compose/no-dangerous-capabilities'], svcTargets), () =>
        evidences(f.of(['compose/cap-drop-all'], svcTargets)).join('; '),
      ),
    ]);
    rows.push(['Read-only root filesystem', row(f.of(['compose/read-only-rootfs'], svcTargets))]);
    rows.push(['Resource limits', row(f.of(['prod/resource-limits'], prodTargets), (ev) => `${ev.join('; ')} (production)`)]);
  }
  return rows.filter((r): r is [string, Row] => r[1] !== null);
}

function practiceTable(rows: [string, Row][]): string {
  return table(
    ['Practice', 'Implementation', 'Status'],
    rows.map(([label, r]) => [label, r.text, STATUS_WORD[r.status]]),
  );
}

/** A script for printing: secret-looking assignments, arguments and URL passwords masked, at most 60 lines. */
export function scriptExcerpt(text: string, maxLines = 60): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const masked = lines.map((l) =>
    maskSecretArguments(maskUrlCredentials(l)).replace(
      /\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|]+)/g,
      (m, name: string, value: string) => {
        const v = value.replace(/^["']|["']$/g, '');
        if (!isSecretName(name) || v === '' || isPureReference(v) || v.startsWith('$')) return m;
        return `${name}=${maskSecret(v)}`;
      },
    ),
  );
  if (masked.length <= maxLines) return masked.join('\n');
  return [...masked.slice(0, maxLines), `# … ${masked.length - maxLines} more lines in the file`].join('\n');
}

function entrypointBlock(f: Facts, s: ImageSection): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const use of s.image.scripts) {
    const script: ScriptModel = use.script;
    if (seen.has(script.path)) continue;
    seen.add(script.path);
    const name = baseName(script.path);
    const execMain = f.of(['entrypoint/exec-main-process'], [script.path]);
    const prog = uniq(
      evidences(execMain)
        .map(execProgram)
        .filter((p): p is string => p !== null),
    );
    const how =
      use.via === 'ENTRYPOINT' || use.via === 'CMD'
        ? `as its ${use.via}`
        : `through the compose \`${use.via === 'compose entrypoint' ? 'entrypoint' : 'command'}:\``;
    const intro =
      statusOf(execMain) === 'pass' && prog.length
        ? `${code(s.image.dockerfile.path)} runs ${code(name)} ${how}; the script ends by \`exec\`ing ${list(prog.map(code))}:`
        : `${code(s.image.dockerfile.path)} runs ${code(name)} ${how}:`;
    // A script in another language (`#!/usr/bin/env python3`) is shown with its own highlighting.
    const lang = script.script || !script.shebang ? 'bash' : script.shebang.interpreter.replace(/[0-9.]+$/, '');
    out.push('**Entrypoint Pattern:**', '', intro, '', `\`\`\`${lang}`, scriptExcerpt(script.text), '```', '');
    if (execMain.length && statusOf(execMain) === 'pass') {
      const p = prog.length ? list(prog.map(code)) : 'the service';
      out.push(
        `Using \`exec\` makes ${p} PID 1 in place of the shell, so it receives SIGTERM from \`docker stop\` directly and shuts down gracefully instead of being killed when the stop timeout expires.`,
      );
    } else if (execMain.length) {
      const r = row(execMain) as Row;
      out.push(
        `The script does not hand PID 1 to the service on every path: ${r.text}. The shell stays PID 1 and SIGTERM does not reach the app.`,
      );
    }
    const facts: [string, string][] = [
      ['entrypoint/fail-fast', 'Stops at the first error'],
      ['entrypoint/args-passthrough', 'Passes compose `command:` arguments on'],
      ['entrypoint/executable', 'Executable in the image'],
      ['entrypoint/interpreter-available', 'Interpreter present in the image'],
    ];
    const bullets: string[] = [];
    for (const [id, label] of facts) {
      const r = row(f.of([id], [script.path]));
      if (!r) continue;
      bullets.push(`- ${label}: ${r.status === 'pass' ? r.text : `**${STATUS_WORD[r.status]}** — ${r.text}`}`);
    }
    if (bullets.length) out.push('', ...bullets);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** Rules that fail when a secret of a service is written in the repository: literal, weak, or a fallback in prod. */
const CREDENTIAL_RULES = ['secrets/no-hardcoded', 'secrets/weak-values', 'secrets/no-default-in-prod'];

/**
 * Authentication of a datastore service: compose/datastore-auth, unless a secrets/* rule fails on the
 * same service — a password that is a literal, a weak value or a prod fallback written in the compose
 * file is known to everyone with the repository, so the row is Missing. Values are never printed.
 */
function authRow(f: Facts, targets: string[], env?: string): Row | null {
  const auth = f.of(['compose/datastore-auth'], targets, env);
  const r = row(auth);
  if (r?.status !== 'pass') return r;
  const bad = f.of(CREDENTIAL_RULES, targets, env).filter((x) => x.status === 'fail');
  if (bad.length === 0) return r;
  const at = new Set(auth.map((a) => `${a.target}\0${a.location.file}\0${a.location.line}`));
  const same = bad.filter((x) => at.has(`${x.target}\0${x.location.file}\0${x.location.line}`));
  if (same.length === 0) return { status: 'fail', text: `${r.text}, but ${gist(bad[0].message)} (\`${where(bad[0])}\`)` };
  const ids = new Set(same.map((x) => x.ruleId));
  const weak = ids.has('secrets/weak-values') ? 'weak ' : '';
  const what = ids.has('secrets/no-default-in-prod')
    ? `with a ${weak}fallback value`
    : ids.has('secrets/no-hardcoded')
      ? `a literal ${weak}value`
      : 'a weak value';
  return { status: 'fail', text: `${r.text}, ${what} in the compose file (\`${where(same[0])}\`)` };
}

/** Services that run a public image (`image:`, no `build:`), with their practices. */
function publicImageSection(f: Facts, s: SvcRef): string {
  const t = [s.target];
  const rows: [string, Row | null][] = [];
  rows.push(['Pinned image', row(f.of(['compose/pinned-images'], t))]);
  rows.push(['Non-root user', publicUserRow(f, s)]);
  rows.push([
    'Health check',
    row(f.of(['compose/healthcheck', 'dockerfile/healthcheck-tools'], t), () => evidences(f.of(['compose/healthcheck'], t)).join('; ')),
  ]);
  rows.push(['Authentication', authRow(f, t)]);
  rows.push(['Not published', row(f.of(['compose/internal-ports'], t))]);
  rows.push(['Named volume', row(f.of(['compose/named-volumes'], t))]);
  rows.push([
    'Security options',
    row(f.of(['compose/no-new-privileges', 'compose/no-unconfined-profiles', 'compose/no-privileged'], t), () =>
      evidences(f.of(['compose/no-new-privileges'], t)).join('; '),
    ),
  ]);
  rows.push([
    'Capabilities',
    row(f.of(['compose/cap-drop-all', 'compose/no-dangerous-capabilities'], t), () =>
      evidences(f.of(['compose/cap-drop-all'], t)).join('; '),
    ),
  ]);
  rows.push(['Read-only root filesystem', row(f.of(['compose/read-only-rootfs'], t))]);
  rows.push(['Resource limits', row(f.of(['prod/resource-limits'], t, s.env.name), (ev) => `${ev.join('; ')} (production)`)]);
  const r = rows.filter((x): x is [string, Row] => x[1] !== null);
  return [`### ${titleOf(s.svc.name)} (${code(s.svc.image ?? 'image')})`, '', practiceTable(r)].join('\n');
}

function containers(f: Facts): string {
  const out = ['## Security Measures by Container'];
  const sections = imageSections(f);
  for (const s of sections) {
    out.push('', imageHeading(s), '', practiceTable(imageRows(f, s)));
    if (s.image.scripts.length) out.push('', entrypointBlock(f, s));
  }
  const publics = f.prodServices().filter((s) => !s.svc.build && !s.svc.imageModel);
  for (const s of publics) out.push('', publicImageSection(f, s));
  if (sections.length === 0 && publics.length === 0)
    out.push('', 'No Dockerfile and no compose service found: there is no container to describe.');
  else if (sections.length === 0) out.push('', 'No Dockerfile in the repository: every service runs a public image (above).');
  return out.join('\n');
}

// ---- Docker Compose Security

/** Per service of an environment: the results of these rules. */
function perService(f: Facts, env: Environment, rules: string[]): { name: string; results: Result[] }[] {
  return env.services.map((svc) => ({ name: svc.name, results: f.of(rules, [serviceTarget(env, svc)], env.name) }));
}

function dependsOn(svc: Service): { on: string; condition: string }[] {
  const n = get(svc.node, 'depends_on');
  if (!n) return [];
  if (n.kind === 'seq') return n.items.map((i) => ({ on: str(i) ?? '?', condition: 'service_started' }));
  if (n.kind === 'map') return n.entries.map((e) => ({ on: e.key, condition: str(get(e.value, 'condition')) ?? 'service_started' }));
  return [];
}

function networksOf(svc: Service): string[] {
  const mode = str(get(svc.node, 'network_mode'));
  if (mode) return [`network_mode: ${mode}`];
  const n = get(svc.node, 'networks');
  if (!n) return ['default'];
  if (n.kind === 'seq') return n.items.map((i) => str(i) ?? '?');
  if (n.kind === 'map') return n.entries.map((e) => e.key);
  return ['default'];
}

interface Port {
  text: string;
  published: string | null;
  target: string;
  hostIp: string | null;
}

/** Published ports as written (short or long syntax). */
function portsOf(svc: Service): Port[] {
  const n = get(svc.node, 'ports');
  if (n?.kind !== 'seq') return [];
  const out: Port[] = [];
  for (const i of n.items) {
    if (i.kind === 'map') {
      const target = str(get(i, 'target')) ?? '?';
      const published = str(get(i, 'published')) ?? null;
      const hostIp = str(get(i, 'host_ip')) ?? null;
      out.push({ text: `${hostIp ? `${hostIp}:` : ''}${published ?? ''}${published ? ':' : ''}${target}`, published, target, hostIp });
      continue;
    }
    const t = str(i);
    if (!t) continue;
    const spec = t.replace(/\/(tcp|udp|sctp)$/, '');
    const parts = spec.startsWith('[') ? [spec] : spec.split(':');
    const target = parts[parts.length - 1];
    const published = parts.length >= 2 ? parts[parts.length - 2] || null : null;
    const hostIp = parts.length >= 3 ? parts.slice(0, -2).join(':') : null;
    out.push({ text: t, published, target, hostIp });
  }
  return out;
}

function intervalOf(evidence: string): string | null {
  const m = / every (\S+)( \(default\))?$/.exec(evidence);
  return m ? m[1] : null;
}

function bulletFor(c: Coverage, label: string, all: string, part: string): string {
  if (c.total === 0) return '';
  if (c.holds.length === c.total) return `- **${label}** ${all}`;
  const bits = [
    c.fails.length ? `missing on ${list(c.fails.map(code))}` : '',
    c.other.length ? `${c.otherWord} on ${list(c.other.map(code))}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `- **${label}** ${part.replace('%n', `${c.holds.length} of ${plural(c.total, 'service')}`)} — ${bits} (see [Open Gaps](#open-gaps))`;
}

function baseConfiguration(f: Facts, env: Environment): string {
  const out: string[] = [`### Base Configuration (${env.files.map(code).join(' + ')})`, ''];
  const bullets: string[] = [];

  const hc = perService(f, env, ['compose/healthcheck', 'dockerfile/healthcheck-tools']);
  const hcCov = coverage(hc);
  const intervals = env.services
    .map((svc) => {
      const ev = evidences(f.of(['compose/healthcheck'], [serviceTarget(env, svc)], env.name))[0];
      const iv = ev ? intervalOf(ev) : null;
      return iv ? `${code(svc.name)} ${iv}` : null;
    })
    .filter((x): x is string => x !== null);
  bullets.push(
    bulletFor(hcCov, 'Health checks', `on all services${intervals.length ? `, with intervals: ${intervals.join(', ')}` : ''}`, `on %n`),
  );

  const deps = env.services.flatMap((svc) => dependsOn(svc).map((d) => ({ from: svc.name, ...d })));
  const doh = coverage(perService(f, env, ['compose/depends-on-healthy']));
  if (deps.length === 0) bullets.push('- **Dependency ordering**: no service declares `depends_on`');
  else if (doh.total && doh.holds.length === doh.total) {
    const conds = uniq(deps.map((d) => d.condition));
    bullets.push(
      `- **Dependency ordering** with ${conds.length === 1 ? `\`depends_on: condition: ${conds[0]}\`` : `\`depends_on\` conditions ${list(conds.map(code))}`} (${env.services
        .filter((svc) => dependsOn(svc).length)
        .map((svc) => `${code(svc.name)} → ${list(dependsOn(svc).map((d) => code(d.on)))}`)
        .join('; ')})`,
    );
  } else bullets.push(bulletFor(doh, 'Dependency ordering', '', 'waits for healthy dependencies on %n'));

  const net = perService(f, env, ['compose/dedicated-network']);
  const netCov = coverage(net);
  const netNames = uniq(
    env.services.flatMap((svc) => networksOf(svc)).filter((n) => n !== 'default' && !n.startsWith('network_mode:')),
  ).sort(compareStrings);
  bullets.push(
    bulletFor(
      netCov,
      'Network isolation',
      `via dedicated ${netNames.length === 1 ? code(netNames[0]) : `networks ${list(netNames.map(code))}`}`,
      'on a dedicated network for %n',
    ),
  );

  const vols = [...env.volumes.keys()];
  const nv = perService(f, env, ['compose/named-volumes']);
  const nvCov = coverage(nv);
  if (nvCov.total) {
    const ev = nv.flatMap((n) => evidences(n.results).map((e) => `${e.replace(/ named volume$/, '')} (${code(n.name)})`));
    bullets.push(bulletFor(nvCov, 'Named volumes', `for data persistence: ${ev.join(', ')}`, 'keep datastore data on %n'));
  } else if (vols.length) bullets.push(`- **Named volumes**: ${list(vols.map(code))}`);

  const nnp = coverage(perService(f, env, ['compose/no-new-privileges']));
  bullets.push(bulletFor(nnp, '`no-new-privileges:true`', 'on all services', 'on %n'));
  const caps = coverage(perService(f, env, ['compose/cap-drop-all', 'compose/no-dangerous-capabilities']));
  bullets.push(bulletFor(caps, 'Capabilities', 'dropped (`cap_drop: [ALL]`) on all services, none dangerous added', 'dropped on %n'));
  const ro = coverage(perService(f, env, ['compose/read-only-rootfs']));
  bullets.push(bulletFor(ro, 'Read-only root filesystems', 'on all services', 'on %n'));
  const iso = coverage(
    perService(f, env, [
      'compose/no-privileged',
      'compose/no-host-namespaces',
      'compose/no-docker-socket',
      'compose/no-sensitive-mounts',
      'compose/no-unconfined-profiles',
    ]),
  );
  bullets.push(
    bulletFor(
      iso,
      'Isolation kept',
      'on all services: no privileged mode, host namespaces, Docker socket or sensitive host mounts, default seccomp and AppArmor profiles',
      'on %n',
    ),
  );
  const ds = perService(f, env, ['compose/internal-ports', 'compose/datastore-auth']).filter((d) => d.results.length);
  if (ds.length) {
    const c = coverage(ds);
    if (c.holds.length === c.total) {
      const ev = ds.map((d) => {
        const auth = evidences(d.results.filter((r) => r.ruleId === 'compose/datastore-auth'));
        const how = auth.map((a) => /^Password \((.+)\)$/.exec(a)?.[1] ?? a);
        return `${code(d.name)}${how.length ? ` via ${how.join(', ')}` : ''}`;
      });
      bullets.push(`- **Datastores** unpublished and password-protected: ${ev.join(', ')}`);
    } else {
      const bits = [
        c.fails.length ? `exposed or unprotected: ${list(c.fails.map(code))}` : '',
        c.other.length ? `${c.otherWord}: ${list(c.other.map(code))}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      bullets.push(`- **Datastores** unpublished and protected: ${c.holds.length} of ${c.total} — ${bits} (see [Open Gaps](#open-gaps))`);
    }
  }
  out.push(...bullets.filter(Boolean));
  return out.join('\n');
}

/** A YAML rendering of a merged node (for examples): keys in order, scalars as written. */
export function yamlOf(key: string, n: PNode, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  if (n.kind === 'scalar') return [`${pad}${key}: ${scalarText(n)}`];
  if (n.kind === 'seq')
    return [
      `${pad}${key}:`,
      ...n.items.flatMap((i) => (i.kind === 'scalar' ? [`${pad}  - ${scalarText(i)}`] : yamlOf('-', i, indent + 2))),
    ];
  return [`${pad}${key}:`, ...n.entries.flatMap((e) => yamlOf(e.key, e.value, indent + 2))];
}

function scalarText(n: Extract<PNode, { kind: 'scalar' }>): string {
  const v = n.value === null ? 'null' : String(n.value);
  if (n.style === 'single') return `'${v.replace(/'/g, "''")}'`;
  if (n.style === 'double') return JSON.stringify(v);
  return v;
}

interface Limits {
  cpus: string | null;
  memory: string | null;
  resCpus: string | null;
  resMemory: string | null;
}

function limitsOf(svc: Service): Limits {
  const l = (k: string) => str(get(get(get(get(svc.node, 'deploy'), 'resources'), 'limits'), k)) ?? null;
  const r = (k: string) => str(get(get(get(get(svc.node, 'deploy'), 'resources'), 'reservations'), k)) ?? null;
  return {
    cpus: l('cpus') ?? str(get(svc.node, 'cpus')) ?? null,
    memory: l('memory') ?? str(get(svc.node, 'mem_limit')) ?? null,
    resCpus: r('cpus'),
    resMemory: r('memory') ?? str(get(svc.node, 'mem_reservation')) ?? null,
  };
}

/** Datastore hardening beyond a password, read from the merged command (redis flags). */
const REDIS_HARDENING = ['--timeout', '--tcp-keepalive', '--maxmemory', '--protected-mode', '--rename-command', '--bind'];

function commandWords(svc: Service): string[] {
  const n = get(svc.node, 'command');
  if (!n) return [];
  if (n.kind === 'seq') return n.items.map((i) => str(i) ?? '');
  return (str(n) ?? '').split(/\s+/).filter(Boolean);
}

function datastoreRows(f: Facts, env: Environment): string[][] {
  const rows: string[][] = [];
  for (const svc of env.services) {
    const t = serviceTarget(env, svc);
    const auth = f.of(['compose/datastore-auth'], [t], env.name);
    if (auth.length === 0) continue;
    const all = row([...auth, ...f.of(['compose/internal-ports'], [t], env.name)], () => {
      const parts = [...evidences(auth)];
      const words = commandWords(svc);
      for (const flag of REDIS_HARDENING) {
        const i = words.indexOf(flag);
        if (i >= 0 && words[i + 1] !== undefined) parts.push(`\`${flag} ${words[i + 1]}\``);
      }
      if (statusOf(f.of(['compose/internal-ports'], [t], env.name)) === 'pass') parts.push('not published');
      return parts.join(', ');
    }) as Row;
    // A password written in the compose file is a gap even when compose/datastore-auth passes.
    const weak = authRow(f, [t], env.name);
    const r: Row =
      weak?.status !== 'fail' || statusOf(auth) !== 'pass'
        ? all
        : { status: 'fail', text: all.status === 'fail' ? `${weak.text}; ${all.text}` : weak.text };
    const product = (svc.image ? datastoreOf(svc.image)?.product : undefined) ?? titleOf(svc.name);
    rows.push([`${product} hardening (${code(svc.name)})`, r.status === 'pass' ? r.text : `**${STATUS_WORD[r.status]}**: ${r.text}`]);
  }
  return rows;
}

function featureRow(f: Facts, env: Environment, label: string, rules: string[], all: (ev: string[]) => string): string[] | null {
  const per = perService(f, env, rules).filter((p) => p.results.length);
  if (per.length === 0) return null;
  const c = coverage(per);
  const ev = evidences(per.flatMap((p) => p.results));
  if (c.holds.length === c.total) return [label, all(ev)];
  const bits = [
    c.fails.length ? `gap on ${list(c.fails.map(code))}` : '',
    c.other.length ? `${c.otherWord} on ${list(c.other.map(code))}` : '',
  ].filter(Boolean);
  return [label, `**${c.holds.length} of ${plural(c.total, 'service')}**; ${bits.join('; ')}`];
}

function productionConfiguration(f: Facts, env: Environment, base: Environment | null): string {
  const overlay = env.files.filter((x) => !base?.files.includes(x));
  const title = overlay.length ? overlay.map(code).join(' + ') : `${env.files.map(code).join(' + ')}, no production overlay`;
  const out: string[] = [`### Production Configuration (${title})`, ''];
  if (!overlay.length)
    out.push('No production overlay (`docker-compose.prod.yml`) was found: the base file is judged as the production configuration.', '');
  const rows: (string[] | null)[] = [];
  rows.push(featureRow(f, env, 'Resource limits', ['prod/resource-limits'], () => 'CPU and memory limits on all services'));
  rows.push(
    featureRow(f, env, 'Process limits', ['prod/pids-limit'], (ev) => {
      const n = uniq(ev.map((e) => e.replace(/^pids /, ''))).sort((a, b) => Number(a) - Number(b));
      return `\`pids_limit\` on all services (${n.length > 1 ? `${n[0]}–${n[n.length - 1]}` : n[0]})`;
    }),
  );
  rows.push(
    featureRow(f, env, 'Logging rotation', ['prod/log-rotation'], (ev) => {
      const keys = uniq(ev.flatMap((e) => parseLogEvidence(e).keys));
      const drivers = uniq(ev.map((e) => parseLogEvidence(e).driver));
      return `${keys.map(code).join(', ')} (${list(drivers.map(code))} driver) on all services`;
    }),
  );
  rows.push(featureRow(f, env, 'Restart policy', ['prod/restart-policy'], (ev) => `${list(uniq(ev).map(code))} on all services`));
  rows.push(...datastoreRows(f, env));
  const seg = f.of(['prod/network-segmentation'], [env.files[0] ?? env.dir], env.name);
  const segRow = row(seg);
  if (segRow)
    rows.push(['Network segmentation', segRow.status === 'pass' ? segRow.text : `**${STATUS_WORD[segRow.status]}**: ${segRow.text}`]);
  rows.push(
    featureRow(f, env, 'Published ports', ['prod/published-ports'], () => {
      const edge = env.services
        .filter((s) => portsOf(s).length)
        .map(
          (s) =>
            `${code(s.name)} (${portsOf(s)
              .map((p) => code(p.text))
              .join(', ')})`,
        );
      return edge.length ? `only the edge proxy publishes: ${list(edge)}` : 'no service publishes a port';
    }),
  );
  rows.push(featureRow(f, env, 'No development settings', ['prod/no-dev-mode'], () => 'no debug flags, reloaders or source bind mounts'));
  const r = rows.filter((x): x is string[] => x !== null);
  out.push(r.length ? table(['Feature', 'Implementation'], r) : 'No production checks ran.');

  // Resource limits per service.
  const lim = env.services.map((svc) => ({ svc, l: limitsOf(svc) }));
  out.push('', 'Resource limits per service:', '');
  out.push(
    table(
      ['Service', 'CPUs', 'Memory', 'Reservations'],
      lim.map(({ svc, l }) => [
        code(svc.name),
        l.cpus ?? '—',
        l.memory ?? '—',
        [l.resCpus ? `${l.resCpus} CPU` : '', l.resMemory ?? ''].filter(Boolean).join(', ') || '—',
      ]),
    ),
  );
  const example = env.services.find((svc) => get(get(svc.node, 'deploy'), 'resources'));
  const res = example ? get(get(example.node, 'deploy'), 'resources') : undefined;
  if (example && res) {
    out.push('', `Example resource limits (${code(example.name)}):`, '', '```yaml', 'deploy:', ...yamlOf('resources', res, 2), '```');
  }
  return out.join('\n');
}

// ---- Topology (Mermaid)

function mermaidId(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function mermaidLabel(text: string): string {
  return text.replace(/"/g, '#quot;');
}

export function topology(env: Environment): string {
  const lines = ['```mermaid', 'flowchart LR'];
  const node = (svc: Service) => {
    const ports = portsOf(svc);
    const label = ports.length
      ? `${svc.name}<br/>published ${ports.map((p) => (p.published ? `${p.hostIp ? `${p.hostIp}:` : ''}${p.published}→${p.target}` : p.target)).join(', ')}`
      : svc.name;
    return `${mermaidId('svc', svc.name)}["${mermaidLabel(label)}"]`;
  };
  const nets = new Map<string, Service[]>();
  const multi: Service[] = [];
  for (const svc of env.services) {
    const n = networksOf(svc);
    if (n.length === 1 && !n[0].startsWith('network_mode:')) {
      const l = nets.get(n[0]);
      if (l) l.push(svc);
      else nets.set(n[0], [svc]);
    } else multi.push(svc);
  }
  for (const [net, svcs] of nets) {
    lines.push(`  subgraph ${mermaidId('net', net)}["network: ${mermaidLabel(net)}"]`);
    for (const svc of svcs) lines.push(`    ${node(svc)}`);
    lines.push('  end');
  }
  for (const svc of multi) {
    lines.push(`  ${node(svc)}`);
    for (const n of networksOf(svc)) {
      if (n.startsWith('network_mode:')) continue;
      if (!nets.has(n)) {
        lines.push(`  subgraph ${mermaidId('net', n)}["network: ${mermaidLabel(n)}"]`, '  end');
        nets.set(n, []);
      }
      lines.push(`  ${mermaidId('svc', svc.name)} -.- ${mermaidId('net', n)}`);
    }
  }
  for (const svc of env.services) {
    for (const d of dependsOn(svc))
      lines.push(`  ${mermaidId('svc', svc.name)} -->|${mermaidLabel(d.condition)}| ${mermaidId('svc', d.on)}`);
  }
  lines.push('```');
  return lines.join('\n');
}

function composeSection(f: Facts): string {
  const out = ['## Docker Compose Security'];
  if (f.project.compose.length === 0) {
    out.push('', 'No compose file found: services, networks, production overlay and resource limits are not assessed.');
    return out.join('\n');
  }
  for (const c of f.project.compose) {
    if (f.project.compose.length > 1) out.push('', `### Project ${code(c.name)}${c.dir ? ` (${code(`${c.dir}/`)})` : ''}`);
    const base = f.baseEnv(c);
    const prod = f.prodEnv(c);
    if (base) out.push('', baseConfiguration(f, base));
    if (prod) out.push('', productionConfiguration(f, prod, base && base !== prod ? base : null));
    const topo = prod ?? base;
    if (topo) {
      out.push(
        '',
        `### ${prod ? 'Production' : 'Service'} Topology`,
        '',
        'Services by network; arrows are `depends_on` with their condition; published ports are marked on the service.',
        '',
        topology(topo),
      );
    }
  }
  return out.join('\n');
}

// ---- CI/CD

const VULN: readonly ToolCategory[] = ['image', 'dependencies'];
const STATIC: readonly ToolCategory[] = ['sast', 'secrets', 'iac'];

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

const GATE_WORDS: Record<Gate['status'], string> = {
  'can-fail': 'fails the build',
  'cannot-fail': 'never fails the build',
  reported: 'code scanning alerts',
  unknown: 'decided at run time',
};

function gateText(uses: ToolUse[]): string {
  const words = uniq(
    uses.map((u) =>
      u.gate.status === 'cannot-fail' && u.gate.disabledBy[0]
        ? `never fails the build (${u.gate.disabledBy[0].what})`
        : GATE_WORDS[u.gate.status],
    ),
  );
  return words.join('; ');
}

function scanTable(rows: ScanRow[]): string {
  return table(
    ['Tool', 'Scope', 'Trigger', 'Gate'],
    rows.map((r) => [`**${r.tool}**`, capitalise(r.scope.join('; ')), capitalise(r.triggers.join(', ')) || '—', gateText(r.uses)]),
  );
}

function ciOverview(f: Facts): string {
  const ci = f.project.ci;
  if (f.project.workflows.length === 0 && f.project.files.workflows.length === 0)
    return 'Vulnerability scanning in CI/CD: no CI workflow found';
  if (ci.scans.length === 0) return 'Vulnerability scanning in CI/CD: the CI workflows run no security scanner';
  const imgs = ci.images;
  const scanned = imgs.filter((i) => i.status === 'scanned');
  const mans = ci.manifests;
  const audited = mans.filter((m) => m.scans.length > 0);
  const bits: string[] = [];
  if (imgs.length)
    bits.push(scanned.length === imgs.length ? 'every image scanned' : `${scanned.length} of ${plural(imgs.length, 'image')} scanned`);
  if (mans.length)
    bits.push(
      audited.length === mans.length ? 'every lockfile audited' : `${audited.length} of ${plural(mans.length, 'lockfile')} audited`,
    );
  const all = scanned.length === imgs.length && audited.length === mans.length;
  return `${all ? 'Automated vulnerability scanning in CI/CD' : 'Vulnerability scanning in CI/CD, incomplete'}${bits.length ? ` (${bits.join(', ')})` : ''}`;
}

function ciSection(f: Facts): string {
  const out = ['## CI/CD Security Scanning', ''];
  const ci = f.project.ci;
  const wf = uniq([...f.project.workflows.map((w) => w.path), ...f.project.files.workflows]).sort(compareStrings);
  if (wf.length === 0) {
    out.push('No CI workflow found (`.github/workflows/*.yml`, `.gitlab-ci.yml`): images and dependencies are not scanned automatically.');
    return out.join('\n');
  }
  const scanning = uniq(ci.scans.map((u) => u.workflow.path)).sort(compareStrings);
  if (scanning.length === 0) {
    out.push(`The CI workflows (${list(wf.map(code))}) run no security scanner: images and dependencies are not scanned automatically.`);
  } else {
    out.push(`Security scanning is automated via ${list(scanning.map(code))}:`);
    const vuln = ci.table.filter((r) => r.categories.some((c) => VULN.includes(c)));
    const stat = ci.table.filter((r) => !vuln.includes(r) && r.categories.some((c) => STATIC.includes(c)));
    out.push('', '### Vulnerability Scanning', '');
    out.push(vuln.length ? scanTable(vuln) : 'No vulnerability scanner (image or dependency audit) runs in CI.');
    out.push('', '### Static Analysis', '');
    out.push(stat.length ? scanTable(stat) : 'No static analysis or secret scanner runs in CI.');
  }
  if (ci.images.length) {
    out.push('', '### Container Image Scanning', '');
    out.push(
      table(
        ['Image', 'Scanned by', 'Base image updates'],
        ci.images.map((i) => [
          code(i.dockerfile.path),
          i.status === 'scanned'
            ? list(uniq(i.scans.map((s) => s.tool)))
            : i.status === 'built'
              ? '**built in CI, not scanned**'
              : i.status === 'unknown'
                ? `undecided: ${i.unknownReason ?? 'a run-time value'}`
                : '**not scanned**',
          i.updates.length ? uniq(i.updates.map((u) => `${u.tool} (${code(u.file)})`)).join(', ') : '—',
        ]),
      ),
    );
  }
  if (ci.manifests.length) {
    out.push('', '### Dependency Audits', '');
    out.push(
      table(
        ['Lockfile', 'Ecosystem', 'Audited by'],
        ci.manifests.map((m) => [
          code(m.path),
          m.ecosystem,
          m.scans.length ? list(uniq(m.scans.map((s) => s.tool))) : m.unknownReason ? `undecided: ${m.unknownReason}` : '**not audited**',
        ]),
      ),
    );
  }
  // Triggers and gates are in the tables above: only their problems are repeated here.
  const hygiene: [string, string, ((ev: string[]) => string) | null][] = [
    ['ci/scan-triggers', 'Scan triggers', null],
    ['ci/scans-gate', 'Scanners can fail the build', null],
    ['ci/pinned-actions', 'Actions pinned', (ev) => `by commit SHA: ${capped(ev)}`],
    ['ci/least-privilege-token', 'Least-privilege token', (ev) => capped(ev)],
    ['ci/base-image-updates', 'Base image updates', (ev) => capped(ev)],
  ];
  const bullets: string[] = [];
  for (const [id, label, passText] of hygiene) {
    const r = row(f.rule(id), passText ?? undefined);
    if (!r || (r.status === 'pass' && !passText)) continue;
    bullets.push(`- **${label}**: ${r.status === 'pass' ? r.text : `**${STATUS_WORD[r.status]}** — ${r.text}`}`);
  }
  if (bullets.length) out.push('', '### Workflow Hardening', '', ...bullets);
  if (ci.unreadable.length)
    out.push('', `Workflows that could not be read: ${list(ci.unreadable.map(code))} (see [Open Gaps](#open-gaps)).`);
  return out.join('\n');
}

// ---- Secrets

function secretsSection(f: Facts): string {
  const out = ['## Secrets Management'];
  const compose = f.project.compose;
  const devFacts: string[] = [];
  const prodFacts: string[] = [];
  for (const c of compose) {
    const base = f.baseEnv(c);
    const prod = f.prodEnv(c);
    if (base && base !== prod) {
      const uses = uniq(
        base.variables.filter((v) => v.use.hasDefault && isSecretName(v.use.name)).map((v) => varUse(v.use.name, v.use.op, v.use.word)),
      );
      if (uses.length)
        devFacts.push(`Environment variables with defaults for local development (defaults masked): ${uses.map(code).join(', ')}`);
      else devFacts.push('No secret variable has a default in the development configuration');
    }
    if (prod) {
      const req = uniq(
        prod.variables.filter((v) => v.use.required && isSecretName(v.use.name)).map((v) => varUse(v.use.name, v.use.op, v.use.word)),
      );
      const nd = f.results.filter((r) => r.ruleId === 'secrets/no-default-in-prod' && r.environment === prod.name);
      const ndFails = collapse(nd.filter((r) => r.status === 'fail'));
      if (ndFails.length === 0 && nd.length) {
        prodFacts.push(
          req.length
            ? `No defaults — compose refuses to start when a secret is unset: ${req.map(code).join(', ')}`
            : 'No secret variable has a fallback value in production',
        );
      } else if (ndFails.length) {
        prodFacts.push(
          `**Fallback values reach production** for ${plural(ndFails.length, 'secret use')}: ${ndFails.map((x) => `\`${where(x.r)}\``).join(', ')} (see [Open Gaps](#open-gaps))`,
        );
      }
      const hard = f.results.filter((r) => r.ruleId === 'secrets/no-hardcoded' && r.environment === prod.name);
      if (hard.length) {
        const bad = collapse(hard.filter((r) => r.status === 'fail'));
        prodFacts.push(
          bad.length
            ? `**Literal secret values** in the production configuration: ${bad.map((x) => `\`${where(x.r)}\``).join(', ')}`
            : 'No literal secret values in the production configuration',
        );
      }
      const weak = f.results.filter((r) => r.ruleId === 'secrets/weak-values' && r.environment === prod.name);
      if (weak.length) {
        const bad = collapse(weak.filter((r) => r.status === 'fail'));
        prodFacts.push(
          bad.length
            ? `**Weak values** reachable in production: ${bad.map((x) => `\`${where(x.r)}\``).join(', ')}`
            : 'No known-weak or short values reachable in production',
        );
      }
    }
  }
  // .env files and examples.
  const real = f.project.envFiles.filter((e) => !e.isExample);
  const ign = f.rule('secrets/env-file-ignored');
  if (real.length) {
    for (const e of real) {
      const r = ign.find((x) => x.location.file === e.path);
      devFacts.push(
        r?.status === 'pass'
          ? `${code(e.path)} for local overrides (gitignored${e.tracked === false ? ', not tracked' : ''})`
          : `**${code(e.path)}** ${r ? gist(r.message).replace(/^`[^`]+` /, '') : 'is not gitignored'} (see [Open Gaps](#open-gaps))`,
      );
    }
  } else if (compose.length) devFacts.push('No `.env` file with real values in the repository');
  for (const ex of f.project.envExamples) {
    const complete = f.results.find((r) => r.ruleId === 'secrets/env-example-complete' && r.location.file === ex.path);
    const names = ex.names.map(code);
    devFacts.push(
      `${code(ex.path)} documents ${names.length ? list(names) : 'no variable'}${complete?.status === 'pass' ? ' (every variable compose requires)' : ''}`,
    );
  }
  const exFails = collapse(f.rule('secrets/env-example-complete').filter((r) => r.status === 'fail'));
  for (const x of exFails) devFacts.push(`**Example env file incomplete**: ${gist(x.r.message)} (\`${where(x.r)}\`)`);

  out.push('', '### Development Environment', '');
  out.push(...(devFacts.length ? devFacts.map((x) => `- ${x}`) : ['- No compose file: no development environment to describe']));
  out.push('', '### Production Environment', '');
  out.push(...(prodFacts.length ? prodFacts.map((x) => `- ${x}`) : ['- No compose file: no production configuration to describe']));

  // Images.
  const imgs = f.project.images;
  if (imgs.length) {
    const ns = coverage(imgs.map((i) => ({ name: i.name, results: f.of(['dockerfile/no-secrets'], [i.name]) })));
    const leak = coverage(imgs.map((i) => ({ name: i.name, results: f.of(['dockerfile/build-context-leak'], [i.name]) })));
    out.push('', '### In Images', '');
    if (ns.total) {
      out.push(
        ns.holds.length === ns.total
          ? `- No secrets in Dockerfile \`ENV\`/\`ARG\` or in copied files (${plural(ns.total, 'image')})`
          : `- **Secrets baked into** ${list(ns.fails.map(code))} (see [Open Gaps](#open-gaps))`,
      );
    }
    if (leak.total) {
      const dockerignores = evidences(imgs.flatMap((i) => f.of(['dockerfile/build-context-leak'], [i.name]))).filter((e) =>
        e.includes('.dockerignore'),
      );
      out.push(
        leak.holds.length === leak.total
          ? `- Build contexts do not leak secrets${dockerignores.length ? ` (${uniq(dockerignores).join('; ')})` : ''}`
          : `- **Build context leaks** in ${list(leak.fails.map(code))} (see [Open Gaps](#open-gaps))`,
      );
    }
  }
  return out.join('\n');
}

// ---- Logging

interface LogFacts {
  driver: string;
  size: string | null;
  files: string | null;
  compress: boolean;
  keys: string[];
}

/** Parses the prod/log-rotation evidence grammar: `json-file, max-size 20m, max-file 5, compress`. */
export function parseLogEvidence(e: string): LogFacts {
  const parts = e.split(', ');
  const out: LogFacts = { driver: parts[0].replace(/ \(.*\)$/, ''), size: null, files: null, compress: false, keys: [] };
  for (const p of parts.slice(1)) {
    if (p.startsWith('max-size ')) {
      out.size = p.slice(9);
      out.keys.push('max-size');
    } else if (p.startsWith('max-file ')) {
      out.files = p.slice(9);
      out.keys.push('max-file');
    } else if (p === 'compress') {
      out.compress = true;
      out.keys.push('compress');
    }
  }
  return out;
}

function loggingSection(f: Facts): string {
  const out = ['## Logging Configuration', ''];
  const svcs = f.prodServices();
  if (svcs.length === 0) {
    out.push('No compose file: logging drivers and rotation are set where the containers are run, outside this repository.');
    return out.join('\n');
  }
  const rows: string[][] = [];
  const missing: Finding[] = [];
  const drivers: string[] = [];
  for (const s of svcs) {
    const rs = f.of(['prod/log-rotation'], [s.target], s.env.name);
    if (rs.length === 0) continue;
    const st = statusOf(rs);
    if (st === 'pass') {
      const lf = parseLogEvidence(evidences(rs)[0] ?? '');
      drivers.push(lf.driver);
      rows.push([code(s.svc.name), lf.size ?? '—', lf.files ?? '—']);
    } else {
      missing.push(...collapse(rs.filter((r) => r.status !== 'pass')));
      rows.push([code(s.svc.name), `not rotated (${STATUS_WORD[st].toLowerCase()})`, '—']);
    }
  }
  const rotated = rows.length - missing.length;
  const d = uniq(drivers);
  const example = svcs.find((s) => statusOf(f.of(['prod/log-rotation'], [s.target], s.env.name)) === 'pass' && get(s.svc.node, 'logging'));
  const node = example ? get(example.svc.node, 'logging') : undefined;
  const lead =
    missing.length === 0
      ? `Production logging rotates on every service (${list(d.map(code))} driver)`
      : `Production logging rotates on ${rotated} of ${plural(rows.length, 'service')}`;
  out.push(example && node ? `${lead}; ${code(example.svc.name)} as configured:` : `${lead}.`);
  if (example && node) out.push('', '```yaml', ...yamlOf('logging', node), '```');
  out.push('', table(['Service', 'Max Size', 'Max Files'], rows));
  if (missing.length) {
    out.push('', 'Not rotated:', '', ...missing.map((m) => `- ${gist(m.r.message)} (\`${where(m.r)}\`)`));
  }
  return out.join('\n');
}

// ---- Waivers

function waiversSection(f: Facts): string {
  const out = ["## What We Don't Implement (and Why)", ''];
  const waived = f.results.filter((r) => r.status === 'waived');
  const groups = new Map<string, Result[]>();
  for (const r of waived) {
    const key = `${r.ruleId}\0${r.waiver?.reason ?? ''}\0${r.waiver?.expires ?? ''}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const rows: string[][] = [];
  for (const rs of [...groups.values()].sort((a, b) => compareStrings(a[0].ruleId, b[0].ruleId))) {
    const r = rs[0];
    const targets = uniq(rs.map((x) => x.target));
    const scope =
      targets.length <= 3 ? list(targets.map(code)) : `${targets.slice(0, 3).map(code).join(', ')} and ${targets.length - 3} more`;
    const src = r.waiver?.source ? baseName(r.waiver.source) : '';
    rows.push([
      f.title(r.ruleId),
      'Not implemented',
      `${r.waiver?.reason ?? 'no reason recorded'}${src && src !== 'seaworthy.yml' ? ` (${src})` : ''}`,
      r.waiver?.expires ?? 'no expiry',
      scope,
    ]);
  }
  const off = Object.entries(f.config?.rules ?? {})
    .filter(([, v]) => v === 'off')
    .map(([k]) => k)
    .sort(compareStrings);
  for (const id of off) rows.push([f.title(id), 'Turned off', 'turned off in the config, no reason recorded', '—', 'everywhere']);
  if (rows.length === 0)
    out.push('Nothing is waived: every practice seaworthy checks is either implemented or listed under [Open Gaps](#open-gaps).');
  else out.push(table(['Practice', 'Status', 'Rationale', 'Expires', 'Applies to'], rows));
  return out.join('\n');
}

// ---- Open gaps

function findingRow(x: Finding): string[] {
  const env = x.envs.length ? ` [${x.envs.join(', ')}]` : '';
  return [x.r.severity, `\`${where(x.r)}\``, `\`${x.r.ruleId}\`${env}`, x.r.message];
}

function gapsSection(f: Facts): string {
  const out = ['## Open Gaps', ''];
  const { gaps, advice, unknowns } = gapsOf(f);
  if (gaps.length === 0) out.push('No open gaps: every check at `low` severity or above passes or is waived.');
  else {
    const counts = SEVERITIES_DESC.filter((s) => s !== 'info')
      .map((s) => [s, gaps.filter((g) => g.r.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`);
    out.push(`${plural(gaps.length, 'gap')} (${counts.join(', ')}), most severe first. Each names the line to change and the fix.`, '');
    out.push(table(['Severity', 'Location', 'Rule', 'Finding and fix'], gaps.map(findingRow)));
  }
  if (advice.length) {
    out.push('', '### Advice (info)', '', 'Info-level findings are hardening advice, not gaps.', '');
    out.push(table(['Severity', 'Location', 'Rule', 'Finding and fix'], advice.map(findingRow)));
  }
  if (unknowns.length) {
    out.push('', '### Undecided', '', 'What seaworthy could not decide from the files (neither implemented nor missing):', '');
    out.push(
      table(
        ['Location', 'Rule', 'Why'],
        unknowns.map((x) => [`\`${where(x.r)}\``, `\`${x.r.ruleId}\`${x.envs.length ? ` [${x.envs.join(', ')}]` : ''}`, x.r.message]),
      ),
    );
  }
  const errs = [...f.report.errors].sort(
    (a, b) => compareStrings(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compareStrings(a.message, b.message),
  );
  if (errs.length) {
    out.push(
      '',
      '### Files That Could Not Be Analysed',
      '',
      ...errs.map((e) => `- ${e.file ? `\`${e.file}${e.line ? `:${e.line}` : ''}\`: ` : ''}${e.message}`),
    );
  }
  return out.join('\n');
}

// ---- Verification

function expectedUser(f: Facts, s: SvcRef): { cmd: string; expected: string } | null {
  const u = str(get(s.svc.node, 'user'));
  if (u && u !== '') {
    const name = u.split(':')[0];
    return /^\d+$/.test(name) ? { cmd: 'id -u', expected: name } : { cmd: 'whoami', expected: name };
  }
  const img = s.svc.imageModel;
  if (img) {
    const nr = f.of(['dockerfile/non-root-user'], [img.name]);
    if (statusOf(nr) !== 'pass' || img.user.user === null) return null;
    return /^\d+$/.test(img.user.user) ? { cmd: 'id -u', expected: img.user.user } : { cmd: 'whoami', expected: img.user.user };
  }
  const eu = imageDefaultUser(s.svc);
  if (eu?.isRoot === false && eu.user)
    return /^\d+$/.test(eu.user) ? { cmd: 'id -u', expected: eu.user } : { cmd: 'whoami', expected: eu.user };
  return null;
}

function verificationSection(f: Facts): string {
  const out = ['## Verification Commands'];
  const compose = f.project.compose;
  if (compose.length === 0) {
    out.push('', 'No compose file: run the images and check them by hand, e.g. `docker run --rm <image> whoami`.');
    return out.join('\n');
  }
  for (const c of compose) {
    const prod = f.prodEnv(c);
    const base = f.baseEnv(c);
    const env = prod ?? base;
    if (!env) continue;
    const files = prod && base && prod !== base ? prod.files.map((x) => `-f ${x.slice(c.dir ? c.dir.length + 1 : 0)}`).join(' ') : '';
    const dc = 'docker compose';
    const where = c.dir ? ` (from ${code(`${c.dir}/`)})` : '';
    if (compose.length > 1) out.push('', `### Project ${code(c.name)}`);
    const svcs = env.services.map((svc) => ({ compose: c, env, svc, target: serviceTarget(env, svc) }));
    const users: string[] = [];
    for (const s of svcs) {
      const e = expectedUser(f, s);
      users.push(`# ${titleOf(s.svc.name)}`);
      if (e) users.push(`${dc} exec ${s.svc.name} ${e.cmd}`, `# Expected: ${e.expected}`);
      else
        users.push(
          `${dc} exec ${s.svc.name} id -u`,
          '# Expected: not 0 (the user is not known from the repository, or the image runs as root — see Open Gaps)',
        );
      users.push('');
    }
    out.push('', `### Check non-root users${where}`, '');
    if (files) out.push(`Against the production configuration, add \`${files}\` after \`docker compose\`.`, '');
    out.push('```bash', ...users.slice(0, -1), '```');
    const healthy = env.services
      .filter((svc) => statusOf(f.of(['compose/healthcheck'], [serviceTarget(env, svc)], env.name)) === 'pass')
      .map((s) => s.name);
    out.push('', '### Check health status', '', '```bash', `${dc} ps --format "table {{.Name}}\\t{{.Status}}"`);
    if (healthy.length) out.push(`# Expected: "(healthy)" for ${list(healthy)}`);
    out.push('```');
    const built = env.services.filter((svc) => svc.build);
    if (built.length) {
      out.push('', '### Run vulnerability scan locally', '', '```bash', '# Using Trivy');
      for (const svc of built) out.push(`trivy image ${svc.image ?? `${c.name}-${svc.name}`}${svc.image ? '' : ':latest'}`);
      out.push('', '# Using Docker Scout');
      for (const svc of built) out.push(`docker scout cves ${svc.image ?? `${c.name}-${svc.name}`}${svc.image ? '' : ':latest'}`);
      out.push('```');
    }
    out.push(
      '',
      '### Verify the running system',
      '',
      '```bash',
      ...aligned([
        [
          `seaworthy verify${c.dir ? ` ${c.dir}` : ''}${compose.length > 1 ? ` --project ${c.name}` : ''}`,
          '# live checks through the Docker Engine API: users, PID 1, health, limits, log rotation',
        ],
        [
          `seaworthy report --verify${c.dir ? ` ${c.dir}` : ''}${compose.length > 1 ? ` --project ${c.name}` : ''}`,
          '# this document, with the live results',
        ],
      ]),
      '```',
    );
  }
  return out.join('\n');
}

/** Commands with their comments in one column. */
function aligned(lines: [string, string][]): string[] {
  const w = Math.max(...lines.map(([c]) => c.length));
  return lines.map(([c, comment]) => `${c.padEnd(w)}  ${comment}`);
}

function liveSection(v: ReportVerification): string {
  const out = ['## Live Verification', ''];
  out.push(`Checked on the running system on ${v.date}: **${liveWord(v)}**.`);
  if (v.error) out.push('', `The live checks could not all run: ${v.error}`);
  const rows = [...v.results]
    .sort(compareResults)
    .map((r) => [code(r.target), r.ruleId, STATUS_WORD[r.status], r.status === 'pass' ? (r.evidence ?? r.message) : r.message]);
  if (rows.length) out.push('', table(['Container', 'Check', 'Status', 'Evidence'], rows));
  else out.push('', 'No live result.');
  return out.join('\n');
}

function sourcesSection(f: Facts): string {
  const p = f.project;
  const files = [
    ...p.files.dockerfiles,
    ...p.files.compose,
    ...p.scripts.map((s) => s.path),
    ...p.files.workflows,
    ...p.files.configs,
  ].sort(compareStrings);
  return [
    '## Sources',
    '',
    `Generated by \`seaworthy report\` from ${plural(uniq(files).length, 'file')}: ${uniq(files).map(code).join(', ') || 'none'}.`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

/** The whole document. Deterministic: the same input gives the same bytes. */
export function renderMarkdownReport(input: MarkdownReportInput, options: MarkdownReportOptions): string {
  const f = new Facts(input.report, input.project, input.config);
  const sections = [
    header(f, options),
    overview(f),
    containers(f),
    composeSection(f),
    ciSection(f),
    secretsSection(f),
    loggingSection(f),
    waiversSection(f),
    gapsSection(f),
    ...(options.verification ? [liveSection(options.verification)] : []),
    verificationSection(f),
    sourcesSection(f),
  ];
  return `${sections.join('\n\n---\n\n')}\n`;
}

export type { Severity };
