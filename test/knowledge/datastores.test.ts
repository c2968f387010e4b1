import { describe, expect, it } from 'vitest';
import { coversDataDir, DATASTORES, datastoreOf, tagMajor, tagVersion } from '../../src/knowledge/datastores.js';

describe('datastoreOf', () => {
  it.each([
    ['postgres', 'postgres', 'PostgreSQL', 5432],
    ['postgres:16-alpine', 'postgres', 'PostgreSQL', 5432],
    ['docker.io/library/postgres:16', 'postgres', 'PostgreSQL', 5432],
    ['postgis/postgis:16-3.4', 'postgres', 'PostgreSQL', 5432],
    ['timescale/timescaledb:latest-pg16', 'postgres', 'PostgreSQL', 5432],
    ['mysql:8.4', 'mysql', 'MySQL', 3306],
    ['mariadb:11', 'mariadb', 'MariaDB', 3306],
    ['redis:7.4-alpine', 'redis', 'Redis', 6379],
    ['valkey/valkey:8', 'redis', 'Valkey', 6379],
    ['redis/redis-stack:7.4.0-v1', 'redis', 'Redis Stack', 6379],
    ['bitnami/redis:7.2', 'redis', 'Redis', 6379],
    ['mongo:7', 'mongo', 'MongoDB', 27017],
    ['elasticsearch:8.15.0', 'elasticsearch', 'Elasticsearch', 9200],
    ['docker.elastic.co/elasticsearch/elasticsearch:8.15.0', 'elasticsearch', 'Elasticsearch', 9200],
    ['opensearchproject/opensearch:2.17.0', 'opensearch', 'OpenSearch', 9200],
    ['rabbitmq:3.13-management', 'rabbitmq', 'RabbitMQ', 5672],
    ['memcached:1.6', 'memcached', 'Memcached', 11211],
    ['bitnami/etcd:3.5', 'etcd', 'etcd', 2379],
    ['quay.io/coreos/etcd:v3.5.13', 'etcd', 'etcd', 2379],
    ['cassandra:5', 'cassandra', 'Cassandra', 9042],
    ['couchdb:3', 'couchdb', 'CouchDB', 5984],
    ['neo4j:5', 'neo4j', 'Neo4j', 7474],
    ['influxdb:2.7', 'influxdb', 'InfluxDB', 8086],
    ['clickhouse/clickhouse-server:24.8', 'clickhouse', 'ClickHouse', 8123],
    ['minio/minio:RELEASE.2024-10-02T17-50-41Z', 'minio', 'MinIO', 9000],
  ])('%s → %s', (ref, kind, product, port) => {
    const ds = datastoreOf(ref);
    expect(ds?.kind).toBe(kind);
    expect(ds?.product).toBe(product);
    expect(ds?.ports[0]).toBe(port);
  });

  it('knows where each keeps its data', () => {
    expect(datastoreOf('postgres:16')?.dataDirs).toEqual(['/var/lib/postgresql/data']);
    expect(datastoreOf('redis:7')?.dataDirs).toEqual(['/data']);
    expect(datastoreOf('bitnami/redis:7.2')?.dataDirs).toEqual(['/bitnami/redis/data']);
    expect(datastoreOf('mysql:8')?.dataDirs).toEqual(['/var/lib/mysql']);
    expect(datastoreOf('mongo:7')?.dataDirs).toEqual(['/data/db']);
    expect(datastoreOf('elasticsearch:8.15.0')?.dataDirs).toEqual(['/usr/share/elasticsearch/data']);
    expect(datastoreOf('rabbitmq:3')?.dataDirs).toEqual(['/var/lib/rabbitmq']);
    expect(datastoreOf('memcached')?.dataDirs).toEqual([]);
  });

  it('follows data directories that depend on the version', () => {
    expect(datastoreOf('postgres:18-alpine')?.dataDirs).toEqual(['/var/lib/postgresql/18/docker']);
    // Unknown version: either place counts.
    expect(datastoreOf('postgres')?.dataDirs).toEqual(['/var/lib/postgresql/data', '/var/lib/postgresql']);
    expect(datastoreOf('influxdb:1.8')?.dataDirs).toEqual(['/var/lib/influxdb']);
    expect(datastoreOf('influxdb:2.7')?.dataDirs).toEqual(['/var/lib/influxdb2']);
  });

  it('keeps the tag and the matched name', () => {
    const ds = datastoreOf('docker.io/bitnami/redis:7.2@sha256:abc');
    expect(ds?.image).toBe('bitnami/redis');
    expect(ds?.tag).toBe('7.2');
    expect(ds?.distribution).toBe('bitnami');
  });

  it('recognises mirrors and private registries of official images', () => {
    expect(datastoreOf('mirror.gcr.io/redis:7')?.kind).toBe('redis');
    expect(datastoreOf('public.ecr.aws/docker/library/postgres:16')?.kind).toBe('postgres');
    expect(datastoreOf('registry.example.com:5000/library/mongo:7')?.kind).toBe('mongo');
    expect(datastoreOf('bitnamilegacy/postgresql:16')?.distribution).toBe('bitnami');
  });

  it('knows publishers whose images are their own builds, on any registry', () => {
    for (const ref of ['lscr.io/linuxserver/mariadb:11.4.5', 'ghcr.io/linuxserver/mariadb:alpine', 'linuxserver/mariadb']) {
      const ds = datastoreOf(ref);
      expect(ds?.distribution, ref).toBe('linuxserver');
      expect(ds?.dataDirs, ref).toEqual(['/config/databases']);
      expect(ds?.volumeTarget, ref).toBe('/config');
    }
    expect(datastoreOf('registry.example.com/hub/bitnami/redis:7.2')?.distribution).toBe('bitnami');
    // An image of such a publisher that is not in the table is not the official one of the same name.
    expect(datastoreOf('lscr.io/linuxserver/redis')).toBeNull();
    expect(datastoreOf('registry.example.com/bitnami/nats')).toBeNull();
  });

  it("knows Redis Labs' module images", () => {
    for (const ref of ['redislabs/redismod', 'redislabs/rejson:2.6.0', 'redislabs/redisearch:2.8.0', 'redis/redis-stack-server:7.4.0-v1']) {
      expect(datastoreOf(ref)?.kind, ref).toBe('redis');
      expect(datastoreOf(ref)?.dataDirs, ref).toEqual(['/data']);
    }
    expect(datastoreOf('redislabs/redismod')?.serverEntrypoint).toBe(true);
  });

  it('does not guess', () => {
    expect(datastoreOf(null)).toBeNull();
    expect(datastoreOf('')).toBeNull();
    expect(datastoreOf('${DB_IMAGE}')).toBeNull();
    expect(datastoreOf('nginx:1.27')).toBeNull();
    expect(datastoreOf('oliver006/redis_exporter')).toBeNull();
    expect(datastoreOf('someone/postgres')).toBeNull();
    expect(datastoreOf('prometheuscommunity/postgres-exporter')).toBeNull();
    expect(datastoreOf('redis-commander')).toBeNull();
  });

  it('has one entry per name, each with ports', () => {
    const names = DATASTORES.flatMap((e) => e.names);
    expect(new Set(names).size).toBe(names.length);
    for (const e of DATASTORES) expect(e.ports.length, e.names[0]).toBeGreaterThan(0);
  });
});

describe('tag versions', () => {
  it('reads major and minor', () => {
    expect(tagMajor('16-alpine')).toBe(16);
    expect(tagMajor('v3.5.13')).toBe(3);
    expect(tagMajor('8.15.0')).toBe(8);
    expect(tagMajor('latest')).toBeNull();
    expect(tagMajor('alpine')).toBeNull();
    expect(tagMajor(null)).toBeNull();
    expect(tagVersion('2.12.0')).toEqual([2, 12]);
    expect(tagVersion('2')).toBeNull();
  });
});

describe('coversDataDir', () => {
  it('accepts the directory or a parent, not /', () => {
    expect(coversDataDir('/var/lib/postgresql/data', '/var/lib/postgresql/data')).toBe(true);
    expect(coversDataDir('/var/lib/postgresql/data/', '/var/lib/postgresql/data')).toBe(true);
    expect(coversDataDir('/var/lib/postgresql', '/var/lib/postgresql/data')).toBe(true);
    expect(coversDataDir('/var/lib/postgresql/data/pgdata', '/var/lib/postgresql/data')).toBe(false);
    expect(coversDataDir('/var/lib/postgres', '/var/lib/postgresql/data')).toBe(false);
    expect(coversDataDir('/', '/data')).toBe(false);
  });
});
