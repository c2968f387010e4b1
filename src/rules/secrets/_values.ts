/**
 * Secret values a production environment would run with, shared by secrets/no-hardcoded and
 * secrets/weak-values. Values are collected to be judged, never to be printed: messages name the key
 * or variable only.
 *
 * Literal values (`kind: 'literal'`):
 * - `environment` and `build.args` entries whose key is secret-like (`isSecretName`) and whose value
 *   has no variable in it (`$$` is a literal dollar); flags such as `true`/`0` are not secrets, nor
 *   are file paths (`DATABASE_PASSWORD=/run/secrets/db-password`: the application reads the file;
 *   `isFilePath` in knowledge/secrets.ts says which values are paths);
 * - passwords written into URLs (`postgres://app:s3cret@db/app`) in any `environment`/`build.args`
 *   value, whatever the key;
 * - arguments of `command`, `entrypoint` and `healthcheck.test`: `--<secret-like option> value` and
 *   `--<option>=value` (plus redis' `--requirepass`/`--masterauth`), `redis-cli -a value`,
 *   mysql's attached `-pvalue`, `mongosh -p value`, `sqlcmd -P value` (or `-Pvalue`), `influx -t value`, `NAME=value` assignments with a secret-like name, and URL passwords.
 *   Values that look like paths (`--key /run/secrets/tls.key`) are files, not secrets; options that
 *   are switches (`--no-auth-warning`) take no value.
 *
 * Fallbacks (`kind: 'default'`): the default word of `${X:-word}`/`${X-word}` when X is secret-like,
 * when the use is the password of a URL, or when it is the whole value of a secret-like key; a word
 * that is itself a variable is not a value, and outside a URL a flag or a file path is not a secret
 * (`${ALLOW_EMPTY_PASSWORD:-yes}`, as the literal `ALLOW_EMPTY_PASSWORD: "yes"` is not: `isNotASecret`).
 */

import {
  clientPasswordFlag,
  findUrlCredentials,
  isLiteralValue,
  isNotASecret,
  isSecretName,
  nameWords,
  rememberAnswers,
} from '../../knowledge/secrets.js';
import type { Environment, Service } from '../../model/compose.js';
import { parseInterpolation } from '../../parse/interpolate.js';
import type { PNode, PScalar } from '../../parse/yaml.js';
import type { Location } from '../../types.js';
import { type ArgWord, commandWords, progName, scalarSpan, serviceCommands } from '../_argv.js';
import { nodeLoc, serviceVariables, sget } from '../_compose.js';

export interface SecretValue {
  /** The key, option or variable that holds the value (safe to print). */
  name: string;
  /** Where it is written, for messages: `environment`, `build.args`, `command`, `a URL in DATABASE_URL`, ... */
  where: string;
  kind: 'literal' | 'default';
  /** The value is the password of a `scheme://user:password@host` URL. */
  url?: boolean;
  /** The value itself: judge it, never print it. */
  value: string;
  location: Location;
}

const REDIS_SECRET_OPTIONS = new Set(['requirepass', 'masterauth', 'masterpass']);
const PATH_LIKE = /^(?:\.{0,2}\/|~\/|[A-Za-z]:[\\/])/;

function hasVariable(raw: string): boolean {
  // Every use and every interpolation error starts at a `$`.
  if (!raw.includes('$')) return false;
  const i = parseInterpolation(raw);
  return i.uses.length > 0 || i.errors.length > 0;
}

/** A literal secret value: no variable, not empty, not a flag. `$$` is compose's literal dollar. */
function literal(raw: string): string | null {
  if (hasVariable(raw)) return null;
  if (!isLiteralValue(raw)) return null;
  return raw.replace(/\$\$/g, '$');
}

function locKey(l: Location): string {
  return `${l.file}:${l.line}:${l.column}:${l.endLine}:${l.endColumn}`;
}

function urlPasswords(s: PScalar, raw: string, name: string, out: SecretValue[], base = 0, valueText = raw): void {
  for (const c of findUrlCredentials(valueText)) {
    if (c.password.includes('$') || c.password === '') continue;
    out.push({
      name,
      where: `the URL in \`${name}\``,
      kind: 'literal',
      url: true,
      value: c.password,
      location: scalarSpan(s, base + c.index, base + c.index + c.password.length),
    });
  }
}

function mapValues(m: PNode | undefined, where: string, out: SecretValue[]): void {
  if (m?.kind !== 'map') return;
  for (const e of m.entries) {
    if (e.value.kind !== 'scalar' || e.value.value === null) continue;
    const raw = String(e.value.value);
    const lit = isSecretName(e.key) ? literal(raw) : null;
    if (lit !== null) {
      out.push({ name: e.key, where: `\`${where}\``, kind: 'literal', value: lit, location: nodeLoc(e.value) });
      continue;
    }
    urlPasswords(e.value, raw, e.key, out);
  }
}

/** Whether an option name (without dashes) names a secret and takes a value. */
const secretOption = rememberAnswers((opt) => judgeSecretOption(opt));

function judgeSecretOption(opt: string): boolean {
  if (REDIS_SECRET_OPTIONS.has(opt.toLowerCase())) return true;
  const words = nameWords(opt);
  if (words[0] === 'no' || words[0] === 'skip' || words[0] === 'disable' || words[0] === 'enable') return false;
  return isSecretName(opt);
}

/** Part of a word after `from` characters of its value, as a located value (positions follow the raw text). */
function tail(w: ArgWord, from: number): { value: string; location: Location } {
  const raw = String(w.scalar.value).slice(w.start, w.end);
  const quoted = raw.length > 0 && (raw[0] === '"' || raw[0] === "'") ? 1 : 0;
  const start = w.start + quoted + from;
  const end = Math.max(start, w.end - quoted);
  return { value: w.value.slice(from), location: scalarSpan(w.scalar, start, end) };
}

function argValues(words: ArgWord[], where: string, out: SecretValue[]): void {
  const prog = progName(words[0]);
  const client = clientPasswordFlag(prog);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const v = w.value;
    const add = (name: string, value: string, location: Location) => {
      // In a command, `$$X` is compose's escape for the shell's `$X`: a value read at run time.
      if (value.includes('$')) return;
      const lit = literal(value);
      if (lit !== null && !PATH_LIKE.test(lit)) out.push({ name, where: `\`${where}\``, kind: 'literal', value: lit, location });
    };
    let m = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/s.exec(v);
    if (m && secretOption(m[1])) {
      const t = tail(w, v.indexOf('=') + 1);
      add(`--${m[1].replace(/^-/, '')}`, t.value, t.location);
      continue;
    }
    m = /^--([A-Za-z][A-Za-z0-9_.-]*)$/.exec(v);
    if (m && secretOption(m[1]) && words[i + 1] && !words[i + 1].value.startsWith('-')) {
      add(`--${m[1]}`, words[i + 1].value, words[i + 1].location);
      i++;
      continue;
    }
    // A client's password flag (knowledge: CLIENT_PASSWORD_FLAGS): `redis-cli -a x`, `mongosh -p x`, `mysql -px`, `sqlcmd -Px`.
    if (client?.next && v === client.flag && words[i + 1] && !words[i + 1].value.startsWith('-')) {
      add(`${prog} ${client.flag}`, words[i + 1].value, words[i + 1].location);
      i++;
      continue;
    }
    if (client?.attached && v.length > client.flag.length && v.startsWith(client.flag)) {
      const t = tail(w, client.flag.length);
      add(`${prog} ${client.flag}`, t.value, t.location);
      continue;
    }
    m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(v);
    if (m && isSecretName(m[1])) {
      const t = tail(w, m[1].length + 1);
      add(m[1], t.value, t.location);
      continue;
    }
    if (v.includes('://')) {
      for (const c of findUrlCredentials(v)) {
        if (c.password.includes('$') || c.password === '') continue;
        const t = tail(w, c.index);
        out.push({
          name: 'URL',
          where: `\`${where}\``,
          kind: 'literal',
          url: true,
          value: c.password,
          location: { ...t.location, endColumn: t.location.column + c.password.length, endLine: t.location.line },
        });
      }
    }
  }
}

// secrets/no-hardcoded and secrets/weak-values both read every production service's literal secrets:
// computed once per (immutable) service; callers only read the list.
const literalsOf = new WeakMap<Service, SecretValue[]>();

/** Literal secret values in a service of a merged environment. */
export function literalSecrets(svc: Service): SecretValue[] {
  let found = literalsOf.get(svc);
  if (found === undefined) {
    found = findLiteralSecrets(svc);
    literalsOf.set(svc, found);
  }
  return found;
}

function findLiteralSecrets(svc: Service): SecretValue[] {
  const out: SecretValue[] = [];
  mapValues(sget(svc, 'environment'), 'environment', out);
  mapValues(sget(svc, 'build', 'args'), 'build.args', out);
  for (const { key, words } of serviceCommands(svc.node)) argValues(words, key, out);
  for (const words of commandWords(sget(svc, 'healthcheck', 'test'), 'healthcheck')) argValues(words, 'healthcheck.test', out);
  return dedupe(out);
}

/** Literal fallbacks of secret variables used by a service (`${REDIS_PASSWORD:-dev_only_password}`). */
export function defaultSecrets(env: Environment, svc: Service): SecretValue[] {
  const out: SecretValue[] = [];
  for (const ref of serviceVariables(env, svc.name)) {
    const u = ref.use;
    if (!u.hasDefault || u.word === null || u.word.includes('$')) continue;
    const raw = String(ref.scalar.value ?? '');
    const key = ref.path[ref.path.length - 1] ?? '';
    const inUrl = findUrlCredentials(raw).some((c) => c.index === u.start);
    if (!inUrl && isNotASecret(u.word)) continue;
    const wholeValueOfSecretKey = u.depth === 0 && u.start === 0 && u.end === raw.length && isSecretName(key);
    if (!isSecretName(u.name) && !inUrl && !wholeValueOfSecretKey) continue;
    const start = u.start + 2 + u.name.length + u.op.length;
    out.push({
      name: u.name,
      url: inUrl || undefined,
      where: `the fallback of \`\${${u.name}${u.op}…}\``,
      kind: 'default',
      value: u.word,
      location: scalarSpan(ref.scalar, start, u.end - 1),
    });
  }
  return dedupe(out);
}

function dedupe(list: SecretValue[]): SecretValue[] {
  const seen = new Set<string>();
  return list.filter((v) => {
    const k = locKey(v.location);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export { locKey };
