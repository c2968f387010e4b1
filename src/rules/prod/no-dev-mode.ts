import { posix } from 'node:path';
import { splitVolume } from '../../compose/merge.js';
import type { Environment, Service } from '../../model/compose.js';
import { parseInterpolation } from '../../parse/interpolate.js';
import { get, type PNode, type PScalar, str } from '../../parse/yaml.js';
import type { Location, RawResult, Rule } from '../../types.js';
import { type ArgWord, progName, serviceCommands, spanWords } from '../_argv.js';
import { prodAbsenceLoc, items, nodeLoc, services, sget } from '../_compose.js';
import { sharedFails } from '../_shared-lines.js';
import { fail, pass } from '../_util.js';

/**
 * prod/no-dev-mode: development settings that reach the production environment.
 *
 * - environment: `DEBUG` or `*_DEBUG` (`FLASK_DEBUG`, `DJANGO_DEBUG`, `APP_DEBUG`) set to
 *   `1/true/yes/on`; `NODE_ENV`, `FLASK_ENV`, `APP_ENV`, `RAILS_ENV`, `RACK_ENV`, `ENVIRONMENT`,
 *   `ASPNETCORE_ENVIRONMENT`, ... set to `dev/development/local/debug`. A value that only falls back
 *   to such a setting (`${NODE_ENV:-development}`) counts: it is what production runs when the
 *   variable is not set. `${X}` without a default is not judged.
 * - command/entrypoint: auto-reload and dev servers (`--reload`, `next dev`, `npm run dev`, `yarn dev`,
 *   `nodemon`, `flask run --debug`, `manage.py runserver`, `ng serve`, `vite` dev server, `node --watch`,
 *   the Node.js inspector `--inspect`, `debugpy`, `dotnet watch`, `php artisan serve`).
 * - `build.target` naming a development stage (`dev`, `development`, `debug`, `*-dev`).
 * - bind mounts of source code over the image: the project folder (`.`), a service's build context,
 *   or a folder inside a build context that holds source files (judged from the context's file
 *   listing). Single files (an `nginx.conf`), folders without source code (`./data`) and mounts
 *   into configuration folders (`/etc/...`, `/config`, `/docker-entrypoint-initdb.d`) are not
 *   development settings.
 *
 * A line shared by several services (an anchor) is reported once, naming the others.
 *
 * Each finding points at the value to change. Evidence of a pass: "no development settings".
 */

const TRUTHY = /^(?:1|true|yes|on)$/i;
const DEV_VALUE = /^(?:dev|develop|development|local|debug)$/i;
const ENV_NAMES = new Set([
  'NODE_ENV',
  'FLASK_ENV',
  'APP_ENV',
  'APP_ENVIRONMENT',
  'ENVIRONMENT',
  'ENV',
  'RAILS_ENV',
  'RACK_ENV',
  'MIX_ENV',
  'GO_ENV',
  'ASPNETCORE_ENVIRONMENT',
  'DOTNET_ENVIRONMENT',
  'SYMFONY_ENV',
  'APP_MODE',
]);
const DEV_TARGET = /(?:^|[-_.])(?:dev|develop|development|debug)(?:$|[-_.])/i;
const DEV_SCRIPTS = /^(?:dev|develop|start:dev|dev:.+|serve|watch)$/;
/** Mount targets that receive configuration, not the application's code. */
const CONFIG_TARGET = /^\/(?:etc|usr\/local\/etc|config|conf|run|var\/run|tmp|docker-entrypoint[^/]*)(?:\/|$)/;
const SOURCE_EXT = /\.(?:py|js|mjs|cjs|jsx|ts|tsx|go|rb|php|java|kt|kts|scala|rs|ex|exs|cs|fs|vue|svelte|pl|lua|dart|swift|clj)$/i;

interface Finding {
  loc: Location;
  message: string;
}

/** The value a scalar gives in production: itself, or the literal default of a lone `${X:-d}`. */
function effective(s: PScalar): { value: string; fallback: boolean } | null {
  if (s.value === null) return null;
  const raw = String(s.value);
  if (!raw.includes('$')) return { value: raw, fallback: false };
  const { uses, errors } = parseInterpolation(raw);
  const top = uses.filter((u) => u.depth === 0);
  if (errors.length || top.length !== 1 || top[0].start !== 0 || top[0].end !== raw.length) return null;
  const u = top[0];
  if (!u.hasDefault || u.word === null || u.word.includes('$')) return null;
  return { value: u.word, fallback: true };
}

function envFindings(svc: Service): Finding[] {
  const out: Finding[] = [];
  const env = sget(svc, 'environment');
  if (env?.kind !== 'map') return out;
  for (const e of env.entries) {
    if (e.value.kind !== 'scalar') continue;
    const eff = effective(e.value);
    if (!eff) continue;
    const name = e.key;
    const upper = name.toUpperCase();
    let what: string | null = null;
    if ((upper === 'DEBUG' || upper.endsWith('_DEBUG')) && TRUTHY.test(eff.value.trim())) what = 'turns debug mode on';
    else if (ENV_NAMES.has(upper) && DEV_VALUE.test(eff.value.trim())) what = 'selects the development configuration';
    if (!what) continue;
    const how = eff.fallback
      ? `falls back to \`${name}=${eff.value}\` when the variable is unset, which ${what}`
      : `\`${name}=${eff.value}\` ${what}`;
    out.push({
      loc: nodeLoc(e.value),
      message: `In ${svc.environment}, service \`${svc.name}\`: ${how} (verbose errors, debug endpoints, unoptimised code); set the production value in the production compose file.`,
    });
  }
  return out;
}

/** A development server or auto-reload in one command: the words to point at and what they are. */
function devCommand(words: ArgWord[]): { from: ArgWord; to: ArgWord; what: string } | null {
  const v = words.map((w) => w.value);
  const prog = words.map((w) => progName(w));
  for (let i = 0; i < words.length; i++) {
    const w = v[i];
    const p = prog[i];
    if (/^--reload(?:$|=|-)/.test(w)) return { from: words[i], to: words[i], what: 'auto-reload (`--reload`)' };
    if (/^--inspect(?:-brk)?(?:$|=)/.test(w))
      return { from: words[i], to: words[i], what: 'the Node.js inspector (remote code execution for anyone who reaches its port)' };
    if (p === 'node' && v[i + 1] === '--watch')
      return { from: words[i], to: words[i + 1], what: '`node --watch` (restarts on file changes)' };
    if (p === 'next' && v[i + 1] === 'dev')
      return { from: words[i], to: words[i + 1], what: 'the Next.js development server (`next dev`)' };
    if ((p === 'npm' || p === 'yarn' || p === 'pnpm' || p === 'bun') && i + 1 < v.length) {
      const j = v[i + 1] === 'run' || v[i + 1] === 'run-script' ? i + 2 : i + 1;
      if (j < v.length && DEV_SCRIPTS.test(v[j]) && (j === i + 2 || p !== 'npm')) {
        return { from: words[i], to: words[j], what: `a development script (\`${v.slice(i, j + 1).join(' ')}\`)` };
      }
    }
    if (p === 'nodemon' || p === 'ts-node-dev' || p === 'tsnd' || p === 'webpack-dev-server')
      return { from: words[i], to: words[i], what: `\`${p}\` (a development file watcher)` };
    if (p === 'tsx' && v[i + 1] === 'watch') return { from: words[i], to: words[i + 1], what: '`tsx watch`' };
    if (p === 'ng' && v[i + 1] === 'serve')
      return { from: words[i], to: words[i + 1], what: 'the Angular development server (`ng serve`)' };
    if (p === 'vite' && (i + 1 === v.length || v[i + 1] === 'dev' || v[i + 1] === 'serve' || v[i + 1].startsWith('-'))) {
      return { from: words[i], to: words[i], what: 'the Vite development server' };
    }
    if ((p === 'manage.py' || p === 'django-admin') && v[i + 1] === 'runserver')
      return { from: words[i], to: words[i + 1], what: "Django's development server (`runserver`)" };
    if (p === 'flask' && v.slice(i + 1).some((x) => x === '--debug' || x === '--debugger')) {
      const k = v.findIndex((x, n) => n > i && (x === '--debug' || x === '--debugger'));
      return { from: words[i], to: words[k], what: 'the Flask debugger' };
    }
    if (p === 'debugpy' || (w === '-m' && v[i + 1] === 'debugpy')) return { from: words[i], to: words[i], what: 'the debugpy debugger' };
    if (p === 'dotnet' && v[i + 1] === 'watch') return { from: words[i], to: words[i + 1], what: '`dotnet watch`' };
    if (p === 'artisan' && v[i + 1] === 'serve')
      return { from: words[i], to: words[i + 1], what: "Laravel's development server (`artisan serve`)" };
  }
  return null;
}

function commandFindings(svc: Service): Finding[] {
  const out: Finding[] = [];
  for (const { key, words } of serviceCommands(svc.node)) {
    const hit = devCommand(words);
    if (!hit) continue;
    out.push({
      loc: spanWords(hit.from, hit.to),
      message: `In ${svc.environment}, the \`${key}\` of service \`${svc.name}\` runs ${hit.what}, a development mode that is slower, leaks internals in errors and watches files it should not; run the production server in the production compose file.`,
    });
  }
  return out;
}

function targetFindings(svc: Service): Finding[] {
  const t = sget(svc, 'build', 'target');
  const v = str(t);
  if (!t || !v || !DEV_TARGET.test(v)) return [];
  return [
    {
      loc: nodeLoc(t),
      message: `In ${svc.environment}, service \`${svc.name}\` builds the \`${v}\` stage, a development image (dev dependencies, dev server, debug tools); build the production stage in the production compose file.`,
    },
  ];
}

/** Build contexts of the environment's services: context dir (relative to the root) → its file listing. */
function contextsOf(env: Environment): Map<string, string[] | null> {
  const m = new Map<string, string[] | null>();
  for (const s of env.services) {
    const c = s.build?.context;
    if (c === null || c === undefined) continue;
    const files = s.imageModel?.context.files ?? null;
    if (!m.has(c) || (m.get(c) === null && files)) m.set(c, files);
  }
  return m;
}

function bindSource(item: PNode): { source: string; target: string | null; node: PNode } | null {
  if (item.kind === 'scalar' && item.value !== null) {
    const parts = splitVolume(String(item.value));
    if (parts.length < 2) return null;
    return { source: parts[0], target: parts[1], node: item };
  }
  if (item.kind === 'map') {
    const type = str(get(item, 'type'));
    const src = get(item, 'source');
    const s = str(src);
    if ((type !== undefined && type !== 'bind') || !s || !src) return null;
    return { source: s, target: str(get(item, 'target')) ?? null, node: src };
  }
  return null;
}

function mountFindings(env: Environment, svc: Service, contexts: Map<string, string[] | null>): Finding[] {
  const out: Finding[] = [];
  for (const item of items(sget(svc, 'volumes'))) {
    const b = bindSource(item);
    if (!b || b.source.includes('$') || !/^\.\.?(?:\/|$)/.test(b.source)) continue;
    if (b.target && CONFIG_TARGET.test(b.target)) continue;
    const abs = posix.normalize(posix.join(env.dir || '.', b.source)).replace(/\/+$/, '');
    const path = abs === '.' ? '' : abs;
    if (path.startsWith('..')) continue;
    let what: string | null = null;
    if (path === env.dir) what = 'the project folder';
    for (const [ctx, files] of contexts) {
      if (what) break;
      if (path === ctx) what = 'a build context';
      else if (ctx === '' || path.startsWith(`${ctx}/`)) {
        const rel = ctx === '' ? path : path.slice(ctx.length + 1);
        if (files?.some((f) => f.startsWith(`${rel}/`) && SOURCE_EXT.test(f))) what = 'source code from a build context';
      }
    }
    if (!what) continue;
    out.push({
      loc: nodeLoc(b.node),
      message: `In ${env.name}, service \`${svc.name}\` bind-mounts ${what} (\`${b.source}\`)${b.target ? ` over \`${b.target}\`` : ''}, so production runs whatever is in the host's checkout instead of the built image; remove the mount from the production configuration (move it to \`docker-compose.override.yml\`).`,
    });
  }
  return out;
}

const rule: Rule = {
  meta: {
    id: 'prod/no-dev-mode',
    title: 'No development settings in production',
    severity: 'medium',
    family: 'prod',
    target: 'service',
    env: 'prod',
    aliases: [],
    rationale:
      'Development settings are convenient locally and harmful in production: debug modes print stack traces, settings and ' +
      'sometimes an interactive console to anyone who triggers an error (the Werkzeug debugger is remote code execution), ' +
      'development servers are single-threaded and unhardened, auto-reload watches the file system, and a bind mount of the source ' +
      'tree runs whatever is checked out on the host instead of the image that was built, scanned and tested. Because overlays merge, ' +
      'a development value in the base file reaches production unless the production overlay replaces it.',
    fix: 'Keep development settings in `docker-compose.override.yml` (or replace them in the production overlay): production values for `DEBUG`/`NODE_ENV`, the production server command, and no source bind mounts.',
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content:
          'services:\n  web:\n    image: node:22-alpine\n    environment:\n      NODE_ENV: development\n    command: ["npm", "run", "dev"]\n',
      },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  web:\n    image: node:22-alpine\n    environment:\n      NODE_ENV: production\n    command: ["node", "server.js"]\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    const fails = sharedFails(out);
    const ctxCache = new Map<Environment, Map<string, string[] | null>>();
    for (const { env, svc, target } of services(project, true)) {
      let contexts = ctxCache.get(env);
      if (!contexts) {
        contexts = contextsOf(env);
        ctxCache.set(env, contexts);
      }
      const findings = [...envFindings(svc), ...commandFindings(svc), ...targetFindings(svc), ...mountFindings(env, svc, contexts)];
      if (findings.length === 0) {
        out.push({ ...pass(target, prodAbsenceLoc(env, svc), 'no development settings', 'no development settings'), environment: env.name });
        continue;
      }
      for (const f of findings) fails.add({ ...fail(target, f.loc, f.message), environment: env.name }, svc.name);
    }
    fails.finish();
    return out;
  },
};

export default rule;
