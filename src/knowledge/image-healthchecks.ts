/**
 * Image HEALTHCHECK knowledge: public images known to define no HEALTHCHECK, so a service that runs
 * one without a compose `healthcheck` has none. The Docker Official Images listed here add none (the
 * docker-library FAQ explains why generic HEALTHCHECKs are left out; MariaDB ships a
 * `healthcheck.sh` script but no HEALTHCHECK instruction). Any other image is not known: it may
 * define its own (`vaultwarden/server` does), so rules answer "unknown" instead of guessing.
 */
import { parseImageRef } from '../parse/image-ref.js';

const NO_HEALTHCHECK = new Set([
  'postgres',
  'redis',
  'mysql',
  'mariadb',
  'mongo',
  'rabbitmq',
  'memcached',
  'nginx',
  'httpd',
  'node',
  'python',
  'alpine',
  'debian',
  'ubuntu',
  'busybox',
]);

/** Whether the image (`redis:7-alpine`, `docker.io/library/postgres:16`) is known to define no HEALTHCHECK; false when unknown. */
export function imageDefinesNoHealthcheck(image: string | null | undefined): boolean {
  if (!image?.trim() || image.includes('$')) return false;
  return NO_HEALTHCHECK.has(parseImageRef(image).name);
}
