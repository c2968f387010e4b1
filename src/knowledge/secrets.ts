/**
 * Secret knowledge shared by the Dockerfile, compose and image rules: which variable names hold
 * secrets, which values embed credentials or are known-weak, and which file names are secret files.
 * Pure data and string functions; no I/O.
 *
 * Secret-like names (RULES.md): a word of the name, after splitting on `_`, `-`, `.`, digits and
 * camelCase, is one of SECRET_WORDS. Decisions on top of that paragraph:
 * - plurals count (`SECRETS`, `API_KEYS`), and a few compounds that are written as one word
 *   (`APIKEY`, `SECRETKEY`, `ACCESSKEY`, `PRIVATEKEY`, `PASSPHRASE`, `AUTHTOKEN`);
 * - `key` is not a secret word in a name that also says `public`, `publishable`, `gpg` or `pgp`
 *   (`NEXT_PUBLIC_MAPS_KEY`, `PUBLIC_KEY`, `STRIPE_PUBLISHABLE_KEY`, the official images'
 *   `GPG_KEY` fingerprint): those values are public by design;
 * - a name whose LAST word says it describes the secret rather than holds it is not secret-like:
 *   `POSTGRES_PASSWORD_FILE`, `SECRETS_DIR`, `KEY_PREFIX`, `AUTH_URL`, `TOKEN_TTL`,
 *   `POSTGRES_HOST_AUTH_METHOD`, `SESSION_COOKIE_SECURE`, `PASSWORD_MIN_LENGTH`, and settings of an app
 *   whose prefix is a secret word, `SECRET_FORCED_LANGUAGE` (see META_LAST_WORDS);
 * - `PWD`/`OLDPWD` (the shell's working directory) are not secrets.
 */

/** Words that make a name secret-like (lower case). */
export const SECRET_WORDS: ReadonlySet<string> = new Set([
  'password',
  'passwords',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'apikeys',
  'key',
  'keys',
  'secretkey',
  'accesskey',
  'privatekey',
  'authtoken',
  'credential',
  'credentials',
  'creds',
  'auth',
  'private',
  'dsn',
  'salt',
  'cookie',
  'cookies',
]);

/** Last words that describe a secret (where it is, how it behaves) rather than hold it. */
export const META_LAST_WORDS: ReadonlySet<string> = new Set([
  // where the secret is, not the secret
  'file',
  'files',
  'path',
  'dir',
  'directory',
  'location',
  'name',
  'names',
  'url',
  'uri',
  'host',
  'hostname',
  'port',
  'endpoint',
  'server',
  'region',
  'id',
  'ids',
  // who, not the secret (`BASIC_AUTH_USERNAME`, `DB_AUTH_USER`)
  'user',
  'username',
  'login',
  // how it behaves
  'prefix',
  'suffix',
  'header',
  'length',
  'len',
  'size',
  'bits',
  'min',
  'max',
  'ttl',
  'expire',
  'expires',
  'expiry',
  'expiration',
  'timeout',
  'lifetime',
  'age',
  'seconds',
  'minutes',
  'hours',
  'days',
  'secure',
  'httponly',
  'samesite',
  'domain',
  'enabled',
  'disabled',
  'enable',
  'disable',
  'required',
  'method',
  'methods',
  'type',
  'mode',
  'provider',
  'algorithm',
  'algorithms',
  'alg',
  'version',
  'format',
  'policy',
  'backend',
  'strategy',
  'registry',
  // a setting of the app, not the secret (hemmelig's `SECRET_FORCED_LANGUAGE`: `SECRET_` is its prefix)
  'language',
  'lang',
  'locale',
]);

/** Words that make `key` public (`PUBLIC_KEY`, `STRIPE_PUBLISHABLE_KEY`, `GPG_KEY` fingerprints in official images). */
const PUBLIC_KEY_WORDS: ReadonlySet<string> = new Set(['public', 'publishable', 'gpg', 'pgp']);

/** Whole names that look secret-like but are not. */
const NOT_SECRET_NAMES: ReadonlySet<string> = new Set(['pwd', 'oldpwd']);

const UPPER_SNAKE = /^[A-Z_]+$/;

/**
 * Splits a variable name into lower-case words: on `_`, `-`, `.`, between letters and digits, and
 * at camelCase boundaries (`dbPassword` → db, password; `APIKey` → api, key).
 */
export function nameWords(name: string): string[] {
  // Most names are upper case words joined by `_` (`POSTGRES_PASSWORD`): none of the replacements
  // below applies to them (no lower case letter, no digit), so they only split on `_`.
  if (UPPER_SNAKE.test(name))
    return name
      .toLowerCase()
      .split('_')
      .filter((w) => w !== '');
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .split(/[\s_.\-/:]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/**
 * `judge` with its answers remembered (rules ask about the same names in every service, command and
 * environment); at most 50,000 of them, then it starts over.
 */
export function rememberAnswers(judge: (key: string) => boolean): (key: string) => boolean {
  const answers = new Map<string, boolean>();
  return (key) => {
    let yes = answers.get(key);
    if (yes === undefined) {
      yes = judge(key);
      if (answers.size >= 50_000) answers.clear();
      answers.set(key, yes);
    }
    return yes;
  };
}

/** True when a variable or key name suggests it holds a secret (see the module comment). */
export const isSecretName: (name: string) => boolean = rememberAnswers((name) => judgeSecretName(name));

function judgeSecretName(name: string): boolean {
  if (NOT_SECRET_NAMES.has(name.toLowerCase())) return false;
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (META_LAST_WORDS.has(words[words.length - 1]) && words.length > 1) return false;
  const isPublic = words.some((w) => PUBLIC_KEY_WORDS.has(w));
  return words.some((w) => SECRET_WORDS.has(w) && !(isPublic && (w === 'key' || w === 'keys')));
}

/** A `scheme://user:password@host` credential found in a value. */
export interface UrlCredential {
  scheme: string;
  user: string;
  password: string;
  /** Offset of the password in the value. */
  index: number;
}

const URL_CRED = /([A-Za-z][A-Za-z0-9+.-]*):\/\/([^\s/:@]*):([^\s/@]+)@/g;

/** Every `scheme://user:password@` in a value (the password may be a `${VAR}` reference). */
export function findUrlCredentials(value: string): UrlCredential[] {
  const out: UrlCredential[] = [];
  // Asked of every environment value and variable use: most hold no URL, and every match has `://`.
  if (!value.includes('://')) return out;
  for (const m of value.matchAll(URL_CRED)) {
    const index = (m.index ?? 0) + m[0].length - 1 - m[3].length;
    out.push({ scheme: m[1], user: m[2], password: m[3], index });
  }
  return out;
}

/** True when `text` is nothing but one variable reference without a default (`$X`, `${X}`, `${X:?msg}`). */
export function isPureReference(text: string): boolean {
  return /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?::?\?[^}]*)?\})$/.test(text);
}

/**
 * True when the value embeds a literal credential in a URL (`postgres://app:s3cret@db/app`,
 * `redis://:s3cret@redis`). A password that is only a variable reference (`${DB_PASSWORD}`) is not
 * literal; one with a default (`${DB_PASSWORD:-dev}`) is.
 */
export function embedsCredentials(value: string): boolean {
  return findUrlCredentials(value).some((c) => !isPureReference(c.password));
}

/** Values that are flags, never secrets. */
const NOT_A_SECRET_VALUE = /^(?:true|false|yes|no|on|off|0|1|none|null|nil|disabled|enabled)$/i;

/**
 * Values that are the path of a file, not a secret: a secret-like variable that holds one points the
 * application at the file that holds the secret (what compose `secrets:` and `*_FILE` variables are
 * for). A leading `/` alone does not make a path, since a generated password may start with one. A
 * path, without white space, is:
 * - relative to a folder: `./`, `../`, `~/`, or a `%parameter%/` (Symfony's `%kernel.project_dir%/`);
 * - under a top folder of the Linux file system or a usual mount point: `/run/`, `/etc/`, `/var/`,
 *   `/usr/`, `/opt/`, `/home/`, `/root/`, `/srv/`, `/tmp/`, `/mnt/`, `/app/`, `/data/`, `/config/`,
 *   `/certs/`, `/secrets/`;
 * - or absolute, of two segments or more, naming a key, certificate or credentials file by its
 *   extension (`/keys/jwt/private.pem`).
 */
const FILE_PATH =
  /^(?:(?:\.{1,2}|~|%[A-Za-z0-9_.]+%)\/|\/(?:run|etc|var|usr|opt|home|root|srv|tmp|mnt|app|data|config|certs|secrets)\/)\S*$|^\/[^\s/]+\/(?:[^\s/]+\/)*[^\s/]+\.(?:pem|key|crt|cer|cert|der|p12|pfx|jks|keystore|pub|json|txt)$/i;

/** True when a value is a flag (`true`, `yes`, `0`, `off`, ...): never a secret. */
export function isFlagValue(value: string): boolean {
  return NOT_A_SECRET_VALUE.test(value.trim());
}

/** True when a value is the path of a file rather than a secret (see FILE_PATH). */
export function isFilePath(value: string): boolean {
  return FILE_PATH.test(value.trim());
}

/**
 * True when a value is never a secret, whatever the name it is given: a flag or a file path. A
 * secret-like name with such a value (`ALLOW_EMPTY_PASSWORD: "yes"`, `${ALLOW_EMPTY_PASSWORD:-yes}`,
 * `DB_PASSWORD=/run/secrets/db`) is a switch or points at a file.
 */
export function isNotASecret(value: string): boolean {
  return isFlagValue(value) || isFilePath(value);
}

const DEFAULT_OP = /\$\{[A-Za-z_][A-Za-z0-9_]*:?-((?:[^{}]|\{[^{}]*\})*)\}/g;

/**
 * True when a value as written (Dockerfile or compose, before interpolation) carries a literal that
 * could be a secret: no variable reference at all, or a `${X:-literal}` / `${X-literal}` default.
 * `$X`, `${X}`, `${X:?msg}` and `Bearer $TOKEN` pass a value through; empty values, flags (`true`,
 * `0`, `off`, ...) and file paths (`/run/secrets/db_password`, see FILE_PATH) are not secrets.
 */
export function isLiteralValue(raw: string): boolean {
  const text = raw.replace(/\\\$|\$\$/g, '');
  if (text.trim() === '') return false;
  if (!text.includes('$')) return !isNotASecret(text);
  for (const m of text.matchAll(DEFAULT_OP)) {
    const d = m[1].trim();
    if (d !== '' && !d.startsWith('$') && !isNotASecret(d)) return true;
  }
  return false;
}

/** The masked form of a secret value, in every output format. Never reveals length or characters. */
export function maskSecret(_value: string): string {
  return '****';
}

/** A value with the passwords of embedded URL credentials masked (`postgres://app:****@db/app`). */
export function maskUrlCredentials(value: string): string {
  return value.replace(
    URL_CRED,
    (_m, scheme: string, user: string, password: string) =>
      `${scheme}://${user}:${isPureReference(password) ? password : maskSecret(password)}@`,
  );
}

/** Known weak, default or placeholder secret values (compared case-insensitively). */
export const WEAK_VALUES: readonly string[] = [
  'password',
  'password1',
  'password123',
  'passw0rd',
  'pass',
  'passwd',
  'changeme',
  'change_me',
  'change-me',
  'changeit',
  'changethis',
  'change_this',
  'secret',
  'secretkey',
  'secret_key',
  'supersecret',
  'super_secret',
  'mysecret',
  'your_secret_key',
  'your-secret-key',
  'your-secret-key-here',
  'admin',
  'administrator',
  'root',
  'toor',
  'example',
  'test',
  'testing',
  'demo',
  'dev',
  'development',
  'local',
  'default',
  'dev_only_password',
  'postgres',
  'mysql',
  'redis',
  'mongo',
  'guest',
  'user',
  'letmein',
  'qwerty',
  '123456',
  '12345678',
  '123456789',
  '1234',
  'insecure',
  'notsecret',
  'xxx',
  'todo',
];

const WEAK_SET = new Set(WEAK_VALUES);

/** Shortest secret value not called weak for its length (RULES.md secrets/weak-values). */
export const MIN_SECRET_LENGTH = 12;

/** True when the value is a known weak value or shorter than `minLength` characters. */
export function isWeakValue(value: string, minLength = MIN_SECRET_LENGTH): boolean {
  return WEAK_SET.has(value.toLowerCase()) || value.length < minLength;
}

/** Name parts that mark a committed template rather than a file with real values (discovery uses this too). */
const EXAMPLE_WORDS = new Set([
  'example',
  'examples',
  'sample',
  'samples',
  'template',
  'templates',
  'tmpl',
  'tpl',
  'dist',
  'default',
  'defaults',
  'skel',
  'skeleton',
  'stub',
]);

/** `.env.example`, `.env.sample`, `.env.template`, `example.env`, `.env.local.example`, ... (base name). */
export function isExampleEnvName(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[._-]/)
    .some((p) => EXAMPLE_WORDS.has(p));
}

export interface SecretFilePattern {
  /**
   * A glob with `*` (not crossing `/`). Without a `/` it is matched against the base name of a path;
   * with one, against the end of the path (`.aws/credentials` matches `home/.aws/credentials`).
   */
  pattern: string;
  /** What the file is, for messages. */
  description: string;
}

/** Files that hold secrets. `.env*` files that are examples are excluded by `isSecretFile`. */
export const SECRET_FILE_PATTERNS: readonly SecretFilePattern[] = [
  { pattern: '.env', description: 'environment file' },
  { pattern: '.env.*', description: 'environment file' },
  { pattern: '*.env', description: 'environment file' },
  { pattern: 'id_rsa', description: 'SSH private key' },
  { pattern: 'id_dsa', description: 'SSH private key' },
  { pattern: 'id_ecdsa', description: 'SSH private key' },
  { pattern: 'id_ed25519', description: 'SSH private key' },
  { pattern: '*.pem', description: 'PEM key or certificate' },
  { pattern: '*.key', description: 'private key' },
  { pattern: '*.p12', description: 'PKCS#12 key store' },
  { pattern: '*.pfx', description: 'PKCS#12 key store' },
  { pattern: '*.jks', description: 'Java key store' },
  { pattern: '*.keystore', description: 'key store' },
  { pattern: 'credentials.json', description: 'credentials' },
  { pattern: 'client_secret*.json', description: 'OAuth client secret' },
  { pattern: 'service-account*.json', description: 'cloud service account key' },
  { pattern: '.npmrc', description: 'npm config (may hold registry tokens)' },
  { pattern: '.pypirc', description: 'PyPI config (may hold upload tokens)' },
  { pattern: '.netrc', description: 'netrc credentials' },
  { pattern: '.git-credentials', description: 'git credentials' },
  { pattern: '.htpasswd', description: 'password file' },
  { pattern: '.aws/credentials', description: 'AWS credentials' },
  { pattern: '.docker/config.json', description: 'Docker registry credentials' },
  { pattern: '.kube/config', description: 'Kubernetes credentials' },
  { pattern: 'secrets.yml', description: 'secrets file' },
  { pattern: 'secrets.yaml', description: 'secrets file' },
  { pattern: 'secrets.json', description: 'secrets file' },
];

/** A `*` glob (not crossing `/`) as an anchored regex. */
export function globRegex(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** `segments`: how many trailing path segments a pattern with a `/` is matched against (0: the base name). */
const COMPILED = SECRET_FILE_PATTERNS.map((p) => ({
  ...p,
  re: globRegex(p.pattern),
  segments: p.pattern.includes('/') ? p.pattern.split('/').length : 0,
}));

/** The pattern a path matches, or null. Example env files (`.env.example`) and public keys (`*.pub`) never match. */
export function matchSecretFile(path: string): SecretFilePattern | null {
  // Asked of every file a broad COPY sends: no replacing or splitting unless needed.
  const clean = path.includes('\\') || path.endsWith('/') ? path.replace(/\\/g, '/').replace(/\/+$/, '') : path;
  const base = clean.slice(clean.lastIndexOf('/') + 1);
  if (base.endsWith('.pub')) return null;
  let tail = '';
  let tailSegments = 0;
  for (const p of COMPILED) {
    let hit: boolean;
    if (p.segments > 0) {
      if (tailSegments !== p.segments) {
        tailSegments = p.segments;
        tail = clean.split('/').slice(-tailSegments).join('/');
      }
      hit = p.re.test(tail);
    } else hit = p.re.test(base);
    if (!hit) continue;
    if (p.description === 'environment file' && isExampleEnvName(base)) return null;
    return { pattern: p.pattern, description: p.description };
  }
  return null;
}

/** True when a (relative, POSIX) path names a secret file. */
export function isSecretFile(path: string): boolean {
  return matchSecretFile(path) !== null;
}

/**
 * Secret-looking arguments a probe may carry: an option whose name ends in a secret word
 * (`--password=x`, `--requirepass x`, `--erlang-cookie x`, `--api-key x`), `-a x` (redis-cli), `-px`
 * (mysql), `-u user:x` (curl), `Bearer x`, `Authorization: Basic x`, `X-Api-Key: x`.
 */
const SECRET_ARGS: RegExp[] = [
  // An option starts a word: `apt-key add -` is a program, not `-key add`.
  /((?<![\w-])--?[A-Za-z-]*(?:pass|passwd|password|pwd|token|secret|auth|apikey|api-key|cookie|credentials?|key)(?:=|\s+)["']?)([^\s'"]+)/gi,
  /(Bearer\s+)([^\s'"]+)/g,
  // (A header's `${API_KEY:-default}` is left to the defaults below, which mask the default only.)
  /(Authorization:\s*(?:Basic|Bearer|Token|Digest)?\s*)([^\s'"$][^\s'"]*)/gi,
  /(X-[A-Za-z-]*(?:Key|Token|Secret|Auth)[A-Za-z-]*:\s*)([^\s'"$][^\s'"]*)/gi,
];

/**
 * Short flags that carry a password in a probe whatever the program (a healthcheck's words are few,
 * and a probe shown with a password is worse than one shown with a masked port): `-a x`
 * (redis-cli), `-px` (mysql), `-u user:x` (curl). Not in scripts (`scriptExcerpt`), where they are
 * mostly something else (`[ "$1" = x -a ... ]`, `cp -pR`, `docker run -u 1000:1000`): there only
 * the clients below count.
 */
const PROBE_SHORT_SECRET_ARGS: RegExp[] = [
  /(\s-a\s+["']?)([^\s'"]+)/g,
  /(\s-p["']?)([^\s'"]+)/g,
  /((?:\s-u|--user)(?:=|\s+)["']?[^\s:'"]*:)([^\s'"]+)/g,
];

/**
 * Clients whose password (or token) is given by a short flag, which other programs use for something
 * else (`redis-cli -p 6379` is a port): the value is the next word (`next`: `mongosh -u root -p x`)
 * and/or written on the flag (`attached`: `mysql -px`, `sqlcmd -Px`). One table for the three readers:
 * text masking (CLIENT_SECRET_ARGS), exec-form masking (`maskArgv`) and secrets/no-hardcoded's
 * literal values (rules/secrets/_values.ts).
 */
export const CLIENT_PASSWORD_FLAGS: readonly { clients: readonly string[]; flag: string; next: boolean; attached: boolean }[] = [
  { clients: ['redis-cli', 'valkey-cli', 'keydb-cli'], flag: '-a', next: true, attached: false },
  { clients: ['mysql', 'mysqladmin', 'mysqldump', 'mariadb', 'mariadb-admin', 'mariadb-dump'], flag: '-p', next: false, attached: true },
  { clients: ['mongo', 'mongosh'], flag: '-p', next: true, attached: false },
  { clients: ['sqlcmd'], flag: '-P', next: true, attached: true },
  { clients: ['influx'], flag: '-t', next: true, attached: false },
];

/** The password flag of a client (its base name), or undefined. */
export function clientPasswordFlag(prog: string): (typeof CLIENT_PASSWORD_FLAGS)[number] | undefined {
  return CLIENT_PASSWORD_FLAGS.find((c) => c.clients.includes(prog));
}

/** A command name as a word of a text (after a path, a quote or a backtick). */
const asWord = (names: readonly string[]) =>
  new RegExp(`(?:^|[\\s/\`"'])(?:${names.map((n) => n.replace(/[-]/g, '\\-')).join('|')})(?=[\\s\`"']|$)`);

/**
 * CLIENT_PASSWORD_FLAGS as text patterns (the flag, then the value after spaces, on the flag, or
 * either), plus `curl`/`wget -u user:x`: masked when the text runs that client.
 */
const CLIENT_SECRET_ARGS: { client: RegExp; arg: RegExp }[] = [
  ...CLIENT_PASSWORD_FLAGS.map((c) => ({
    client: asWord(c.clients),
    arg: new RegExp(`(\\s${c.flag}${c.next && c.attached ? '\\s*' : c.next ? '\\s+' : ''}["']?)([^\\s'"]+)`, 'g'),
  })),
  { client: asWord(['curl', 'wget']), arg: /((?:\s-u|--user)(?:=|\s+)["']?[^\s:'"]*:)([^\s'"]+)/g },
];

/**
 * The probe in words with compose's `$$` unescaped and secret-looking arguments masked (`****`);
 * variable references (`$REDIS_PASSWORD`) are names, not values, and stay.
 */
export function maskCommandSecrets(words: string): string {
  let w = maskSecretArguments(maskUrlCredentials(words.replace(/\$\$/g, '$')));
  for (const re of PROBE_SHORT_SECRET_ARGS) w = w.replace(re, maskArgument);
  return maskDefaultsAndAssignments(w);
}

/**
 * A command line written in a Dockerfile or a script (no compose `$$` escapes) with its secret values
 * masked: secret options, clients' password flags, URL passwords, secret defaults and assignments.
 */
export function maskCommandLine(text: string): string {
  return maskDefaultsAndAssignments(maskSecretArguments(maskUrlCredentials(text)));
}

/**
 * Defaults of secret-like variables (`${DB_PASSWORD:-s3cret}`) and assignments to secret-like names
 * (`PGPASSWORD=s3cret`) masked; a reference (`PGPASSWORD=$DB_PASSWORD`) stays: it is a name, not a value.
 */
function maskDefaultsAndAssignments(w: string): string {
  return w
    .replace(SECRET_DEFAULT, (m, pre: string, name: string, word: string) =>
      secretVar(name) && word !== '' && !word.startsWith('$') ? `${pre}${maskSecret(word)}` : m,
    )
    .replace(ASSIGNMENT, (m, pre: string, name: string, value: string) =>
      secretVar(name.slice(0, -1)) && !value.startsWith('$') ? `${pre}${name}${maskSecret(value)}` : m,
    );
}

/** An option named for a secret (`--api-token`, `--db-password`, `--requirepass`, `--erlang-cookie`): its next word is a value. */
const SECRET_OPTION = /^--?[A-Za-z-]*(?:pass|passwd|password|pwd|token|secret|auth|apikey|api-key|cookie|credentials?|key)$/i;
/** The same option with its value attached (`--api-token=x`). */
const SECRET_OPTION_VALUE = /^(--?[A-Za-z-]*(?:pass|passwd|password|pwd|token|secret|auth|apikey|api-key|cookie|credentials?|key)=)(.+)$/is;
/** A word after a secret option that is not a value: a reference, a substitution, a file path, another option. */
function notAValue(v: string): boolean {
  return isPureReference(v) || v.startsWith('$(') || v.startsWith('-') || isFilePath(v);
}

/**
 * An exec-form command (`CMD ["app", "--api-token", "x"]`) with its secret values masked, word by
 * word: the word after a secret option, `--option=value`, a client's password flag (CLIENT_PASSWORD_FLAGS),
 * and any word with a URL password, `Bearer x` or `-u user:x` in it. For printing only.
 */
export function maskArgv(argv: readonly string[]): string[] {
  const client = clientPasswordFlag((argv[0] ?? '').slice((argv[0] ?? '').lastIndexOf('/') + 1));
  return argv.map((w, i) => {
    const prev = i > 0 ? argv[i - 1] : '';
    if ((SECRET_OPTION.test(prev) || (client?.next && prev === client.flag)) && !notAValue(w)) return maskSecret(w);
    if (client?.attached && w.length > client.flag.length && w.startsWith(client.flag))
      return `${client.flag}${maskSecret(w.slice(client.flag.length))}`;
    const m = SECRET_OPTION_VALUE.exec(w);
    if (m && !notAValue(m[2])) return `${m[1]}${maskSecret(m[2])}`;
    return maskCommandLine(w);
  });
}

/** The replacement of a secret argument's value (`pre` kept); references and file paths are not values and stay. */
function maskArgument(m: string, pre: string, value: string): string {
  // Not the closing backtick or parenthesis, nor the `…` of a probe cut short.
  const v = value.replace(/[`)…]+$/, '');
  return isPureReference(v) || v.startsWith('$(') || isFilePath(v) ? m : `${pre}${maskSecret(v)}${value.slice(v.length)}`;
}

/**
 * A command line (or a line of a script) with the values of its secret-looking arguments masked
 * (SECRET_ARGS, CLIENT_SECRET_ARGS); references (`$REDIS_PASSWORD`, `"$(cat /run/secrets/x)"`) and file paths stay.
 */
export function maskSecretArguments(text: string): string {
  let w = text;
  for (const re of SECRET_ARGS) w = w.replace(re, maskArgument);
  for (const { client, arg } of CLIENT_SECRET_ARGS) if (client.test(w)) w = w.replace(arg, maskArgument);
  return w;
}

/** `${SECRET:-word}` / `${SECRET-word}` / `${SECRET:+word}`: the word is a value (it may be cut off by `…`). */
const SECRET_DEFAULT = /(\$\{([A-Za-z_][A-Za-z0-9_]*):?[-+])([^}`…]*)/g;
/** `NAME=value` (an assignment in a shell probe, `PGPASSWORD=s3cret pg_isready`). */
const ASSIGNMENT = /(^|[\s`"'(;&|])([A-Za-z_][A-Za-z0-9_]*=)([^\s`"';&|)…]+)/g;

/** Secret-like names, plus clients' password variables written as one word (`PGPASSWORD`). */
function secretVar(name: string): boolean {
  return isSecretName(name) || /passw(?:or)?d/i.test(name);
}
