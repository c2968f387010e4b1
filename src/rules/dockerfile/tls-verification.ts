import type { Range } from '../../model/dockerfile.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';
import { type Call, calls, longOpt, type OptSpec, pkgCall, positionals, shellCScripts, tokens } from './_commands.js';

interface Finding {
  range: Range;
  /** What was found, e.g. "`curl -k`". */
  what: string;
  /** What it turns off. */
  effect: string;
  fix: string;
}

const MITM = 'so anyone on the network path (a proxy, a hijacked DNS answer) can serve the build whatever they like';
const CA_FIX =
  'Remove it and trust the server properly: add its CA certificate to the image (COPY it to /usr/local/share/ca-certificates and run `update-ca-certificates`) or point the tool at it.';
const SIG_FIX = "Remove it and import the repository's signing key instead.";

const CURL_SHORT_VALUE = 'AbcCdDEeFHKmoPQrTtuUwXxYyz';
const CURL_LONG_VALUE = new Set([
  '--output',
  '--header',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-urlencode',
  '--user',
  '--user-agent',
  '--request',
  '--proxy',
  '--cacert',
  '--capath',
  '--cert',
  '--key',
  '--config',
  '--url',
  '--connect-timeout',
  '--max-time',
  '--retry',
  '--retry-delay',
  '--retry-max-time',
  '--write-out',
  '--referer',
  '--form',
  '--cookie',
  '--cookie-jar',
  '--range',
  '--upload-file',
  '--output-dir',
  '--resolve',
  '--connect-to',
  '--limit-rate',
  '--proto',
  '--proto-redir',
  '--ciphers',
  '--interface',
  '--dump-header',
  '--continue-at',
  '--max-filesize',
  '--oauth2-bearer',
  '--proxy-user',
]);
const OFF = /^(false|0|no|off)$/i;
const ON = /^(true|1|yes|on)$/i;
const APT_INSECURE =
  /^(Acquire::https?(::[^=]+)?::Verify-(Peer|Host)=(false|0|no|off)|(APT::Get::AllowUnauthenticated|Acquire::AllowInsecureRepositories|Acquire::AllowDowngradeToInsecureRepositories|APT::Get::force-yes)=(true|1|yes|on))$/i;
const RPM_SETOPT = /(^|\.)(sslverify|gpgcheck|repo_gpgcheck|localpkg_gpgcheck)=(0|false|no|off)$/i;

/** Config text written by `echo`/`printf` that turns checks off (apt sources and conf, yum repos, rc files). */
const CONFIG_TEXT: { re: RegExp; what: string; effect: string; fix: string; redirect?: RegExp }[] = [
  {
    re: /\[[^\]]*\b(trusted|allow-insecure)=yes\b[^\]]*\]/,
    what: '`[trusted=yes]` apt source',
    effect: 'apt installs unsigned packages from it',
    fix: "Use `[signed-by=/usr/share/keyrings/<key>.gpg]` with the repository's key.",
  },
  {
    re: /Verify-(Peer|Host)\s*"?(false|0|no|off)/i,
    what: '`Acquire::https::Verify-Peer "false"`',
    effect: `apt skips TLS certificate checks, ${MITM}`,
    fix: CA_FIX,
  },
  {
    re: /(AllowUnauthenticated|AllowInsecureRepositories)\s*"?(true|1|yes|on)/i,
    what: 'apt `AllowUnauthenticated`',
    effect: 'apt installs unsigned packages',
    fix: SIG_FIX,
  },
  {
    re: /(^|[\s;]|\\n)(repo_|localpkg_)?gpgcheck\s*=\s*0(?![0-9])/,
    what: '`gpgcheck=0` repository',
    effect: 'yum/dnf install unsigned packages from it',
    fix: "Set `gpgcheck=1` with the repository's `gpgkey=`.",
  },
  {
    re: /(^|[\s;]|\\n)sslverify\s*=\s*(0|false|no)\b/i,
    what: '`sslverify=0` repository',
    effect: `yum/dnf skip TLS certificate checks, ${MITM}`,
    fix: CA_FIX,
  },
  {
    re: /check_certificate\s*=\s*off/i,
    what: '`check_certificate = off` in wgetrc',
    effect: `wget skips TLS certificate checks, ${MITM}`,
    fix: CA_FIX,
  },
  { re: /strict-ssl\s*=\s*false/i, what: '`strict-ssl=false` in .npmrc', effect: `npm accepts any TLS certificate, ${MITM}`, fix: CA_FIX },
  {
    re: /(^|[\s;]|\\n)trusted-host\s*=/,
    what: '`trusted-host` in pip.conf',
    effect: `pip skips TLS certificate checks for those hosts, ${MITM}`,
    fix: CA_FIX,
  },
  {
    re: /^(-k|--insecure|insecure)$/,
    what: '`insecure` in .curlrc',
    effect: `every curl call skips TLS certificate checks, ${MITM}`,
    fix: CA_FIX,
    redirect: /\.curlrc$/,
  },
];

/** Environment variables that turn checks off, with the values that do. */
function insecureEnv(name: string, value: string): { effect: string } | null {
  switch (name) {
    case 'NODE_TLS_REJECT_UNAUTHORIZED':
      return value === '0' ? { effect: `Node.js (npm, yarn, the app) accepts any TLS certificate, ${MITM}` } : null;
    case 'PYTHONHTTPSVERIFY':
      return value === '0' ? { effect: `Python skips HTTPS certificate checks, ${MITM}` } : null;
    case 'GIT_SSL_NO_VERIFY':
      return { effect: `git skips TLS certificate checks whenever the variable is set, whatever its value, ${MITM}` };
    case 'PIP_TRUSTED_HOST':
      return value.trim() ? { effect: `pip skips TLS certificate checks for those hosts, ${MITM}` } : null;
    case 'UV_INSECURE_HOST':
      return value.trim() ? { effect: `uv skips TLS certificate checks for those hosts, ${MITM}` } : null;
    case 'GOINSECURE':
      return value.trim() ? { effect: `go fetches those modules without TLS verification, ${MITM}` } : null;
    case 'GOSUMDB':
      return value === 'off' ? { effect: 'go no longer checks downloaded modules against the checksum database' } : null;
    case 'YARN_ENABLE_STRICT_SSL':
      return OFF.test(value) ? { effect: `yarn accepts any TLS certificate, ${MITM}` } : null;
  }
  if (name.toLowerCase() === 'npm_config_strict_ssl')
    return OFF.test(value) ? { effect: `npm accepts any TLS certificate, ${MITM}` } : null;
  return null;
}

function envFinding(name: string, value: string, range: Range): Finding | null {
  const e = insecureEnv(name, value);
  return e
    ? {
        range,
        what: `\`${name}=${value}\``,
        effect: e.effect,
        fix: 'Remove it; trust a private CA by adding its certificate to the image instead.',
      }
    : null;
}

const APT_OPTS: OptSpec = { shortValue: 'oct', longValue: new Set(['--option', '--config-file', '--target-release']) };
const RPM_OPTS: OptSpec = { longValue: new Set(['--setopt']) };
const GIT_VALUE: ReadonlySet<string> = new Set(['-c', '-C', '--file', '-f', '--type']);

function add(out: Finding[], range: Range, what: string, effect: string, fix: string): void {
  out.push({ range, what, effect, fix });
}

/** Findings in one command, appended to `out` (called for every command: no closures per call). */
function commandFindings(c: Call, all: Call[], out: Finding[]): void {
  for (const e of c.env) {
    const f = envFinding(e.name, e.value, e.range);
    if (f) out.push(f);
  }
  const n = c.name;
  if (n === 'curl') {
    for (const t of tokens(c.args, { shortValue: CURL_SHORT_VALUE, longValue: CURL_LONG_VALUE })) {
      if (t.kind === 'short' && t.letter === 'k')
        add(out, t.word.range, `\`curl ${t.word.value}\` (\`-k\`)`, `curl skips TLS certificate checks, ${MITM}`, CA_FIX);
      if (t.kind === 'long' && (t.name === '--insecure' || t.name === '--proxy-insecure' || t.name === '--doh-insecure')) {
        add(out, t.word.range, `\`curl ${t.name}\``, `curl skips TLS certificate checks, ${MITM}`, CA_FIX);
      }
    }
  } else if (n === 'wget') {
    const w =
      longOpt(c.args, '--no-check-certificate') ?? c.args.find((a) => /^--check-certificate=(off|no|quiet|0|false)$/i.test(a.value));
    if (w) add(out, w.range, `\`wget ${w.value}\``, `wget skips TLS certificate checks, ${MITM}`, CA_FIX);
  } else if (n === 'git') {
    for (const t of tokens(c.args, { shortValue: 'cC' })) {
      if (t.kind === 'short' && t.letter === 'c' && t.valueWord && t.value && /^http\.(.+\.)?sslverify=(false|0|no|off)$/i.test(t.value)) {
        add(out, t.valueWord.range, `\`git -c ${t.value}\``, `git skips TLS certificate checks, ${MITM}`, CA_FIX);
      }
    }
    const pos = positionals(c.args, GIT_VALUE).map((w) => w.value);
    const k = pos.findIndex((v) => /^http\.(.+\.)?sslverify$/i.test(v));
    if (pos[0] === 'config' && k > 0 && OFF.test(pos[k + 1] ?? ''))
      add(out, c.cmd.range, `\`git config ${pos[k]} ${pos[k + 1]}\``, `git skips TLS certificate checks, ${MITM}`, CA_FIX);
  } else if (n === 'apk') {
    const w = longOpt(c.args, '--allow-untrusted');
    if (w) add(out, w.range, '`apk --allow-untrusted`', 'apk installs packages whose signature it cannot check', SIG_FIX);
  } else if (n === 'rpm') {
    const w = longOpt(c.args, '--nosignature', '--nodigest');
    if (w) add(out, w.range, `\`rpm ${w.value}\``, 'rpm installs the package without checking its signature or digest', SIG_FIX);
  } else if (n === 'zypper') {
    const w = longOpt(c.args, '--no-gpg-checks');
    if (w) add(out, w.range, '`zypper --no-gpg-checks`', 'zypper installs packages without checking their signature', SIG_FIX);
  } else if (n === 'echo' || n === 'printf') {
    for (const a of c.args) {
      const hit = CONFIG_TEXT.find(
        (x) => x.re.test(a.value) && (!x.redirect || c.cmd.redirects.some((r) => x.redirect?.test(r)) || pipesToTee(c, all, x.redirect)),
      );
      if (hit) add(out, a.range, hit.what, hit.effect, hit.fix);
    }
  }
  const p = pkgCall(c);
  if (!p) return;
  if (p.tool === 'apt') {
    const w = longOpt(p.args, '--allow-unauthenticated', '--force-yes', '--allow-insecure-repositories');
    if (w) add(out, w.range, `\`${p.program} ${w.value}\``, 'apt installs packages whose signature it cannot check', SIG_FIX);
    for (const t of tokens(p.args, APT_OPTS)) {
      const isOpt = (t.kind === 'short' && t.letter === 'o') || (t.kind === 'long' && t.name === '--option');
      if (isOpt && t.value && t.valueWord && APT_INSECURE.test(t.value)) {
        const tls = /Verify-(Peer|Host)/i.test(t.value);
        add(
          out,
          t.valueWord.range,
          `\`-o ${t.value}\``,
          tls ? `apt skips TLS certificate checks, ${MITM}` : 'apt installs packages whose signature it cannot check',
          tls ? CA_FIX : SIG_FIX,
        );
      }
    }
  } else if (p.tool === 'rpm') {
    const w = longOpt(p.args, '--nogpgcheck', '--no-gpgchecks');
    if (w) add(out, w.range, `\`${p.program} ${w.value}\``, `${p.program} installs packages without checking their signature`, SIG_FIX);
    for (const t of tokens(p.args, RPM_OPTS)) {
      if (t.kind === 'long' && t.name === '--setopt' && t.value && t.valueWord && RPM_SETOPT.test(t.value)) {
        const tls = /sslverify/i.test(t.value);
        add(
          out,
          t.valueWord.range,
          `\`--setopt=${t.value}\``,
          tls ? `${p.program} skips TLS certificate checks, ${MITM}` : `${p.program} installs packages without checking their signature`,
          tls ? CA_FIX : SIG_FIX,
        );
      }
    }
  } else if (p.tool === 'pip' || p.tool === 'uv') {
    const w = longOpt(p.args, '--trusted-host', ...(p.tool === 'uv' ? ['--allow-insecure-host'] : []));
    if (w)
      add(
        out,
        w.range,
        `\`${p.program} ${w.value.split('=')[0]}\``,
        `${p.tool} skips TLS certificate checks for that host, ${MITM}`,
        CA_FIX,
      );
    const pos = positionals(p.args).map((a) => a.value);
    if (p.tool === 'pip' && pos[0] === 'config' && pos[1] === 'set' && /(^|\.)trusted-host$/.test(pos[2] ?? '')) {
      add(out, c.cmd.range, `\`${p.program} config set ${pos[2]}\``, `pip skips TLS certificate checks for that host, ${MITM}`, CA_FIX);
    }
  } else if (p.tool === 'npm' || p.tool === 'yarn' || p.tool === 'pnpm') {
    const w = longOpt(p.args, '--no-strict-ssl') ?? p.args.find((a) => /^--strict-ssl=(false|0|no)$/i.test(a.value));
    if (w) add(out, w.range, `\`${p.program} ${w.value}\``, `${p.program} accepts any TLS certificate, ${MITM}`, CA_FIX);
    const pos = positionals(p.args).map((a) => a.value);
    const setAt = pos[0] === 'config' && pos[1] === 'set' ? 2 : pos[0] === 'set' ? 1 : -1;
    if (setAt > 0) {
      const m = /^(strict-ssl|strict_ssl|enableStrictSsl)(?:=(.*))?$/i.exec(pos[setAt] ?? '');
      const value = m ? (m[2] ?? pos[setAt + 1] ?? '') : '';
      if (m && OFF.test(value))
        add(out, c.cmd.range, `\`${p.program} config set ${m[1]} ${value}\``, `${p.program} accepts any TLS certificate, ${MITM}`, CA_FIX);
    }
  } else if (p.tool === 'composer') {
    const pos = positionals(p.args).map((a) => a.value);
    if (
      pos[0] === 'config' &&
      ((pos[1] === 'disable-tls' && ON.test(pos[2] ?? '')) || (pos[1] === 'secure-http' && OFF.test(pos[2] ?? '')))
    ) {
      add(out, c.cmd.range, `\`composer config ${pos[1]} ${pos[2]}\``, `composer downloads packages without TLS, ${MITM}`, CA_FIX);
    }
  } else if (p.tool === 'go') {
    const w = c.args.find((a) => a.value === '-insecure');
    if (w) add(out, w.range, '`go get -insecure`', `go fetches modules without TLS verification, ${MITM}`, CA_FIX);
  }
}

function pipesToTee(c: Call, all: Call[], target: RegExp | undefined): boolean {
  if (!target || c.cmd.pipeline === null) return false;
  return all.some((o) => o.cmd.pipeline === c.cmd.pipeline && o.name === 'tee' && o.args.some((a) => target.test(a.value)));
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/tls-verification',
    title: 'TLS and package signature checks stay on',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['CKV2_DOCKER_2..16'],
    rationale:
      "Certificate and signature checks are what make a download from the internet trustworthy. `curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, `git -c http.sslVerify=false`, `NODE_TLS_REJECT_UNAUTHORIZED=0` and friends accept any certificate, so a proxy, a hijacked DNS answer or anyone on the path can hand the build a different file; `apt-get --allow-unauthenticated`, `apk --allow-untrusted`, `dnf --nogpgcheck`, `rpm --nosignature` and `[trusted=yes]` sources install packages nobody signed. Turned off in an ENV, the setting also stays in the running container, where the application inherits it. Every stage is judged, build stages included, since what they download ends up in the image; the commands of a `sh -c '...'` in a RUN count as the RUN's own. A check usually gets turned off to get past a corporate TLS-intercepting proxy; the fix for that is to trust the proxy's CA, not to trust everything.",
    fix: 'Remove the flag or variable; if a private or intercepting CA is the reason, COPY its certificate into /usr/local/share/ca-certificates and run `update-ca-certificates` (or point the tool at it, e.g. `PIP_CERT`, `NODE_EXTRA_CA_CERTS`).',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM debian:bookworm-slim\nRUN curl -fsSLk -o /tmp/app.tgz https://example.com/app.tgz\n' },
      good: { file: 'Dockerfile', content: 'FROM debian:bookworm-slim\nRUN curl -fsSL -o /tmp/app.tgz https://example.com/app.tgz\n' },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const image of project.images) {
      const df = image.dockerfile;
      const findings: Finding[] = [];
      // ARG/ENV in any stage (global ARGs only matter once a stage re-declares them, which is a declaration of its own).
      for (const d of df.declarations) {
        if (d.stage < 0) continue;
        let value = d.value;
        if (value === null && d.keyword === 'ARG') {
          const v = df.stages[d.stage]?.vars.get(d.name);
          value = v && v.range.line === d.range.line ? v.value : null;
        }
        if (value === null) continue;
        const f = envFinding(d.name, value, d.range);
        if (f) findings.push({ ...f, what: `\`${d.keyword} ${d.name}=${value}\`` });
      }
      for (const stage of df.stages) {
        for (const run of stage.runs) {
          // The RUN's script and the `sh -c '...'` scripts it runs, each with its own pipelines and exports.
          for (const script of shellCScripts(run.script)) {
            const cs = calls(script);
            for (const a of script.assignments) {
              const f = envFinding(a.name, a.value, a.range);
              if (f) findings.push(f);
            }
            for (const c of cs) commandFindings(c, cs, findings);
          }
        }
      }
      const seen = new Set<string>();
      for (const f of findings) {
        const key = `${f.range.line}:${f.range.column}:${f.range.endLine}:${f.range.endColumn}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(fail(image.name, loc(df.path, f.range), `${f.what} turns off verification: ${f.effect}. ${f.fix}`));
      }
      if (seen.size === 0)
        out.push(pass(image.name, fromLoc(image), 'no TLS or signature check is turned off', 'TLS and signature checks on'));
    }
    return out;
  },
};

export default rule;
