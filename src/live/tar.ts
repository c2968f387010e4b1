/**
 * Just enough tar (ustar) for the Engine API: reading the single file `GET /containers/{id}/archive`
 * returns, and writing a build context for `POST /build`. Pure.
 */

export interface TarEntry {
  name: string;
  content: Buffer | string;
  /** Unix mode (default 0644). */
  mode?: number;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

/** A ustar archive of regular files (names up to 100 bytes). */
export function createTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
    const header = Buffer.alloc(512, 0);
    const name = Buffer.from(e.name);
    if (name.length > 100) throw new Error(`tar: name too long: ${e.name}`);
    name.copy(header, 0);
    header.write(octal(e.mode ?? 0o644, 8), 100, 'ascii');
    header.write(octal(0, 8), 108, 'ascii'); // uid
    header.write(octal(0, 8), 116, 'ascii'); // gid
    header.write(octal(data.length, 12), 124, 'ascii');
    header.write(octal(0, 12), 136, 'ascii'); // mtime
    header.write('        ', 148, 'ascii'); // checksum placeholder
    header.write('0', 156, 'ascii'); // regular file
    header.write('ustar\u000000', 257, 'ascii');
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    parts.push(header, data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

/** Regular files of an archive (name → content). Stops at the end marker or at anything malformed. */
export function readTar(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) break;
    const type = String.fromCharCode(header[156] || 0x30);
    const start = off + 512;
    if (start + size > buf.length) break;
    if (type === '0' || type === '\0') out.set(prefix ? `${prefix}/${name}` : name, buf.subarray(start, start + size));
    off = start + Math.ceil(size / 512) * 512;
  }
  return out;
}
