/**
 * What fixture markers cannot express for the compose/ datastore and hardening rules: severity
 * overrides, services that get no result (not applicable), and messages that must not leak values.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runRule } from '../harness.js';
import { removeTempRepos, tempRepo } from '../temp-repo.js';

function repo(files: Record<string, string | Buffer>): string {
  return tempRepo(files, 'seaworthy-ds-');
}
afterEach(() => {
  removeTempRepos();
});

const compose = (body: string) => repo({ 'docker-compose.yml': `services:\n${body}` });

describe('compose/named-volumes severities', () => {
  it('is medium without a volume (or with an anonymous one / tmpfs) and low for a bind mount', async () => {
    const res = await runRule(
      'compose/named-volumes',
      compose(
        '  a:\n    image: postgres:16\n' +
          '  b:\n    image: postgres:16\n    volumes: [/var/lib/postgresql/data]\n' +
          '  c:\n    image: postgres:16\n    tmpfs: [/var/lib/postgresql/data]\n' +
          '  d:\n    image: postgres:16\n    volumes: ["./pg:/var/lib/postgresql/data"]\n' +
          '  e:\n    image: postgres:16\n    volumes: ["pg:/var/lib/postgresql/data"]\n',
      ),
    );
    expect(res.map((r) => [r.status, r.severity])).toEqual([
      ['fail', 'medium'],
      ['fail', 'medium'],
      ['fail', 'medium'],
      ['fail', undefined],
      ['pass', undefined],
    ]);
  });
  it('counts a named volume whose driver binds a host folder as a named volume', async () => {
    const res = await runRule(
      'compose/named-volumes',
      repo({
        'docker-compose.yml':
          'services:\n  db:\n    image: mongo:7\n    volumes: ["mongo_data:/data/db"]\nvolumes:\n  mongo_data:\n    driver_opts: {type: none, o: bind, device: /srv/mongo}\n',
      }),
    );
    expect(res.map((r) => [r.status, r.evidence])).toEqual([['pass', '`mongo_data` named volume']]);
  });
});

describe('datastore rules skip what is not a datastore', () => {
  const body =
    '  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n  exporter:\n    image: oliver006/redis_exporter:v1.62.0\n    ports: ["9121:9121"]\n';
  it.each(['compose/internal-ports', 'compose/datastore-auth', 'compose/named-volumes'])('%s', async (id) => {
    expect(await runRule(id, compose(body))).toEqual([]);
  });
  it('datastore-auth gives no verdict for stores whose auth it does not model (memcached)', async () => {
    expect(await runRule('compose/datastore-auth', compose('  mc:\n    image: memcached:1.6\n'))).toEqual([]);
  });
  it('named-volumes gives no result for stores that keep nothing on disk', async () => {
    expect(await runRule('compose/named-volumes', compose('  mc:\n    image: memcached:1.6\n'))).toEqual([]);
  });
});

describe('compose/datastore-auth never prints values', () => {
  it('names the variable, not the password', async () => {
    const res = await runRule(
      'compose/datastore-auth',
      compose(
        '  mq:\n    image: rabbitmq:3.13\n    environment:\n      RABBITMQ_DEFAULT_PASS: guest\n' +
          '  cache:\n    image: redis:7\n    command: redis-server --requirepass s3cr3t-value-not-to-print\n',
      ),
    );
    expect(res.map((r) => r.status)).toEqual(['fail', 'pass']);
    for (const r of res) expect(`${r.message} ${r.evidence ?? ''}`).not.toContain('s3cr3t-value-not-to-print');
    expect(res[0].message).toContain('`RABBITMQ_DEFAULT_PASS`');
    expect(res[0].message).not.toMatch(/RABBITMQ_DEFAULT_PASS[=:] ?guest/);
  });
});

describe('compose/datastore-auth fix hints', () => {
  it('gives redislabs/redismod (ENTRYPOINT redis-server) only the arguments', async () => {
    const res = await runRule('compose/datastore-auth', compose('  r:\n    image: redislabs/redismod\n  o:\n    image: redis:7\n'));
    expect(res.map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(res[0].message).toContain('`command: ["--requirepass", "${REDIS_PASSWORD:?}"]`');
    expect(res[0].message).toContain('keep the `--loadmodule` arguments');
    expect(res[1].message).toContain('`command: ["redis-server", "--requirepass", "${REDIS_PASSWORD:?}"]`');
  });
});

describe('compose/internal-ports', () => {
  it('reports every port on all interfaces, once per environment, and names the overlay that only appends', async () => {
    const dir = repo({
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n    ports: ["5432:5432"]\n',
      'docker-compose.prod.yml': 'services:\n  db:\n    ports: ["127.0.0.1:5432:5432"]\n',
    });
    const res = await runRule('compose/internal-ports', dir);
    expect(res.map((r) => [r.status, r.environment, r.location.file, r.location.line])).toEqual([
      ['fail', 'dev', 'docker-compose.yml', 4],
      ['fail', 'prod', 'docker-compose.yml', 4],
    ]);
    expect(res[1].message).toContain('docker-compose.prod.yml');
  });
  it('passes once `ports: !override` replaces the base list', async () => {
    const dir = repo({
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n    ports: ["5432:5432"]\n',
      'docker-compose.prod.yml': 'services:\n  db:\n    ports: !override ["127.0.0.1:5432:5432"]\n',
    });
    const res = await runRule('compose/internal-ports', dir);
    expect(res.map((r) => [r.status, r.environment, r.evidence])).toEqual([
      ['fail', 'dev', undefined],
      ['pass', 'prod', 'bound to 127.0.0.1'],
    ]);
  });
});
