/**
 * Datastore knowledge: which images run a database, cache, search engine, broker or object store,
 * on which ports they listen and where they keep their data. One data table; extend it by adding an
 * entry. Used by compose/internal-ports, compose/datastore-auth, compose/named-volumes (and later
 * by the Redis hardening checks).
 *
 * A service is recognised by its `image:` name, or by the base of the Dockerfile it builds
 * (`FROM postgres:16`); see `datastoreOf`.
 */
import { parseImageRef } from '../parse/image-ref.js';

/** The protocol family: images of one kind accept the same settings (`--requirepass`, `POSTGRES_PASSWORD`...). */
export type DatastoreKind =
  | 'postgres'
  | 'mysql'
  | 'mariadb'
  | 'redis'
  | 'mongo'
  | 'elasticsearch'
  | 'opensearch'
  | 'rabbitmq'
  | 'memcached'
  | 'etcd'
  | 'cassandra'
  | 'couchdb'
  | 'neo4j'
  | 'influxdb'
  | 'clickhouse'
  | 'minio'
  | 'mssql'
  | 'zookeeper'
  | 'arangodb'
  | 'qdrant'
  | 'meilisearch'
  | 'nats';

/**
 * Who publishes the image: settings differ (Bitnami images use `REDIS_PASSWORD`, `ALLOW_EMPTY_PASSWORD`, `/bitnami/...`;
 * LinuxServer.io images keep everything under `/config`).
 */
export type Distribution = 'official' | 'bitnami' | 'linuxserver' | 'vendor';

export interface Datastore {
  kind: DatastoreKind;
  /** Product name for messages: `PostgreSQL`, `Valkey`, `Redis Stack`. */
  product: string;
  distribution: Distribution;
  /** The table name that matched (`postgres`, `bitnami/redis`). */
  image: string;
  /** Tag of the reference that was looked up (`16-alpine`), null when none. */
  tag: string | null;
  /** Ports the server listens on by default (the first is the client port). */
  ports: number[];
  /**
   * Where the server keeps its data by default: alternatives, a volume on any one of these paths
   * (or on a parent folder other than `/`) persists it — several when the place depends on a version
   * the tag does not tell. Empty for stores that keep nothing on disk (memcached).
   */
  dataDirs: string[];
  /** Where the image suggests mounting the volume when that is a parent of the data directory (its VOLUME: `/var/lib/postgresql` from PostgreSQL 18 on). */
  volumeTarget?: string;
  /** Where older versions kept their data: a volume there no longer holds it (`/var/lib/postgresql/data` from PostgreSQL 18 on). */
  formerDataDirs?: string[];
  /** Environment variable that moves the data directory (`PGDATA`). */
  dataDirEnv?: string;
  /** Command-line flag that moves the data directory (`--data-dir` for etcd, `--dir` for redis). */
  dataDirFlag?: string;
  /** The data directory is the first absolute path after this command word (`minio server /data`). */
  dataDirAfterWord?: string;
  /** The image's ENTRYPOINT is the server itself (`redis-server`): `command:` holds only its arguments. */
  serverEntrypoint?: boolean;
}

type Facts = Omit<Datastore, 'image' | 'tag'>;

interface Entry extends Facts {
  /** Image names after removing `docker.io/` and `library/`, lower-case. */
  names: string[];
  /** Facts that depend on the tag (`postgres:18` keeps its data under `/var/lib/postgresql`). */
  byTag?: (tag: string | null) => Partial<Facts> | undefined;
}

/** Major version at the start of a tag (`16-alpine` → 16, `8.15.0` → 8); null for `latest`, `alpine`, none. */
export function tagMajor(tag: string | null): number | null {
  const m = tag ? /^v?(\d+)(?:[.-]|$)/.exec(tag) : null;
  return m ? Number(m[1]) : null;
}

/** Major and minor version at the start of a tag (`2.12.0` → [2, 12]); null when the tag does not start with both. */
export function tagVersion(tag: string | null): [number, number] | null {
  const m = tag ? /^v?(\d+)\.(\d+)/.exec(tag) : null;
  return m ? [Number(m[1]), Number(m[2])] : null;
}

const PG = ['/var/lib/postgresql/data'];

export const DATASTORES: Entry[] = [
  // ---- PostgreSQL and images built on the official one ----
  {
    names: ['postgres'],
    kind: 'postgres',
    product: 'PostgreSQL',
    distribution: 'official',
    ports: [5432],
    dataDirs: PG,
    dataDirEnv: 'PGDATA',
    // 18+ keeps data in /var/lib/postgresql/<major>/docker and declares VOLUME /var/lib/postgresql;
    // an unversioned tag may be either.
    byTag: (tag) => {
      const major = tagMajor(tag);
      if (major === null) return { dataDirs: [...PG, '/var/lib/postgresql'] };
      return major >= 18
        ? { dataDirs: [`/var/lib/postgresql/${major}/docker`], volumeTarget: '/var/lib/postgresql', formerDataDirs: PG }
        : undefined;
    },
  },
  {
    names: ['postgis/postgis', 'timescale/timescaledb', 'pgvector/pgvector', 'ankane/pgvector', 'supabase/postgres', 'citusdata/citus'],
    kind: 'postgres',
    product: 'PostgreSQL',
    distribution: 'vendor',
    ports: [5432],
    dataDirs: PG,
    dataDirEnv: 'PGDATA',
  },
  {
    names: ['timescale/timescaledb-ha'],
    kind: 'postgres',
    product: 'PostgreSQL',
    distribution: 'vendor',
    ports: [5432],
    dataDirs: ['/home/postgres/pgdata'],
    dataDirEnv: 'PGDATA',
  },
  {
    names: ['bitnami/postgresql', 'bitnami/postgresql-repmgr'],
    kind: 'postgres',
    product: 'PostgreSQL',
    distribution: 'bitnami',
    ports: [5432],
    dataDirs: ['/bitnami/postgresql'],
  },

  // ---- MySQL / MariaDB ----
  {
    names: ['mysql', 'mysql/mysql-server', 'percona', 'percona/percona-server'],
    kind: 'mysql',
    product: 'MySQL',
    distribution: 'official',
    ports: [3306, 33060],
    dataDirs: ['/var/lib/mysql'],
  },
  { names: ['bitnami/mysql'], kind: 'mysql', product: 'MySQL', distribution: 'bitnami', ports: [3306], dataDirs: ['/bitnami/mysql/data'] },
  { names: ['mariadb'], kind: 'mariadb', product: 'MariaDB', distribution: 'official', ports: [3306], dataDirs: ['/var/lib/mysql'] },
  {
    names: ['bitnami/mariadb', 'bitnami/mariadb-galera'],
    kind: 'mariadb',
    product: 'MariaDB',
    distribution: 'bitnami',
    ports: [3306],
    dataDirs: ['/bitnami/mariadb'],
  },
  {
    // LinuxServer.io's own build (not the official image): `ENV DATADIR=/config/databases`, `VOLUME /config`.
    // Also served as `lscr.io/linuxserver/mariadb` and `ghcr.io/linuxserver/mariadb` (see `lookupName`).
    names: ['linuxserver/mariadb'],
    kind: 'mariadb',
    product: 'MariaDB',
    distribution: 'linuxserver',
    ports: [3306],
    dataDirs: ['/config/databases'],
    volumeTarget: '/config',
    dataDirEnv: 'DATADIR',
  },

  // ---- Redis protocol (all accept `--requirepass`) ----
  { names: ['redis'], kind: 'redis', product: 'Redis', distribution: 'official', ports: [6379], dataDirs: ['/data'], dataDirFlag: '--dir' },
  {
    names: ['redis/redis-stack', 'redis/redis-stack-server'],
    kind: 'redis',
    product: 'Redis Stack',
    distribution: 'vendor',
    ports: [6379, 8001],
    dataDirs: ['/data'],
    dataDirFlag: '--dir',
  },
  {
    // Redis Labs' module images, built on the official redis (WORKDIR /data, CMD `redis-server --loadmodule ...`).
    names: ['redislabs/rejson', 'redislabs/redisearch'],
    kind: 'redis',
    product: 'Redis',
    distribution: 'vendor',
    ports: [6379],
    dataDirs: ['/data'],
    dataDirFlag: '--dir',
  },
  {
    // The same with all modules; its ENTRYPOINT is `redis-server` and CMD the `--loadmodule` arguments.
    names: ['redislabs/redismod'],
    kind: 'redis',
    product: 'Redis',
    distribution: 'vendor',
    ports: [6379],
    dataDirs: ['/data'],
    dataDirFlag: '--dir',
    serverEntrypoint: true,
  },
  {
    names: ['valkey/valkey'],
    kind: 'redis',
    product: 'Valkey',
    distribution: 'vendor',
    ports: [6379],
    dataDirs: ['/data'],
    dataDirFlag: '--dir',
  },
  {
    names: ['eqalpha/keydb'],
    kind: 'redis',
    product: 'KeyDB',
    distribution: 'vendor',
    ports: [6379],
    dataDirs: ['/data'],
    dataDirFlag: '--dir',
  },
  {
    names: ['docker.dragonflydb.io/dragonflydb/dragonfly', 'dragonflydb/dragonfly'],
    kind: 'redis',
    product: 'Dragonfly',
    distribution: 'vendor',
    ports: [6379],
    dataDirs: ['/data'],
    dataDirFlag: '--dir',
  },
  { names: ['bitnami/redis'], kind: 'redis', product: 'Redis', distribution: 'bitnami', ports: [6379], dataDirs: ['/bitnami/redis/data'] },
  {
    names: ['bitnami/valkey'],
    kind: 'redis',
    product: 'Valkey',
    distribution: 'bitnami',
    ports: [6379],
    dataDirs: ['/bitnami/valkey/data'],
  },

  // ---- MongoDB ----
  {
    names: ['mongo', 'mongodb/mongodb-community-server', 'mongodb/mongodb-enterprise-server'],
    kind: 'mongo',
    product: 'MongoDB',
    distribution: 'official',
    ports: [27017],
    dataDirs: ['/data/db'],
    dataDirFlag: '--dbpath',
  },
  {
    names: ['bitnami/mongodb'],
    kind: 'mongo',
    product: 'MongoDB',
    distribution: 'bitnami',
    ports: [27017],
    dataDirs: ['/bitnami/mongodb'],
  },

  // ---- Search ----
  {
    names: ['elasticsearch', 'docker.elastic.co/elasticsearch/elasticsearch', 'docker.elastic.co/elasticsearch/elasticsearch-oss'],
    kind: 'elasticsearch',
    product: 'Elasticsearch',
    distribution: 'official',
    ports: [9200, 9300],
    dataDirs: ['/usr/share/elasticsearch/data'],
  },
  {
    names: ['bitnami/elasticsearch'],
    kind: 'elasticsearch',
    product: 'Elasticsearch',
    distribution: 'bitnami',
    ports: [9200, 9300],
    dataDirs: ['/bitnami/elasticsearch/data'],
  },
  {
    names: ['opensearchproject/opensearch'],
    kind: 'opensearch',
    product: 'OpenSearch',
    distribution: 'vendor',
    ports: [9200, 9300, 9600],
    dataDirs: ['/usr/share/opensearch/data'],
  },
  {
    names: ['bitnami/opensearch'],
    kind: 'opensearch',
    product: 'OpenSearch',
    distribution: 'bitnami',
    ports: [9200, 9300],
    dataDirs: ['/bitnami/opensearch/data'],
  },
  {
    names: ['getmeili/meilisearch'],
    kind: 'meilisearch',
    product: 'Meilisearch',
    distribution: 'vendor',
    ports: [7700],
    dataDirs: ['/meili_data'],
  },
  {
    names: ['qdrant/qdrant'],
    kind: 'qdrant',
    product: 'Qdrant',
    distribution: 'vendor',
    ports: [6333, 6334],
    dataDirs: ['/qdrant/storage'],
  },

  // ---- Brokers and coordination ----
  {
    names: ['rabbitmq'],
    kind: 'rabbitmq',
    product: 'RabbitMQ',
    distribution: 'official',
    ports: [5672, 15672, 4369, 25672],
    dataDirs: ['/var/lib/rabbitmq'],
  },
  {
    names: ['bitnami/rabbitmq'],
    kind: 'rabbitmq',
    product: 'RabbitMQ',
    distribution: 'bitnami',
    ports: [5672, 15672],
    dataDirs: ['/bitnami/rabbitmq/mnesia'],
  },
  { names: ['nats'], kind: 'nats', product: 'NATS', distribution: 'official', ports: [4222, 8222, 6222], dataDirs: [] },
  {
    names: ['quay.io/coreos/etcd', 'gcr.io/etcd-development/etcd'],
    kind: 'etcd',
    product: 'etcd',
    distribution: 'vendor',
    ports: [2379, 2380],
    // The image sets no data directory: etcd writes `<name>.etcd` in its working directory unless told otherwise.
    dataDirs: ['/etcd-data', '/var/lib/etcd', '/default.etcd'],
    dataDirEnv: 'ETCD_DATA_DIR',
    dataDirFlag: '--data-dir',
  },
  { names: ['bitnami/etcd'], kind: 'etcd', product: 'etcd', distribution: 'bitnami', ports: [2379, 2380], dataDirs: ['/bitnami/etcd'] },
  { names: ['zookeeper'], kind: 'zookeeper', product: 'ZooKeeper', distribution: 'official', ports: [2181], dataDirs: ['/data'] },

  // ---- Caches ----
  {
    names: ['memcached', 'bitnami/memcached'],
    kind: 'memcached',
    product: 'Memcached',
    distribution: 'official',
    ports: [11211],
    dataDirs: [],
  },

  // ---- Other databases ----
  {
    names: ['cassandra'],
    kind: 'cassandra',
    product: 'Cassandra',
    distribution: 'official',
    ports: [9042, 7000, 7001, 7199, 9160],
    dataDirs: ['/var/lib/cassandra'],
  },
  {
    names: ['bitnami/cassandra'],
    kind: 'cassandra',
    product: 'Cassandra',
    distribution: 'bitnami',
    ports: [9042, 7000],
    dataDirs: ['/bitnami/cassandra'],
  },
  {
    names: ['couchdb', 'apache/couchdb'],
    kind: 'couchdb',
    product: 'CouchDB',
    distribution: 'official',
    ports: [5984],
    dataDirs: ['/opt/couchdb/data'],
  },
  { names: ['neo4j'], kind: 'neo4j', product: 'Neo4j', distribution: 'official', ports: [7474, 7687], dataDirs: ['/data'] },
  {
    names: ['influxdb'],
    kind: 'influxdb',
    product: 'InfluxDB',
    distribution: 'official',
    ports: [8086],
    dataDirs: ['/var/lib/influxdb2'],
    formerDataDirs: ['/var/lib/influxdb'],
    byTag: (tag) => {
      const major = tagMajor(tag);
      if (major === null) return { dataDirs: ['/var/lib/influxdb2', '/var/lib/influxdb3', '/var/lib/influxdb'], formerDataDirs: [] };
      if (major === 1) return { dataDirs: ['/var/lib/influxdb'], formerDataDirs: [] };
      if (major >= 3) return { dataDirs: ['/var/lib/influxdb3'], formerDataDirs: ['/var/lib/influxdb2', '/var/lib/influxdb'] };
      return undefined;
    },
  },
  {
    names: ['clickhouse/clickhouse-server', 'clickhouse', 'yandex/clickhouse-server'],
    kind: 'clickhouse',
    product: 'ClickHouse',
    distribution: 'official',
    ports: [8123, 9000, 9009],
    dataDirs: ['/var/lib/clickhouse'],
  },
  {
    names: ['bitnami/clickhouse'],
    kind: 'clickhouse',
    product: 'ClickHouse',
    distribution: 'bitnami',
    ports: [8123, 9000],
    dataDirs: ['/bitnami/clickhouse'],
  },
  {
    names: ['mcr.microsoft.com/mssql/server', 'mcr.microsoft.com/azure-sql-edge'],
    kind: 'mssql',
    product: 'SQL Server',
    distribution: 'vendor',
    ports: [1433],
    dataDirs: ['/var/opt/mssql'],
  },
  {
    names: ['arangodb', 'arangodb/arangodb'],
    kind: 'arangodb',
    product: 'ArangoDB',
    distribution: 'official',
    ports: [8529],
    dataDirs: ['/var/lib/arangodb3'],
  },

  // ---- Object storage ----
  {
    names: ['minio/minio', 'quay.io/minio/minio'],
    kind: 'minio',
    product: 'MinIO',
    distribution: 'vendor',
    ports: [9000, 9001],
    dataDirs: ['/data'],
    dataDirAfterWord: 'server',
  },
  {
    names: ['bitnami/minio'],
    kind: 'minio',
    product: 'MinIO',
    distribution: 'bitnami',
    ports: [9000, 9001],
    dataDirs: ['/bitnami/minio/data'],
  },
];

/** Registry prefixes that mirror Docker Hub's official images. */
const MIRRORS = ['mirror.gcr.io/', 'public.ecr.aws/docker/library/', 'registry.hub.docker.com/library/', 'registry.hub.docker.com/'];

const BY_NAME = new Map<string, Entry>();
for (const e of DATASTORES) for (const n of e.names) BY_NAME.set(n, e);

/** Publishers whose images are their own builds: `<registry>/<publisher>/<name>` is never a copy of the official `<name>`. */
const PUBLISHERS = new Set(['bitnami', 'linuxserver']);

function lookupName(name: string): { entry: Entry; matched: string } | undefined {
  let n = name;
  for (const m of MIRRORS) if (n.startsWith(m)) n = n.slice(m.length);
  // Bitnami's archived and hardened repositories carry the same images.
  n = n.replace(/^(?:bitnamilegacy|bitnamisecure)\//, 'bitnami/');
  const hit = BY_NAME.get(n);
  if (hit) return { entry: hit, matched: n };
  const parts = n.split('/');
  if (parts.length >= 2 && /[.:]|^localhost$/.test(parts[0])) {
    // Another registry serving a publisher's image (`lscr.io/linuxserver/mariadb`, `ghcr.io/linuxserver/mariadb`,
    // `harbor.corp/hub/bitnami/redis`): the path after the host ends with a known `publisher/name`.
    for (let i = 1; i < parts.length - 1; i++) {
      const rest = parts.slice(i).join('/');
      const known = BY_NAME.get(rest);
      if (known) return { entry: known, matched: rest };
    }
    // Any other image of such a publisher is its own build: nothing is known about it.
    if (parts.length >= 3 && PUBLISHERS.has(parts[parts.length - 2])) return undefined;
    // A private registry's copy of an official image (`registry.example.com/library/postgres`,
    // `harbor.corp:5000/hub/redis`): a registry host, then a path whose last part is an official name.
    const last = parts[parts.length - 1];
    const official = BY_NAME.get(last);
    if (official && official.distribution === 'official') return { entry: official, matched: last };
  }
  return undefined;
}

/**
 * The datastore an image runs, from its reference (`postgres:16-alpine`, `docker.io/library/redis`,
 * `bitnami/redis:7.2`, `quay.io/coreos/etcd:v3.5.13`); null when the image is not a known datastore
 * or the reference is null/empty. Interpolation must be resolved by the caller.
 */
export function datastoreOf(imageName: string | null): Datastore | null {
  if (!imageName?.trim() || imageName.includes('$')) return null;
  const ref = parseImageRef(imageName);
  const hit = lookupName(ref.name);
  if (!hit) return null;
  const { names: _names, byTag, ...facts } = hit.entry;
  const over = byTag?.(ref.tag) ?? {};
  return {
    ...facts,
    ...over,
    dataDirs: [...(over.dataDirs ?? facts.dataDirs)],
    ports: [...(over.ports ?? facts.ports)],
    image: hit.matched,
    tag: ref.tag,
  };
}

/** Whether a container path holds the data directory: the directory itself or a parent of it (not `/`). */
export function coversDataDir(mountTarget: string, dataDir: string): boolean {
  const t = normalisePath(mountTarget);
  const d = normalisePath(dataDir);
  if (t === '/' || t === '') return false;
  return d === t || d.startsWith(`${t}/`);
}

function normalisePath(p: string): string {
  const parts: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') parts.pop();
    else parts.push(s);
  }
  return `/${parts.join('/')}`;
}
