/**
 * Merge semantics, table-driven: one group per key class of the Compose Specification "Merge and
 * override" rules as compose-go implements them. Each case is a base / overlay / expected triple;
 * the expected YAML is written in the normalised form the loader produces (`environment`, `labels`,
 * `build.args` and `depends_on` as maps, `build` as a mapping).
 */
import { describe, expect, it } from 'vitest';
import { parsePort, volumeTarget } from '../../src/compose/merge.js';
import { at, get, type PMap, type PNode } from '../../src/parse/yaml.js';
import { doc, mergeYaml, plainYaml, toPlain, y } from './helpers.js';

interface Case {
  name: string;
  base: string;
  overlay: string;
  expected: string;
}

const groups: Record<string, Case[]> = {
  mappings: [
    {
      name: 'missing entries are added, conflicting scalars replaced (spec example)',
      base: y`
        services:
          foo:
            key1: value1
            key2: value2`,
      overlay: y`
        services:
          foo:
            key2: VALUE
            key3: value3`,
      expected: y`
        services:
          foo:
            key1: value1
            key2: VALUE
            key3: value3`,
    },
    {
      name: 'nested mappings merge recursively (deploy.resources)',
      base: y`
        services:
          api:
            image: api:1
            deploy:
              resources:
                limits: {cpus: "0.5"}
                reservations: {memory: 64M}`,
      overlay: y`
        services:
          api:
            deploy:
              resources:
                limits: {memory: 256M}
              restart_policy: {condition: on-failure}`,
      expected: y`
        services:
          api:
            image: api:1
            deploy:
              resources:
                limits: {cpus: "0.5", memory: 256M}
                reservations: {memory: 64M}
              restart_policy: {condition: on-failure}`,
    },
    {
      name: 'a service only in the overlay is added; top-level resources merge by name',
      base: y`
        services:
          web: {image: nginx:1.27}
        volumes:
          data: {}
        networks:
          front: {driver: bridge}`,
      overlay: y`
        services:
          worker: {image: worker:2}
        volumes:
          logs: {}
        networks:
          front: {internal: true}`,
      expected: y`
        services:
          web: {image: nginx:1.27}
          worker: {image: worker:2}
        volumes:
          data: {}
          logs: {}
        networks:
          front: {driver: bridge, internal: true}`,
    },
    {
      name: 'other sequences are appended (deploy.placement.constraints)',
      base: y`
        services:
          api:
            deploy:
              placement:
                constraints: [node.role == worker]`,
      overlay: y`
        services:
          api:
            deploy:
              placement:
                constraints: [node.labels.zone == a]`,
      expected: y`
        services:
          api:
            deploy:
              placement:
                constraints: [node.role == worker, node.labels.zone == a]`,
    },
    {
      name: '`build: ctx` and a build mapping merge as mappings',
      base: y`
        services:
          api:
            build: ./api`,
      overlay: y`
        services:
          api:
            build:
              target: prod`,
      expected: y`
        services:
          api:
            build: {context: ./api, target: prod}`,
    },
    {
      name: 'service networks: list and map forms merge by network name',
      base: y`
        services:
          api:
            networks: [front, back]`,
      overlay: y`
        services:
          api:
            networks:
              back:
                aliases: [db-client]`,
      expected: y`
        services:
          api:
            networks:
              front: null
              back: {aliases: [db-client]}`,
    },
    {
      name: 'an overlay setting a mapping or list to null leaves the base value; a null base takes the overlay',
      base: y`
        services:
          api:
            networks: [back]
            environment: {A: "1"}
            depends_on: null`,
      overlay: y`
        services:
          api:
            networks: null
            environment:
            depends_on: [db]`,
      expected: y`
        services:
          api:
            networks: {back: null}
            environment: {A: "1"}
            depends_on:
              db: {condition: service_started}`,
    },
  ],

  'command, entrypoint, healthcheck.test: replaced': [
    {
      name: 'command (exec form) is replaced, not appended (spec example)',
      base: y`
        services:
          foo:
            command: ["echo", "foo"]`,
      overlay: y`
        services:
          foo:
            command: ["echo", "bar"]`,
      expected: y`
        services:
          foo:
            command: ["echo", "bar"]`,
    },
    {
      name: 'command: null in the overlay unsets it (replaced, unlike mappings and lists)',
      base: y`
        services:
          foo:
            command: ["npm", "run", "dev"]
            healthcheck:
              test: ["CMD", "true"]`,
      overlay: y`
        services:
          foo:
            command: null
            healthcheck:
              test: null`,
      expected: y`
        services:
          foo:
            command: null
            healthcheck:
              test: null`,
    },
    {
      name: 'command: a string replaces a list',
      base: y`
        services:
          foo:
            command: ["gunicorn", "app:app"]`,
      overlay: y`
        services:
          foo:
            command: gunicorn --reload app:app`,
      expected: y`
        services:
          foo:
            command: gunicorn --reload app:app`,
    },
    {
      name: 'entrypoint is replaced',
      base: y`
        services:
          foo:
            entrypoint: ["/entrypoint.sh", "--init"]`,
      overlay: y`
        services:
          foo:
            entrypoint: ["tini", "--"]`,
      expected: y`
        services:
          foo:
            entrypoint: ["tini", "--"]`,
    },
    {
      name: 'healthcheck.test is replaced while the other healthcheck keys merge',
      base: y`
        services:
          foo:
            healthcheck:
              test: ["CMD", "python", "-c", "import urllib.request"]
              interval: 30s
              retries: 3`,
      overlay: y`
        services:
          foo:
            healthcheck:
              test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
              interval: 10s`,
      expected: y`
        services:
          foo:
            healthcheck:
              test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
              interval: 10s
              retries: 3`,
    },
  ],

  'environment, labels, sysctls, build.args: merged by key': [
    {
      name: 'environment map + map',
      base: y`
        services:
          app:
            environment:
              A: "1"
              B: "2"`,
      overlay: y`
        services:
          app:
            environment:
              B: "20"
              C: "3"`,
      expected: y`
        services:
          app:
            environment: {A: "1", B: "20", C: "3"}`,
    },
    {
      name: 'environment list + list',
      base: y`
        services:
          app:
            environment:
              - A=1
              - B=2`,
      overlay: y`
        services:
          app:
            environment:
              - B=20
              - C=3`,
      expected: y`
        services:
          app:
            environment: {A: "1", B: "20", C: "3"}`,
    },
    {
      name: 'environment list (base) + map (overlay)',
      base: y`
        services:
          app:
            environment:
              - DEBUG=1
              - SECRET_KEY=\${SECRET_KEY:-changeme}`,
      overlay: y`
        services:
          app:
            environment:
              DEBUG: "0"`,
      expected: y`
        services:
          app:
            environment:
              DEBUG: "0"
              SECRET_KEY: \${SECRET_KEY:-changeme}`,
    },
    {
      name: 'environment map (base) + list (overlay); a value with `=` keeps everything after the first `=`',
      base: y`
        services:
          app:
            environment:
              DATABASE_URL: postgres://db/app`,
      overlay: y`
        services:
          app:
            environment:
              - DATABASE_URL=postgres://db/app?sslmode=require
              - EXTRA=a=b`,
      expected: y`
        services:
          app:
            environment:
              DATABASE_URL: postgres://db/app?sslmode=require
              EXTRA: a=b`,
    },
    {
      name: 'environment: a bare name (list) or a null value (map) overrides with "from the shell"',
      base: y`
        services:
          app:
            environment:
              TOKEN: dev-token
              MODE: dev`,
      overlay: y`
        services:
          app:
            environment:
              - TOKEN
              - MODE=`,
      expected: y`
        services:
          app:
            environment: {TOKEN: null, MODE: ""}`,
    },
    {
      name: 'labels list + map',
      base: y`
        services:
          app:
            labels:
              - com.example.team=core
              - com.example.tier=web`,
      overlay: y`
        services:
          app:
            labels:
              com.example.tier: edge`,
      expected: y`
        services:
          app:
            labels: {com.example.team: core, com.example.tier: edge}`,
    },
    {
      name: 'sysctls map + list',
      base: y`
        services:
          app:
            sysctls:
              net.core.somaxconn: 1024`,
      overlay: y`
        services:
          app:
            sysctls:
              - net.core.somaxconn=4096
              - net.ipv4.tcp_syncookies=0`,
      expected: y`
        services:
          app:
            sysctls: {net.core.somaxconn: "4096", net.ipv4.tcp_syncookies: "0"}`,
    },
    {
      name: 'build.args list + map (build in short syntax in the base)',
      base: y`
        services:
          app:
            build:
              context: .
              args:
                - NODE_ENV=development
                - VERSION=1`,
      overlay: y`
        services:
          app:
            build:
              args:
                NODE_ENV: production`,
      expected: y`
        services:
          app:
            build:
              context: .
              args: {NODE_ENV: production, VERSION: "1"}`,
    },
    {
      name: 'build.args added to a short-syntax build',
      base: y`
        services:
          app:
            build: ./app`,
      overlay: y`
        services:
          app:
            build:
              args: [PIP_NO_CACHE_DIR=1]`,
      expected: y`
        services:
          app:
            build:
              context: ./app
              args: {PIP_NO_CACHE_DIR: "1"}`,
    },
  ],

  'volumes, devices: unique by container target': [
    {
      name: 'same target: the overlay mount replaces the base mount in place',
      base: y`
        services:
          db:
            volumes:
              - ./data:/var/lib/postgresql/data
              - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro`,
      overlay: y`
        services:
          db:
            volumes:
              - pgdata:/var/lib/postgresql/data`,
      expected: y`
        services:
          db:
            volumes:
              - pgdata:/var/lib/postgresql/data
              - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro`,
    },
    {
      name: 'short and long syntax with the same target are the same mount',
      base: y`
        services:
          app:
            volumes:
              - /var/run/docker.sock:/var/run/docker.sock`,
      overlay: y`
        services:
          app:
            volumes:
              - type: bind
                source: /var/run/docker.sock
                target: /var/run/docker.sock
                read_only: true`,
      expected: y`
        services:
          app:
            volumes:
              - type: bind
                source: /var/run/docker.sock
                target: /var/run/docker.sock
                read_only: true`,
    },
    {
      name: 'different targets (and anonymous volumes) are appended',
      base: y`
        services:
          app:
            volumes:
              - ./src:/app/src
              - /app/node_modules`,
      overlay: y`
        services:
          app:
            volumes:
              - ./src:/app/lib
              - /app/node_modules`,
      expected: y`
        services:
          app:
            volumes:
              - ./src:/app/src
              - /app/node_modules
              - ./src:/app/lib`,
    },
    {
      name: 'devices: unique by container path',
      base: y`
        services:
          app:
            devices:
              - /dev/sda:/dev/xvda:rwm
              - /dev/fuse`,
      overlay: y`
        services:
          app:
            devices:
              - /dev/sdb:/dev/xvda:r
              - /dev/net/tun:/dev/net/tun`,
      expected: y`
        services:
          app:
            devices:
              - /dev/sdb:/dev/xvda:r
              - /dev/fuse
              - /dev/net/tun:/dev/net/tun`,
    },
  ],

  'secrets, configs: unique by target': [
    {
      name: 'secrets: short syntax replaced by long syntax of the same secret',
      base: y`
        services:
          app:
            secrets:
              - db_password
              - api_key`,
      overlay: y`
        services:
          app:
            secrets:
              - source: db_password
                mode: 0400`,
      expected: y`
        services:
          app:
            secrets:
              - source: db_password
                mode: 0400
              - api_key`,
    },
    {
      name: 'secrets: an explicit target equal to the default /run/secrets/<name> is the same mount',
      base: y`
        services:
          app:
            secrets: [db_password]`,
      overlay: y`
        services:
          app:
            secrets:
              - source: db_password_prod
                target: /run/secrets/db_password`,
      expected: y`
        services:
          app:
            secrets:
              - source: db_password_prod
                target: /run/secrets/db_password`,
    },
    {
      name: 'secrets: different targets are appended',
      base: y`
        services:
          app:
            secrets: [db_password]`,
      overlay: y`
        services:
          app:
            secrets:
              - source: db_password
                target: /etc/app/db_password`,
      expected: y`
        services:
          app:
            secrets:
              - db_password
              - source: db_password
                target: /etc/app/db_password`,
    },
    {
      name: 'configs: by target',
      base: y`
        services:
          proxy:
            configs:
              - source: nginx_conf
                target: /etc/nginx/nginx.conf
              - mime`,
      overlay: y`
        services:
          proxy:
            configs:
              - source: nginx_conf_prod
                target: /etc/nginx/nginx.conf
              - extra`,
      expected: y`
        services:
          proxy:
            configs:
              - source: nginx_conf_prod
                target: /etc/nginx/nginx.conf
              - mime
              - extra`,
    },
  ],

  'ports: unique by host ip + published + target + protocol': [
    {
      name: "an overlay's loopback binding is appended beside the base's 8000:8000",
      base: y`
        services:
          web:
            ports: ["8000:8000"]`,
      overlay: y`
        services:
          web:
            ports: ["127.0.0.1:8000:8000"]`,
      expected: y`
        services:
          web:
            ports: ["8000:8000", "127.0.0.1:8000:8000"]`,
    },
    {
      name: 'the same spec is not duplicated',
      base: y`
        services:
          web:
            ports: ["8000:8000", "9090"]`,
      overlay: y`
        services:
          web:
            ports: ["8000:8000", "9090"]`,
      expected: y`
        services:
          web:
            ports: ["8000:8000", "9090"]`,
    },
    {
      name: 'another protocol is another port',
      base: y`
        services:
          dns:
            ports: ["53:53"]`,
      overlay: y`
        services:
          dns:
            ports: ["53:53/udp"]`,
      expected: y`
        services:
          dns:
            ports: ["53:53", "53:53/udp"]`,
    },
    {
      name: 'long syntax equal to a short spec replaces it; 0.0.0.0 is the default host ip',
      base: y`
        services:
          web:
            ports: ["8080:80", "0.0.0.0:8443:443"]`,
      overlay: y`
        services:
          web:
            ports:
              - target: 80
                published: "8080"
                protocol: tcp
                mode: host
              - "8443:443"`,
      expected: y`
        services:
          web:
            ports:
              - target: 80
                published: "8080"
                protocol: tcp
                mode: host
              - "8443:443"`,
    },
    {
      name: 'a different published port is appended',
      base: y`
        services:
          web:
            ports: ["3000:3000"]`,
      overlay: y`
        services:
          web:
            ports: ["3001:3000"]`,
      expected: y`
        services:
          web:
            ports: ["3000:3000", "3001:3000"]`,
    },
  ],

  'cap_add, cap_drop, expose, profiles: unique by value': [
    {
      name: 'cap_add and cap_drop',
      base: y`
        services:
          app:
            cap_drop: [ALL]
            cap_add: [NET_BIND_SERVICE]`,
      overlay: y`
        services:
          app:
            cap_drop: [ALL]
            cap_add: [NET_BIND_SERVICE, CHOWN]`,
      expected: y`
        services:
          app:
            cap_drop: [ALL]
            cap_add: [NET_BIND_SERVICE, CHOWN]`,
    },
    {
      name: 'expose: a number and the same number as a string are one value',
      base: y`
        services:
          app:
            expose: [3000, "9229"]`,
      overlay: y`
        services:
          app:
            expose: ["3000", 8080]`,
      expected: y`
        services:
          app:
            expose: ["3000", "9229", 8080]`,
    },
    {
      name: 'profiles',
      base: y`
        services:
          debug:
            profiles: [dev]`,
      overlay: y`
        services:
          debug:
            profiles: [dev, tools]`,
      expected: y`
        services:
          debug:
            profiles: [dev, tools]`,
    },
    {
      name: 'dns (spec example: values appended)',
      base: y`
        services:
          foo:
            dns: [1.1.1.1]`,
      overlay: y`
        services:
          foo:
            dns: [8.8.8.8, 1.1.1.1]`,
      expected: y`
        services:
          foo:
            dns: [1.1.1.1, 8.8.8.8]`,
    },
    {
      name: 'a single-value string and a list are both sequences when merged (dns, tmpfs)',
      base: y`
        services:
          foo:
            dns: 1.1.1.1
            tmpfs: /tmp`,
      overlay: y`
        services:
          foo:
            dns: [8.8.8.8]
            tmpfs: [/run, /tmp]`,
      expected: y`
        services:
          foo:
            dns: [1.1.1.1, 8.8.8.8]
            tmpfs: [/tmp, /run]`,
    },
  ],

  depends_on: [
    {
      name: 'list + list → map with condition: service_started',
      base: y`
        services:
          api:
            depends_on: [db]`,
      overlay: y`
        services:
          api:
            depends_on: [cache]`,
      expected: y`
        services:
          api:
            depends_on:
              db: {condition: service_started}
              cache: {condition: service_started}`,
    },
    {
      name: 'list (base) + long syntax (overlay): the overlay condition wins',
      base: y`
        services:
          api:
            depends_on: [db, cache]`,
      overlay: y`
        services:
          api:
            depends_on:
              db:
                condition: service_healthy
                restart: true`,
      expected: y`
        services:
          api:
            depends_on:
              db: {condition: service_healthy, restart: true}
              cache: {condition: service_started}`,
    },
    {
      name: 'long syntax (base) + list (overlay): the list entry resets the condition to service_started',
      base: y`
        services:
          api:
            depends_on:
              db: {condition: service_healthy}`,
      overlay: y`
        services:
          api:
            depends_on: [db]`,
      expected: y`
        services:
          api:
            depends_on:
              db: {condition: service_started}`,
    },
  ],

  logging: [
    {
      name: 'a different driver replaces the whole block',
      base: y`
        services:
          app:
            logging:
              driver: json-file
              options: {max-size: 10m, max-file: "3"}`,
      overlay: y`
        services:
          app:
            logging:
              driver: syslog
              options: {syslog-address: "udp://logs:514"}`,
      expected: y`
        services:
          app:
            logging:
              driver: syslog
              options: {syslog-address: "udp://logs:514"}`,
    },
    {
      name: 'the same driver merges options',
      base: y`
        services:
          app:
            logging:
              driver: json-file
              options: {max-size: 10m}`,
      overlay: y`
        services:
          app:
            logging:
              driver: json-file
              options: {max-file: "5"}`,
      expected: y`
        services:
          app:
            logging:
              driver: json-file
              options: {max-size: 10m, max-file: "5"}`,
    },
    {
      name: 'an overlay without a driver merges options onto the base driver',
      base: y`
        services:
          app:
            logging:
              driver: local`,
      overlay: y`
        services:
          app:
            logging:
              options: {max-size: 20m}`,
      expected: y`
        services:
          app:
            logging:
              driver: local
              options: {max-size: 20m}`,
    },
  ],

  'networks.*.ipam.config: by subnet': [
    {
      name: 'the same subnet merges; other subnets from either side are kept',
      base: y`
        networks:
          back:
            ipam:
              driver: default
              config:
                - subnet: 172.28.0.0/16
                  ip_range: 172.28.5.0/24
                  gateway: 172.28.5.254
                - subnet: 2001:3984:3989::/64`,
      overlay: y`
        networks:
          back:
            ipam:
              config:
                - subnet: 172.28.0.0/16
                  gateway: 172.28.5.1
                - subnet: 10.10.0.0/24`,
      expected: y`
        networks:
          back:
            ipam:
              driver: default
              config:
                - subnet: 172.28.0.0/16
                  ip_range: 172.28.5.0/24
                  gateway: 172.28.5.1
                - subnet: 2001:3984:3989::/64
                - subnet: 10.10.0.0/24`,
    },
    {
      name: 'options of the same subnet merge as mappings (aux_addresses)',
      base: y`
        networks:
          back:
            ipam:
              config:
                - subnet: 10.5.0.0/16
                  aux_addresses: {host1: 10.5.0.5}`,
      overlay: y`
        networks:
          back:
            ipam:
              config:
                - subnet: 10.5.0.0/16
                  aux_addresses: {host2: 10.5.0.6}`,
      expected: y`
        networks:
          back:
            ipam:
              config:
                - subnet: 10.5.0.0/16
                  aux_addresses: {host1: 10.5.0.5, host2: 10.5.0.6}`,
    },
  ],

  '!reset and !override': [
    {
      name: '!reset removes ports',
      base: y`
        services:
          db:
            image: postgres:16
            ports: ["5432:5432"]`,
      overlay: y`
        services:
          db:
            ports: !reset []`,
      expected: y`
        services:
          db:
            image: postgres:16`,
    },
    {
      name: '!reset removes one environment variable; !reset on a key the base lacks adds nothing',
      base: y`
        services:
          app:
            environment:
              DEBUG: "1"
              PORT: "8000"`,
      overlay: y`
        services:
          app:
            environment:
              DEBUG: !reset null
            user: !reset null`,
      expected: y`
        services:
          app:
            environment: {PORT: "8000"}`,
    },
    {
      name: '!reset on a list-form environment removes it',
      base: y`
        services:
          app:
            environment: [DEBUG=1]
            image: app:1`,
      overlay: y`
        services:
          app:
            environment: !reset []`,
      expected: y`
        services:
          app:
            image: app:1`,
    },
    {
      name: '!override replaces ports wholesale',
      base: y`
        services:
          web:
            ports: ["8000:8000", "9229:9229"]`,
      overlay: y`
        services:
          web:
            ports: !override ["127.0.0.1:8000:8000"]`,
      expected: y`
        services:
          web:
            ports: ["127.0.0.1:8000:8000"]`,
    },
    {
      name: '!override replaces a mapping wholesale (list form normalised)',
      base: y`
        services:
          app:
            environment:
              DEBUG: "1"
              SECRET_KEY: dev`,
      overlay: y`
        services:
          app:
            environment: !override
              - SECRET_KEY_FILE=/run/secrets/key`,
      expected: y`
        services:
          app:
            environment: {SECRET_KEY_FILE: /run/secrets/key}`,
    },
    {
      name: '!override on depends_on (short syntax) replaces and normalises',
      base: y`
        services:
          api:
            depends_on:
              db: {condition: service_healthy}
              cache: {condition: service_started}`,
      overlay: y`
        services:
          api:
            depends_on: !override [cache]`,
      expected: y`
        services:
          api:
            depends_on:
              cache: {condition: service_started}`,
    },
    {
      name: '!override replaces volumes',
      base: y`
        services:
          app:
            volumes: [./src:/app, /app/node_modules]`,
      overlay: y`
        services:
          app:
            volumes: !override []`,
      expected: y`
        services:
          app:
            volumes: []`,
    },
  ],
};

describe('merge semantics (base + overlay = expected)', () => {
  for (const [group, cases] of Object.entries(groups)) {
    describe(group, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        expect(toPlain(mergeYaml(c.base, c.overlay))).toEqual(plainYaml(c.expected));
      });
    });
  }

  it('has at least two cases per group', () => {
    for (const [group, cases] of Object.entries(groups)) {
      expect(cases.length, group).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('merge: tags and shapes rules rely on', () => {
  it('short-syntax depends_on is tagged !short-syntax with an !implicit service_started condition', () => {
    const m = mergeYaml('services:\n  api:\n    depends_on: [db]\n');
    const db = at(m, 'services', 'api', 'depends_on', 'db');
    expect(db?.tag).toBe('!short-syntax');
    expect(get(db, 'condition')?.tag).toBe('!implicit');
  });

  it('a long-syntax overlay entry is no longer short syntax, and its condition is explicit', () => {
    const m = mergeYaml(
      'services:\n  api:\n    depends_on: [db]\n',
      'services:\n  api:\n    depends_on:\n      db: {condition: service_healthy}\n',
    );
    const db = at(m, 'services', 'api', 'depends_on', 'db');
    expect(db?.tag).toBeUndefined();
    expect(get(db, 'condition')?.tag).toBeUndefined();
  });

  it('!override and !reset tags do not survive into the merged document', () => {
    const m = mergeYaml(
      'services:\n  a:\n    ports: ["1:1"]\n',
      'services:\n  a:\n    ports: !override ["2:2"]\n    environment: !override [A=1]\n',
    );
    const tags = (n: PNode): string[] => [
      ...(n.tag ? [n.tag] : []),
      ...(n.kind === 'map' ? n.entries.flatMap((e) => tags(e.value)) : n.kind === 'seq' ? n.items.flatMap(tags) : []),
    ];
    expect(tags(m).filter((t) => t === '!override' || t === '!reset')).toEqual([]);
    expect(at(m, 'services', 'a', 'environment')?.kind).toBe('map');
  });

  it('a single file is normalised like a merged one (environment list → map, build → mapping)', () => {
    const d = doc('one.yml', 'services:\n  a:\n    build: .\n    environment: [A=1]\n    labels: [x=y]\n');
    expect(toPlain(at(d, 'services', 'a'))).toEqual({ build: { context: '.' }, environment: { A: '1' }, labels: { x: 'y' } });
  });
});

describe('parsePort / volumeTarget', () => {
  const scalar = (v: string | number): PNode => ({
    kind: 'scalar',
    value: v,
    style: 'plain',
    prov: { file: 'f', range: { line: 1, column: 1, endLine: 1, endColumn: 1 } },
  });
  it.each([
    ['8000:8000', { hostIp: '', published: '8000', target: '8000', protocol: 'tcp' }],
    ['127.0.0.1:8000:8000', { hostIp: '127.0.0.1', published: '8000', target: '8000', protocol: 'tcp' }],
    ['127.0.0.1::8000', { hostIp: '127.0.0.1', published: '', target: '8000', protocol: 'tcp' }],
    ['53:53/udp', { hostIp: '', published: '53', target: '53', protocol: 'udp' }],
    ['[::1]:8080:80', { hostIp: '::1', published: '8080', target: '80', protocol: 'tcp' }],
    ['9229', { hostIp: '', published: '', target: '9229', protocol: 'tcp' }],
    [3000, { hostIp: '', published: '', target: '3000', protocol: 'tcp' }],
    ['8000-8002:8000-8002', { hostIp: '', published: '8000-8002', target: '8000-8002', protocol: 'tcp' }],
  ] as const)('%s', (spec, expected) => {
    expect(parsePort(scalar(spec))).toEqual(expected);
  });

  it('long syntax', () => {
    const d = doc('p.yml', 'p:\n  target: 80\n  published: 8080\n  host_ip: 127.0.0.1\n');
    expect(parsePort(get(d, 'p') as PNode)).toEqual({ hostIp: '127.0.0.1', published: '8080', target: '80', protocol: 'tcp' });
  });

  it.each([
    ['./data:/data:ro', '/data'],
    ['/anon', '/anon'],
    ['named:/var/lib/x', '/var/lib/x'],
    ['C:\\data:/data', '/data'],
  ])('volume %s → %s', (spec, target) => {
    expect(volumeTarget(scalar(spec))).toBe(target);
  });
});

describe('provenance after merging', () => {
  const base = y`
    services:
      web:
        image: app:dev
        environment:
          - DEBUG=1
          - SECRET_KEY=\${SECRET_KEY:-changeme}
        ports:
          - "8000:8000"
        command: ["npm", "run", "dev"]
        depends_on: [db]
        healthcheck:
          test: ["CMD", "wget", "-qO-", "http://localhost:8000/health"]
          interval: 30s
      db:
        image: postgres:16
  `;
  const overlay = y`
    services:
      web:
        image: app:1.4.2
        environment:
          DEBUG: "0"
        ports:
          - "127.0.0.1:8000:8000"
        command: ["node", "server.js"]
        healthcheck:
          test: ["CMD", "curl", "-f", "http://localhost:8000/health"]
  `;
  const m = mergeYaml(base, overlay);
  const web = at(m, 'services', 'web') as PMap;
  const where = (n: PNode | undefined) => n && { file: n.prov.file, line: n.prov.range.line, column: n.prov.range.column };

  it('a value the overlay replaced reports the overlay file and line', () => {
    expect(where(get(web, 'image'))).toEqual({ file: 'overlay.yml', line: 3, column: 12 });
    expect(where(at(web, 'environment', 'DEBUG'))).toEqual({ file: 'overlay.yml', line: 5, column: 14 });
    expect(where(get(web, 'command'))).toEqual({ file: 'overlay.yml', line: 8, column: 14 });
    expect(where(at(web, 'healthcheck', 'test'))).toEqual({ file: 'overlay.yml', line: 10, column: 13 });
  });

  it('a value the overlay did not touch reports the base file and line', () => {
    // `      - SECRET_KEY=${...}`: the item starts at column 9, its value after `SECRET_KEY=`.
    expect(where(at(web, 'environment', 'SECRET_KEY'))).toEqual({ file: 'base.yml', line: 6, column: 20 });
    expect(where(at(web, 'healthcheck', 'interval'))).toEqual({ file: 'base.yml', line: 13, column: 17 });
    expect(where(at(m, 'services', 'db', 'image'))).toEqual({ file: 'base.yml', line: 15, column: 12 });
    const db = at(web, 'depends_on', 'db');
    expect(where(db)).toEqual({ file: 'base.yml', line: 10, column: 18 });
    expect(where(get(db, 'condition'))).toEqual({ file: 'base.yml', line: 10, column: 18 });
  });

  it('a list-form environment value points after `KEY=`, quoted or not', () => {
    const d = doc('q.yml', 'services:\n  a:\n    environment:\n      - "TOKEN=${TOKEN:-dev}"\n      - \'MODE=prod\'\n      - PLAIN=1\n');
    const env = at(d, 'services', 'a', 'environment');
    expect(['TOKEN', 'MODE', 'PLAIN'].map((k) => where(get(env, k)))).toEqual([
      { file: 'q.yml', line: 4, column: 16 },
      { file: 'q.yml', line: 5, column: 15 },
      { file: 'q.yml', line: 6, column: 15 },
    ]);
  });

  it('an appended port keeps its own file: the base 8000:8000 stays at the base line', () => {
    const ports = get(web, 'ports');
    expect(ports?.kind).toBe('seq');
    const items = ports?.kind === 'seq' ? ports.items : [];
    expect(items.map((p) => [toPlain(p), where(p)])).toEqual([
      ['8000:8000', { file: 'base.yml', line: 8, column: 9 }],
      ['127.0.0.1:8000:8000', { file: 'overlay.yml', line: 7, column: 9 }],
    ]);
  });

  it('the key of a merged entry keeps the base position; a new key the overlay position', () => {
    const e = web.entries.find((x) => x.key === 'image');
    expect(e?.keyProv.file).toBe('base.yml');
    const m2 = mergeYaml(base, 'services:\n  web:\n    read_only: true\n');
    const ro = (at(m2, 'services', 'web') as PMap).entries.find((x) => x.key === 'read_only');
    expect(ro?.keyProv).toMatchObject({ file: 'overlay.yml', range: { line: 3, column: 5 } });
  });

  it('a value through three files reports the last file that set it', () => {
    const m3 = mergeYaml(base, overlay, 'services:\n  web:\n    image: app:1.4.3\n');
    expect(where(at(m3, 'services', 'web', 'image'))).toEqual({ file: 'overlay2.yml', line: 3, column: 12 });
    expect(where(at(m3, 'services', 'web', 'environment', 'DEBUG'))).toEqual({ file: 'overlay.yml', line: 5, column: 14 });
  });
});
