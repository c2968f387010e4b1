import { tagMajor, tagVersion } from '../../knowledge/datastores.js';
import type { Environment, Service } from '../../model/compose.js';
import { parseInterpolation } from '../../parse/interpolate.js';
import type { PEntry } from '../../parse/yaml.js';
import type { Location, RawResult, Rule } from '../../types.js';
import { absenceLoc, nodeLoc, provLoc, services, sget } from '../_compose.js';
import { mounts } from '../_compose-mounts.js';
import { fail, pass, unknown } from '../_util.js';
import {
  commandWords,
  envFiles,
  envValue,
  fileTargets,
  firstEnv,
  flagValue,
  isYes,
  type ServiceDatastore,
  serviceDatastore,
  type Word,
} from './_datastore.js';

interface Ctx {
  env: Environment;
  svc: Service;
  target: string;
  sd: ServiceDatastore;
  /** `Redis (\`cache\`)` for messages. */
  who: string;
}

/** Where the setting that is missing belongs: the service key (the prod overlay's in prod). */
const missingLoc = (c: Ctx): Location => absenceLoc(c.env, c.svc);

/**
 * The first password variable the service sets: `NAME_FILE` (a secret file) or `NAME`. A variable
 * written with an empty literal value does not count; a pass-through (`- NAME`) or an interpolated
 * value does (its value is never read or printed).
 */
function passwordVar(c: Ctx, names: string[]): RawResult | null {
  for (const name of names) {
    for (const n of [`${name}_FILE`, name]) {
      const f = firstEnv(c.svc, [n]);
      if (!f) continue;
      const v = envValue(c.env, f.e);
      if (v.raw !== null && v.raw.trim() === '') continue;
      return pass(c.target, provLoc(f.e.keyProv), `${c.who} requires a password (\`${n}\`)`, passwordEvidence(n));
    }
  }
  return null;
}

/** The evidence for a password variable: `NAME_FILE` / `FILE__NAME` (LinuxServer) name a secret file. */
function passwordEvidence(n: string): string {
  return n.endsWith('_FILE') || n.startsWith('FILE__') ? `Password (\`${n}\` secret)` : `Password (\`${n}\`)`;
}

/**
 * Whether an image's switch is on: Bitnami's read yes-like values (`yes`, `true`, `1`); the official
 * MySQL and MariaDB entrypoints test only that the variable is not empty (`[ -z ... ]`), so `false` or
 * `no` turns them on too.
 */
type SwitchTest = 'yes' | 'nonEmpty';

function isOn(test: SwitchTest, v: string): boolean {
  return test === 'yes' ? isYes(v) : v !== '';
}

/** A switch that turns authentication off (`ALLOW_EMPTY_PASSWORD=yes`): fail at its value, unknown when it comes from a variable without default. */
function switchOn(c: Ctx, names: string[], what: string, fix: string, test: SwitchTest = 'yes'): RawResult | null {
  for (const name of names) {
    const f = firstEnv(c.svc, [name]);
    if (!f) continue;
    const v = envValue(c.env, f.e);
    if (v.raw === null) {
      return unknown(
        c.target,
        provLoc(f.e.keyProv),
        `\`${name}\` of \`${c.svc.name}\` is passed through from the shell, so whether it ${what} is unknown.`,
      );
    }
    if (v.value === null) {
      return unknown(
        c.target,
        nodeLoc(f.e.value),
        `\`${name}\` of \`${c.svc.name}\` comes from a variable without a default, so whether it ${what} is unknown.`,
      );
    }
    if (isOn(test, v.value)) {
      const anyValue = isYes(v.value) ? '' : ' (the image only checks that it is not empty, so any value turns it on)';
      return fail(
        c.target,
        nodeLoc(f.e.value),
        `\`${name}\` ${what}${anyValue}: ${c.who} accepts connections without a password, so anyone who reaches it can read and change the data; ${fix}.`,
      );
    }
  }
  return null;
}

/** When the only source left is `env_file:` (not read by seaworthy): unknown instead of a verdict. */
function fromEnvFile(c: Ctx, what: string): RawResult | null {
  const files = envFiles(c.svc);
  if (files.length === 0) return null;
  const list = files.map((f) => `\`${f}\``).join(', ');
  const node = sget(c.svc, 'env_file');
  return unknown(
    c.target,
    node ? nodeLoc(node) : missingLoc(c),
    `${c.who} gets no ${what} in \`environment:\`, but may get one from \`env_file\` ${list}, which seaworthy does not read.`,
  );
}

/** The image refuses to start without a password (or an explicit opt-out, checked before). */
function required(c: Ctx, names: string): RawResult {
  return pass(c.target, missingLoc(c), `${c.who} refuses to start until ${names} is set`, 'Password required by the image');
}

// ---- per kind ----

function redisLike(c: Ctx): RawResult {
  const { ds } = c.sd;
  if (ds.distribution === 'bitnami') {
    const prefix = ds.product === 'Valkey' ? 'VALKEY' : 'REDIS';
    return (
      switchOn(
        c,
        ['ALLOW_EMPTY_PASSWORD'],
        'allows an empty password',
        `remove it and set \`${prefix}_PASSWORD_FILE\` (a secret) or \`${prefix}_PASSWORD\``,
      ) ??
      passwordVar(c, [`${prefix}_PASSWORD`]) ??
      fromEnvFile(c, `\`${prefix}_PASSWORD\``) ??
      required(c, `\`${prefix}_PASSWORD\``)
    );
  }
  const cmd = sget(c.svc, 'command');
  const words: Word[] = [...commandWords(c.svc)];
  // redis-stack reads extra server arguments from REDIS_ARGS.
  const args = firstEnv(c.svc, ['REDIS_ARGS'])?.e;
  if (args && args.value.kind === 'scalar' && args.value.value !== null) {
    for (const w of String(args.value.value).split(/\s+/)) if (w) words.push({ text: w.replace(/^["']+|["']+$/g, ''), node: args.value });
  }
  const where = cmd ? nodeLoc(cmd) : missingLoc(c);
  const server = ds.product === 'Valkey' ? 'valkey-server' : 'redis-server';
  const fix = ds.serverEntrypoint
    ? `start it with a password from the environment, e.g. \`command: ["--requirepass", "\${REDIS_PASSWORD:?}"]\` (its entrypoint is \`${server}\`; keep the \`--loadmodule\` arguments of the modules you use)`
    : `start it with a password from the environment, e.g. \`command: ["${server}", "--requirepass", "\${REDIS_PASSWORD:?}"]\``;
  const rp = flagValue(words, '--requirepass');
  if (rp) {
    if (rp.value === '' || rp.value === '""' || rp.value === "''") {
      return fail(
        c.target,
        nodeLoc(rp.word.node),
        `\`--requirepass\` of ${c.who} is given an empty password, so it accepts every client; ${fix}.`,
      );
    }
    return pass(c.target, nodeLoc(rp.word.node), `${c.who} requires a password (\`--requirepass\`)`, 'Password (`--requirepass`)');
  }
  const userAt = words.findIndex((w) => w.text === '--user');
  if (userAt >= 0) {
    const rest = words.slice(userAt + 1);
    const end = rest.findIndex((w) => w.text.startsWith('--'));
    const spec = end < 0 ? rest : rest.slice(0, end);
    if (spec.some((w) => w.text === 'nopass')) {
      return fail(
        c.target,
        nodeLoc(words[userAt].node),
        `The \`--user\` ACL of ${c.who} has \`nopass\`, so that user needs no password; give it a password (\`>\${REDIS_PASSWORD}\`).`,
      );
    }
    if (spec.some((w) => w.text.startsWith('>') || w.text.startsWith('#'))) {
      return pass(
        c.target,
        nodeLoc(words[userAt].node),
        `${c.who} defines an ACL user with a password (\`--user\`)`,
        'ACL user (`--user`)',
      );
    }
  }
  const acl = flagValue(words, '--aclfile');
  const conf = words.find((w) => /\.conf$/.test(w.text) && !w.text.startsWith('-'));
  if (acl || conf) {
    const file = acl ? acl.value : (conf as Word).text;
    return unknown(
      c.target,
      nodeLoc((acl ? acl.word : (conf as Word)).node),
      `${c.who} reads its settings from \`${file}\`, which seaworthy does not read, so whether it requires a password is unknown; \`requirepass\` (or an ACL user) must be set there.`,
    );
  }
  return fail(
    c.target,
    where,
    `${c.who} runs without \`--requirepass\`, so any container on its network (or anyone who reaches its port) can read, change and flush the data, or use \`CONFIG SET\` to write files; ${fix}.`,
  );
}

function postgres(c: Ctx): RawResult {
  const bitnami = c.sd.ds.distribution === 'bitnami';
  if (bitnami) {
    const off = switchOn(
      c,
      ['ALLOW_EMPTY_PASSWORD'],
      'allows an empty password',
      'remove it and set `POSTGRESQL_PASSWORD_FILE` (a secret) or `POSTGRESQL_PASSWORD`',
    );
    if (off) return off;
  }
  const method = firstEnv(c.svc, bitnami ? [] : ['POSTGRES_HOST_AUTH_METHOD']);
  if (method) {
    const v = envValue(c.env, method.e);
    if (v.raw !== null && v.value === null) {
      return unknown(
        c.target,
        nodeLoc(method.e.value),
        `\`POSTGRES_HOST_AUTH_METHOD\` of \`${c.svc.name}\` comes from a variable without a default, so whether it is \`trust\` is unknown.`,
      );
    }
    if (v.value !== null && v.value.trim().toLowerCase() === 'trust') {
      return fail(
        c.target,
        nodeLoc(method.e.value),
        `\`POSTGRES_HOST_AUTH_METHOD=trust\` lets every client of ${c.who} log in as any role without a password, even when \`POSTGRES_PASSWORD\` is set; remove it (the default is \`scram-sha-256\`) and set \`POSTGRES_PASSWORD_FILE\` or \`POSTGRES_PASSWORD\`.`,
      );
    }
  }
  const names = bitnami ? ['POSTGRESQL_PASSWORD', 'POSTGRES_PASSWORD'] : ['POSTGRES_PASSWORD'];
  return passwordVar(c, names) ?? fromEnvFile(c, '`POSTGRES_PASSWORD`') ?? required(c, `\`${names[0]}\``);
}

/**
 * LinuxServer.io's MariaDB reads only `MYSQL_ROOT_PASSWORD` (or `FILE__MYSQL_ROOT_PASSWORD`, its convention
 * for secret files) and never refuses to start: when it is missing or shorter than 4 characters, the first
 * start creates `root@'%'` with an empty password.
 */
function linuxserverMariadb(c: Ctx): RawResult {
  const fix = 'set `FILE__MYSQL_ROOT_PASSWORD` (a secret file) or `MYSQL_ROOT_PASSWORD` (at least 4 characters)';
  const literal = firstEnv(c.svc, ['MYSQL_ROOT_PASSWORD']);
  if (literal && !firstEnv(c.svc, ['FILE__MYSQL_ROOT_PASSWORD'])) {
    const v = envValue(c.env, literal.e);
    if (v.value !== null && v.raw !== null && !v.raw.includes('$') && v.value.length < 4) {
      return fail(
        c.target,
        nodeLoc(literal.e.value),
        `\`MYSQL_ROOT_PASSWORD\` of ${c.who} is shorter than 4 characters, so the image ignores it and creates \`root\` with an empty password that any client can use from any host; ${fix}.`,
      );
    }
  }
  return (
    passwordVar(c, ['FILE__MYSQL_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD']) ??
    fromEnvFile(c, '`MYSQL_ROOT_PASSWORD`') ??
    fail(
      c.target,
      missingLoc(c),
      `${c.who} (LinuxServer.io image) does not refuse to start without \`MYSQL_ROOT_PASSWORD\`: it creates \`root\` with an empty password that any client can use from any host; ${fix}.`,
    )
  );
}

/** Whether a variable surely reaches the container with a value that is not empty: a non-empty value, or a required `${X:?}`. */
function surelySet(c: Ctx, e: PEntry): boolean {
  const v = envValue(c.env, e);
  if (v.raw === null) return false;
  if (v.value !== null) return v.value !== '';
  return parseInterpolation(v.raw).uses.some((u) => u.depth === 0 && u.op === ':?');
}

/**
 * The official MySQL and MariaDB entrypoints read the empty-password switch only to let the image start
 * without a root password (`docker_verify_minimum_env`); `docker_setup_db` gives root the password that is
 * set, or a random one. With a root password that cannot be empty the switch changes nothing: the pass
 * for that password (null when none surely is set).
 */
function rootPasswordGiven(c: Ctx, names: string[], switchName: string): RawResult | null {
  const moot = `; \`${switchName}\` only lets the image start without one, so it changes nothing`;
  for (const name of names) {
    for (const n of [`${name}_FILE`, name]) {
      const f = firstEnv(c.svc, [n]);
      if (!f || !surelySet(c, f.e)) continue;
      return pass(c.target, provLoc(f.e.keyProv), `${c.who} requires a password (\`${n}\`)${moot}`, passwordEvidence(n));
    }
  }
  const random = firstEnv(
    c.svc,
    c.sd.ds.kind === 'mariadb' ? ['MARIADB_RANDOM_ROOT_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'] : ['MYSQL_RANDOM_ROOT_PASSWORD'],
  );
  if (random && surelySet(c, random.e)) {
    return pass(
      c.target,
      provLoc(random.e.keyProv),
      `${c.who} generates a random root password${moot}`,
      `Random root password (\`${random.name}\`)`,
    );
  }
  return null;
}

function mysqlLike(c: Ctx): RawResult {
  if (c.sd.ds.distribution === 'linuxserver') return linuxserverMariadb(c);
  const bitnami = c.sd.ds.distribution === 'bitnami';
  const maria = c.sd.ds.kind === 'mariadb';
  const fix = `remove it and set \`${maria ? 'MARIADB' : 'MYSQL'}_ROOT_PASSWORD_FILE\` (a secret) or \`${maria ? 'MARIADB' : 'MYSQL'}_ROOT_PASSWORD\``;
  const empty = bitnami
    ? ['ALLOW_EMPTY_PASSWORD']
    : maria
      ? ['MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD']
      : ['MYSQL_ALLOW_EMPTY_PASSWORD'];
  const names = maria ? ['MARIADB_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD'] : ['MYSQL_ROOT_PASSWORD'];
  const off = switchOn(c, empty, 'allows an empty root password', fix, bitnami ? 'yes' : 'nonEmpty');
  if (off) return (bitnami ? null : rootPasswordGiven(c, names, firstEnv(c.svc, empty)?.name ?? empty[0])) ?? off;
  const pw = passwordVar(c, names);
  if (pw) return pw;
  if (!bitnami) {
    const hash = firstEnv(c.svc, maria ? ['MARIADB_ROOT_PASSWORD_HASH'] : []);
    if (hash) return pass(c.target, provLoc(hash.e.keyProv), `${c.who} has a root password hash`, `Password (\`${hash.name}\`)`);
    const random = firstEnv(c.svc, maria ? ['MARIADB_RANDOM_ROOT_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'] : ['MYSQL_RANDOM_ROOT_PASSWORD']);
    const randomValue = random ? envValue(c.env, random.e).value : null;
    if (random && randomValue !== null && isOn('nonEmpty', randomValue)) {
      return pass(
        c.target,
        provLoc(random.e.keyProv),
        `${c.who} generates a random root password`,
        `Random root password (\`${random.name}\`)`,
      );
    }
  }
  return fromEnvFile(c, `\`${names[0]}\``) ?? required(c, `\`${names[0]}\``);
}

function mongo(c: Ctx): RawResult {
  if (c.sd.ds.distribution === 'bitnami') {
    return (
      switchOn(
        c,
        ['ALLOW_EMPTY_PASSWORD'],
        'allows an empty password',
        'remove it and set `MONGODB_ROOT_PASSWORD_FILE` (a secret) or `MONGODB_ROOT_PASSWORD`',
      ) ??
      passwordVar(c, ['MONGODB_ROOT_PASSWORD']) ??
      fromEnvFile(c, '`MONGODB_ROOT_PASSWORD`') ??
      required(c, '`MONGODB_ROOT_PASSWORD`')
    );
  }
  const pw = passwordVar(c, ['MONGO_INITDB_ROOT_PASSWORD', 'MONGODB_INITDB_ROOT_PASSWORD']);
  if (pw) return pw;
  const words = commandWords(c.svc);
  const auth = words.find((w) => w.text === '--auth' || w.text === '--keyFile' || w.text.startsWith('--keyFile='));
  if (auth)
    return pass(
      c.target,
      nodeLoc(auth.node),
      `${c.who} runs with access control (\`${auth.text.split('=')[0]}\`)`,
      `Authentication (\`${auth.text.split('=')[0]}\`)`,
    );
  const conf = flagValue(words, '--config') ?? flagValue(words, '-f');
  if (conf) {
    return unknown(
      c.target,
      nodeLoc(conf.word.node),
      `${c.who} reads its settings from \`${conf.value}\`, which seaworthy does not read, so whether access control is on is unknown.`,
    );
  }
  return (
    fromEnvFile(c, '`MONGO_INITDB_ROOT_PASSWORD`') ??
    fail(
      c.target,
      missingLoc(c),
      `${c.who} creates no root user, so it runs without access control and anyone who reaches port 27017 can read and drop every database; ` +
        'set `MONGO_INITDB_ROOT_USERNAME` and `MONGO_INITDB_ROOT_PASSWORD_FILE` (a secret) or `MONGO_INITDB_ROOT_PASSWORD`.',
    )
  );
}

/** `xpack.security.enabled=false` as an environment entry or a `-E` command option. */
function settingOff(c: Ctx, key: string, offValue: 'false' | 'true'): { loc: Location; unknown: boolean } | null {
  const e: PEntry | undefined = firstEnv(c.svc, [key])?.e;
  if (e) {
    const v = envValue(c.env, e);
    if (v.raw !== null && v.value === null) return { loc: nodeLoc(e.value), unknown: true };
    if (v.value !== null && v.value.trim().toLowerCase() === offValue) return { loc: nodeLoc(e.value), unknown: false };
  }
  const w = commandWords(c.svc).find((x) => x.text.toLowerCase() === `-e${key.toLowerCase()}=${offValue}`);
  return w ? { loc: nodeLoc(w.node), unknown: false } : null;
}

function elasticsearch(c: Ctx): RawResult {
  if (c.sd.ds.distribution === 'bitnami') {
    const on = firstEnv(c.svc, ['ELASTICSEARCH_ENABLE_SECURITY']);
    if (on && isYes(envValue(c.env, on.e).value)) {
      return pass(c.target, provLoc(on.e.keyProv), `${c.who} has security enabled`, 'Security enabled (`ELASTICSEARCH_ENABLE_SECURITY`)');
    }
    return (
      fromEnvFile(c, '`ELASTICSEARCH_ENABLE_SECURITY`') ??
      fail(
        c.target,
        on ? nodeLoc(on.e.value) : missingLoc(c),
        `${c.who} runs with security disabled (the Bitnami default), so anyone who reaches port 9200 can read and delete every index; set \`ELASTICSEARCH_ENABLE_SECURITY=true\` and a password.`,
      )
    );
  }
  const off = settingOff(c, 'xpack.security.enabled', 'false');
  if (off?.unknown)
    return unknown(
      c.target,
      off.loc,
      `\`xpack.security.enabled\` of \`${c.svc.name}\` comes from a variable without a default, so whether security is on is unknown.`,
    );
  if (off) {
    return fail(
      c.target,
      off.loc,
      `\`xpack.security.enabled=false\` turns off authentication and TLS in ${c.who}, so anyone who reaches port 9200 can read and delete every index; remove it and set \`ELASTIC_PASSWORD\` from a secret.`,
    );
  }
  const pw = passwordVar(c, ['ELASTIC_PASSWORD']);
  if (pw) return pw;
  const on = firstEnv(c.svc, ['xpack.security.enabled']);
  if (on && envValue(c.env, on.e).value?.trim().toLowerCase() === 'true') {
    return pass(c.target, provLoc(on.e.keyProv), `${c.who} has security enabled`, 'Security enabled (`xpack.security.enabled=true`)');
  }
  if (mounts(c.env, c.svc).some((m) => m.target?.endsWith('/elasticsearch.yml') || m.target === '/usr/share/elasticsearch/config')) {
    return unknown(
      c.target,
      missingLoc(c),
      `${c.who} reads a mounted \`elasticsearch.yml\`, which seaworthy does not read, so whether security is on is unknown.`,
    );
  }
  const major = tagMajor(c.sd.ds.tag);
  if (major === null) {
    return unknown(
      c.target,
      missingLoc(c),
      `The version of ${c.who} is not known from ${c.sd.from}, and security is on by default only since 8.0; set \`xpack.security.enabled=true\` explicitly.`,
    );
  }
  if (major >= 8)
    return pass(c.target, missingLoc(c), `${c.who} ${major}.x enables security by default`, 'Security enabled (default since 8.0)');
  return fail(
    c.target,
    missingLoc(c),
    `${c.who} ${major}.x runs with security off by default (before 8.0), so anyone who reaches port 9200 can read and delete every index; set \`xpack.security.enabled=true\` and \`ELASTIC_PASSWORD\`, or upgrade to 8.x.`,
  );
}

function opensearch(c: Ctx): RawResult {
  if (c.sd.ds.distribution === 'bitnami') {
    const on = firstEnv(c.svc, ['OPENSEARCH_ENABLE_SECURITY']);
    if (on && isYes(envValue(c.env, on.e).value)) {
      return pass(c.target, provLoc(on.e.keyProv), `${c.who} has security enabled`, 'Security enabled (`OPENSEARCH_ENABLE_SECURITY`)');
    }
    return (
      fromEnvFile(c, '`OPENSEARCH_ENABLE_SECURITY`') ??
      fail(
        c.target,
        on ? nodeLoc(on.e.value) : missingLoc(c),
        `${c.who} runs with security disabled (the Bitnami default), so anyone who reaches port 9200 can read and delete every index; set \`OPENSEARCH_ENABLE_SECURITY=true\` and a password.`,
      )
    );
  }
  const off = settingOff(c, 'DISABLE_SECURITY_PLUGIN', 'true') ?? settingOff(c, 'plugins.security.disabled', 'true');
  if (off?.unknown)
    return unknown(
      c.target,
      off.loc,
      `Whether the security plugin of \`${c.svc.name}\` is disabled comes from a variable without a default, so it is unknown.`,
    );
  if (off) {
    return fail(
      c.target,
      off.loc,
      `Disabling the security plugin turns off authentication and TLS in ${c.who}, so anyone who reaches port 9200 can read and delete every index; remove it and set \`OPENSEARCH_INITIAL_ADMIN_PASSWORD\`.`,
    );
  }
  const pw = passwordVar(c, ['OPENSEARCH_INITIAL_ADMIN_PASSWORD']);
  if (pw) return pw;
  const custom = firstEnv(c.svc, ['DISABLE_INSTALL_DEMO_CONFIG']);
  if (custom && isYes(envValue(c.env, custom.e).value)) {
    return unknown(
      c.target,
      provLoc(custom.e.keyProv),
      `${c.who} uses its own security configuration (\`DISABLE_INSTALL_DEMO_CONFIG\`), which seaworthy does not read.`,
    );
  }
  const v = tagVersion(c.sd.ds.tag) ?? (tagMajor(c.sd.ds.tag) !== null ? [tagMajor(c.sd.ds.tag) as number, 0] : null);
  if (v === null) {
    return unknown(
      c.target,
      missingLoc(c),
      `The version of ${c.who} is not known from ${c.sd.from}; before 2.12 its demo configuration has the \`admin\`/\`admin\` account, so set \`OPENSEARCH_INITIAL_ADMIN_PASSWORD\`.`,
    );
  }
  if (v[0] > 2 || (v[0] === 2 && v[1] >= 12)) return required(c, '`OPENSEARCH_INITIAL_ADMIN_PASSWORD`');
  return fail(
    c.target,
    missingLoc(c),
    `${c.who} before 2.12 installs its demo security configuration with the well-known \`admin\`/\`admin\` account; upgrade and set \`OPENSEARCH_INITIAL_ADMIN_PASSWORD\`, or provide your own security configuration.`,
  );
}

function rabbitmq(c: Ctx): RawResult {
  const bitnami = c.sd.ds.distribution === 'bitnami';
  const name = bitnami ? 'RABBITMQ_PASSWORD' : 'RABBITMQ_DEFAULT_PASS';
  const set = firstEnv(c.svc, [name]);
  if (set) {
    const v = envValue(c.env, set.e);
    if (v.value !== null && v.value === (bitnami ? 'bitnami' : 'guest')) {
      return fail(
        c.target,
        nodeLoc(set.e.value),
        `\`${name}\` of ${c.who} is the image's well-known default password; set it from a secret (\`${name}_FILE\` or \`\${${name}:?}\`).`,
      );
    }
  }
  const pw = passwordVar(c, [name]);
  if (pw) return pw;
  const conf = [...mounts(c.env, c.svc).map((m) => m.target), ...fileTargets(c.svc, 'configs')].find(
    (t) => t?.startsWith('/etc/rabbitmq') || t?.startsWith('/opt/bitnami/rabbitmq/etc'),
  );
  if (conf)
    return unknown(
      c.target,
      missingLoc(c),
      `${c.who} reads configuration mounted at \`${conf}\`, which seaworthy does not read, so whether the default account is replaced is unknown.`,
    );
  const dflt = bitnami ? '`user`/`bitnami`' : '`guest`/`guest`';
  return (
    fromEnvFile(c, `\`${name}\``) ??
    fail(
      c.target,
      missingLoc(c),
      `${c.who} keeps the default ${dflt} account${bitnami ? '' : ', which the official image lets log in from any host'}; set \`${bitnami ? 'RABBITMQ_USERNAME' : 'RABBITMQ_DEFAULT_USER'}\` and \`${name}\` (from a secret).`,
    )
  );
}

function neo4j(c: Ctx): RawResult {
  const a = firstEnv(c.svc, ['NEO4J_AUTH']);
  if (a) {
    const v = envValue(c.env, a.e);
    if (v.raw !== null && v.value === null)
      return unknown(
        c.target,
        nodeLoc(a.e.value),
        `\`NEO4J_AUTH\` of \`${c.svc.name}\` comes from a variable without a default, so whether it is \`none\` is unknown.`,
      );
    if (v.value?.trim().toLowerCase() === 'none') {
      return fail(
        c.target,
        nodeLoc(a.e.value),
        `\`NEO4J_AUTH=none\` turns off authentication in ${c.who}, so anyone who reaches it can read and change the graph; set \`NEO4J_AUTH_FILE\` (a secret) or \`NEO4J_AUTH=neo4j/\${NEO4J_PASSWORD:?}\`.`,
      );
    }
  }
  return (
    passwordVar(c, ['NEO4J_AUTH']) ??
    fromEnvFile(c, '`NEO4J_AUTH`') ??
    fail(
      c.target,
      missingLoc(c),
      `${c.who} starts with the default \`neo4j\`/\`neo4j\` account, which the first client to connect can claim; set \`NEO4J_AUTH_FILE\` (a secret) or \`NEO4J_AUTH\`.`,
    )
  );
}

function minio(c: Ctx): RawResult {
  const dflt = c.sd.ds.distribution === 'bitnami' ? '`minio`/`miniosecret`' : '`minioadmin`/`minioadmin`';
  return (
    passwordVar(c, ['MINIO_ROOT_PASSWORD', 'MINIO_SECRET_KEY']) ??
    fromEnvFile(c, '`MINIO_ROOT_PASSWORD`') ??
    fail(
      c.target,
      missingLoc(c),
      `${c.who} starts with the default ${dflt} root credentials, which anyone who reaches its API can use; set \`MINIO_ROOT_USER\` and \`MINIO_ROOT_PASSWORD\` (from a secret).`,
    )
  );
}

function etcd(c: Ctx): RawResult | null {
  if (c.sd.ds.distribution !== 'bitnami') return null;
  return (
    switchOn(c, ['ALLOW_NONE_AUTHENTICATION'], 'turns authentication off', 'remove it and set `ETCD_ROOT_PASSWORD` from a secret') ??
    passwordVar(c, ['ETCD_ROOT_PASSWORD']) ??
    fromEnvFile(c, '`ETCD_ROOT_PASSWORD`') ??
    required(c, '`ETCD_ROOT_PASSWORD`')
  );
}

/** Kinds whose authentication settings are judged; other datastores (memcached, cassandra...) get no result. */
const JUDGES: Partial<Record<ServiceDatastore['ds']['kind'], (c: Ctx) => RawResult | null>> = {
  redis: redisLike,
  postgres,
  mysql: mysqlLike,
  mariadb: mysqlLike,
  mongo,
  elasticsearch,
  opensearch,
  rabbitmq,
  neo4j,
  minio,
  etcd,
};

const rule: Rule = {
  meta: {
    id: 'compose/datastore-auth',
    title: 'Datastores require authentication',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: [],
    rationale:
      'A datastore without authentication trusts every client that can open a connection: any other container on its network ' +
      '(so one compromised web service is enough), anyone on the host, and everyone on the internet if a port is published by ' +
      'mistake. Unauthenticated Redis, MongoDB and Elasticsearch are routinely found by scanners within hours, wiped and held ' +
      'for ransom; Redis also lets a client write files with `CONFIG SET`. Judged for Redis and compatible servers ' +
      '(`--requirepass`, ACL users), PostgreSQL (`POSTGRES_HOST_AUTH_METHOD=trust`), MySQL/MariaDB (empty root password: the official ' +
      'images turn `MYSQL_ALLOW_EMPTY_PASSWORD`/`MARIADB_ALLOW_EMPTY_ROOT_PASSWORD` on with any value that is not empty, even ' +
      '`false`, where Bitnami reads only yes/true/1; the official entrypoints still give root the root password when one is set, ' +
      'so with a root password that cannot be empty (a value, `${X:?}`, a `_FILE` secret or the random switch) the switch is moot, ' +
      "while Bitnami's switch also lets the database user be created without a password and keeps failing; " +
      "LinuxServer.io's MariaDB, unlike the official image, starts with an empty root password when `MYSQL_ROOT_PASSWORD` is " +
      'missing or shorter than 4 characters), ' +
      'MongoDB (no root user), Elasticsearch/OpenSearch (security disabled), RabbitMQ (default `guest`), Neo4j, MinIO and ' +
      'Bitnami images (`ALLOW_EMPTY_PASSWORD`). A password that comes only from an `env_file` is reported as unknown.',
    fix: 'Give the datastore a password from a secret or a required variable (`--requirepass ${REDIS_PASSWORD:?}`, `POSTGRES_PASSWORD_FILE: /run/secrets/db_password`) and remove settings that turn authentication off.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  cache:\n    image: redis:7.4-alpine\n' },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  cache:\n    image: redis:7.4-alpine\n    command: ["redis-server", "--requirepass", "${REDIS_PASSWORD:?set REDIS_PASSWORD}"]\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const sd = serviceDatastore(env, svc);
      if (!sd) continue;
      const judge = JUDGES[sd.ds.kind];
      if (!judge) continue;
      const r = judge({ env, svc, target, sd, who: `${sd.ds.product} (\`${svc.name}\`)` });
      if (r) out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
