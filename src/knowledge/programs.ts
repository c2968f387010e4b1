/**
 * Programs that images are known to ship because of what they are (a postgres image has
 * `pg_isready`, a distroless nodejs image has `/nodejs/bin/node`), beyond the generic tool table of
 * base-images.ts. Used to judge healthcheck probes. A program not listed here is not "absent": the
 * base-image tool table and the Dockerfile decide, or the answer is unknown.
 */

export interface ImagePrograms {
  /** Image names as parseImageRef produces them; `*` at the end matches a prefix. */
  names: string[];
  /** Program name → absolute paths it lives at when NOT on the default PATH (only these paths work), or `true` when on PATH. */
  programs: Record<string, true | string[]>;
}

export const IMAGE_PROGRAMS: ImagePrograms[] = [
  { names: ['postgres'], programs: { pg_isready: true, psql: true, postgres: true } },
  { names: ['redis'], programs: { 'redis-cli': true, 'redis-server': true } },
  { names: ['mysql'], programs: { mysqladmin: true, mysql: true } },
  { names: ['mariadb'], programs: { 'mariadb-admin': true, mariadb: true, 'healthcheck.sh': true } },
  { names: ['mongo'], programs: { mongosh: true } },
  { names: ['rabbitmq'], programs: { 'rabbitmq-diagnostics': true, rabbitmqctl: true } },
  { names: ['memcached'], programs: { memcached: true } },
  { names: ['nginx', 'nginxinc/nginx-unprivileged'], programs: { nginx: true } },
  { names: ['httpd'], programs: { httpd: true, apachectl: true } },
  { names: ['caddy'], programs: { caddy: true } },
  { names: ['traefik'], programs: { traefik: true } },
  { names: ['python', 'pypy'], programs: { python: true, pip: true } },
  { names: ['node'], programs: { node: true, npm: true, npx: true } },
  { names: ['oven/bun'], programs: { bun: true } },
  { names: ['eclipse-temurin', 'openjdk', 'amazoncorretto', 'ibm-semeru-runtimes', 'sapmachine'], programs: { java: true } },
  // Distroless: the runtime only; node is not on PATH (the image's ENTRYPOINT is /nodejs/bin/node).
  { names: ['gcr.io/distroless/nodejs*'], programs: { node: ['/nodejs/bin/node'] } },
  { names: ['gcr.io/distroless/python3*'], programs: { python: true } },
  { names: ['gcr.io/distroless/java*'], programs: { java: true } },
  { names: ['cgr.dev/chainguard/node*'], programs: { node: true } },
  { names: ['cgr.dev/chainguard/python*'], programs: { python: true } },
];

/**
 * What the knowledge says about a program in an image: `{ path: true }` on PATH, `{ path: [...] }`
 * only at those absolute paths, or null when the image is not listed or the program not known.
 */
export function imageProgram(imageName: string, program: string): true | string[] | null {
  for (const e of IMAGE_PROGRAMS) {
    const hit = e.names.some((n) => (n.endsWith('*') ? imageName.startsWith(n.slice(0, -1)) : n === imageName));
    if (!hit) continue;
    const p = e.programs[program];
    if (p !== undefined) return p;
  }
  return null;
}
