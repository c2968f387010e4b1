/** Shared compose helpers of the healthcheck and mount rules: compose probes, severities of mount findings. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initShell } from '../../src/parse/shell.js';
import { get, type PNode, parseYaml } from '../../src/parse/yaml.js';
import { healthTest } from '../../src/model/build.js';
import { composeProbe, safeWords } from '../../src/rules/_compose-health.js';
import { describeProbe } from '../../src/rules/_probe.js';
import { cleanup, FIXTURES, materialise, runRule } from '../harness.js';

beforeAll(async () => {
  await initShell();
});

function testNode(yaml: string): PNode {
  const root = parseYaml('docker-compose.yml', yaml).root;
  return get(root, 'test') as PNode;
}

describe('composeProbe', () => {
  it('reads CMD as exec form with the argv ranges of the file', () => {
    const p = composeProbe(healthTest(testNode('test: ["CMD", "pg_isready", "-U", "app"]\n')));
    expect(p?.form).toBe('exec');
    expect(p?.argv).toEqual(['pg_isready', '-U', 'app']);
    expect(p?.argvRanges?.[0]).toMatchObject({ line: 1, column: 15 });
    expect(describeProbe(p as NonNullable<typeof p>)).toBe('`pg_isready -U app`');
  });

  it('reads CMD-SHELL and plain strings as shell form, positioned in the file', () => {
    const p = composeProbe(healthTest(testNode('test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]\n')));
    expect(p?.form).toBe('shell');
    expect(p?.script?.commands[0].nameWord?.range).toMatchObject({ line: 1, column: 22 });
    const s = composeProbe(healthTest(testNode('test: wget -q --spider http://localhost:8080\n')));
    expect(s?.form).toBe('shell');
    expect(s?.script?.commands[0].name).toBe('wget');
    expect(s?.script?.commands[0].nameWord?.range).toMatchObject({ line: 1, column: 7 });
  });

  it('parses the script of CMD sh -c', () => {
    const p = composeProbe(healthTest(testNode('test: ["CMD", "sh", "-c", "redis-cli ping | grep PONG"]\n')));
    expect(p?.form).toBe('exec');
    expect(p?.script?.commands.map((c) => c.name)).toEqual(['redis-cli', 'grep']);
  });

  it('has no probe for NONE or an empty test', () => {
    expect(composeProbe(healthTest(testNode('test: ["NONE"]\n')))).toBeNull();
    expect(composeProbe(healthTest(testNode('test: []\n')))).toBeNull();
  });
});

describe('safeWords', () => {
  it.each([
    ['`mysqladmin ping -u root -pS3cretPass`', '`mysqladmin ping -u root -p****`'],
    ['`redis-cli -a hunter22 ping`', '`redis-cli -a **** ping`'],
    ['`redis-cli --pass s3cr3t ping`', '`redis-cli --pass **** ping`'],
    ['`curl -u admin:pw123 -f http://x`', '`curl -u admin:**** -f http://x`'],
    ['`curl -f http://user:pw@host/health`', '`curl -f http://user:****@host/health`'],
    ['`redis-cli -a $$REDIS_PASSWORD ping`', '`redis-cli -a $REDIS_PASSWORD ping`'],
    ['`pg_isready -U app`', '`pg_isready -U app`'],
    ['`redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping`', '`redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping`'],
    ['`redis-cli -a "s3cret" ping`', '`redis-cli -a "****" ping`'],
    ['`PGPASSWORD=literalS3cret pg_isready -U app`', '`PGPASSWORD=**** pg_isready -U app`'],
    ['`PGPASSWORD=$DB_PASSWORD pg_isready -U app`', '`PGPASSWORD=$DB_PASSWORD pg_isready -U app`'],
    ['`PGPASSWORD=${POSTGRES_PASSWORD:-s3cretdefault} pg_isready -…`', '`PGPASSWORD=${POSTGRES_PASSWORD:-****} pg_isready -…`'],
    ['`PGPASSWORD=${POSTGRES_PASSWORD:-s3cretdef…`', '`PGPASSWORD=${POSTGRES_PASSWORD:-****…`'],
    ['`wget -q --header "X-Api-Key: ${API_KEY:-k3yvalue}" http://l…`', '`wget -q --header "X-Api-Key: ${API_KEY:-****}" http://l…`'],
    ['`curl -f http://localhost:${PORT:-8080}/health`', '`curl -f http://localhost:${PORT:-8080}/health`'],
    ['`env LANG=C.UTF-8 pg_isready`', '`env LANG=C.UTF-8 pg_isready`'],
    // Clients whose password is a short flag with the value in the next word.
    ['`mongosh -u root -p Hunter2x --quiet --eval …`', '`mongosh -u root -p **** --quiet --eval …`'],
    ['`/usr/bin/mongo -u root -p "Hunter2x" --eval …`', '`/usr/bin/mongo -u root -p "****" --eval …`'],
    ['`mongosh -u root -p $$MONGO_PASSWORD --eval …`', '`mongosh -u root -p $MONGO_PASSWORD --eval …`'],
    ['`/opt/mssql-tools/bin/sqlcmd -S localhost -U sa -P Hunter2x -Q …`', '`/opt/mssql-tools/bin/sqlcmd -S localhost -U sa -P **** -Q …`'],
    ['`sqlcmd -S localhost -U sa -PHunter2x -Q …`', '`sqlcmd -S localhost -U sa -P**** -Q …`'],
    ['`/opt/mssql-tools/bin/sqlcmd -S localhost -U sa -P example_1…`', '`/opt/mssql-tools/bin/sqlcmd -S localhost -U sa -P ****…`'],
    ['`influx ping -t Hunter2x`', '`influx ping -t ****`'],
    // The same short flags mean other things to other programs: kept.
    ['`redis-cli -h cache -p 6379 ping`', '`redis-cli -h cache -p 6379 ping`'],
    ['`mysqladmin ping -h db -P 3306`', '`mysqladmin ping -h db -P 3306`'],
    ['`curl -t 5 http://localhost/`', '`curl -t 5 http://localhost/`'],
    // Options named for a secret, and credentials in HTTP headers.
    ['`rabbitmqctl --erlang-cookie Hunter2x status`', '`rabbitmqctl --erlang-cookie **** status`'],
    ['`app health --api-key=Hunter2x`', '`app health --api-key=****`'],
    ['`curl -H "Authorization: Basic YWRtaW46SHVudGVy" http://l…`', '`curl -H "Authorization: Basic ****" http://l…`'],
    ['`curl -H "X-Api-Key: Hunter2x" http://localhost/`', '`curl -H "X-Api-Key: ****" http://localhost/`'],
    ['`curl -H "X-Auth-Token: $$TOKEN" http://localhost/`', '`curl -H "X-Auth-Token: $TOKEN" http://localhost/`'],
    // A default after a secret option is a value whatever the variable's name; a substitution or a file path is not.
    ['`app health --password=${APP_PW:-hunter22}`', '`app health --password=****`'],
    ['`redis-cli -a "$$(cat /run/secrets/redis)" ping`', '`redis-cli -a "$(cat /run/secrets/redis)" ping`'],
    ['`app health --key /run/secrets/tls.key`', '`app health --key /run/secrets/tls.key`'],
  ])('%s → %s', (words, want) => {
    expect(safeWords(words)).toBe(want);
  });
});

describe('compose/no-sensitive-mounts severities', () => {
  it('is high read-write and medium read-only', async () => {
    const dir = materialise(join(FIXTURES, 'compose/no-sensitive-mounts/bad-system-directories'));
    try {
      const res = (await runRule('compose/no-sensitive-mounts', dir)).filter((r) => r.status === 'fail');
      const byLine = Object.fromEntries(res.map((r) => [r.location.line, r.severity ?? 'high']));
      expect(byLine).toEqual({ 6: 'high', 8: 'medium', 10: 'high', 12: 'medium', 15: 'medium' });
    } finally {
      cleanup(dir);
    }
  });
});
