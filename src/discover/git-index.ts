/**
 * A reader for git's index file (`.git/index`), versions 2, 3 and 4.
 *
 * We read the index ourselves instead of running `git ls-files`: running the `git` binary inside a
 * scanned repository can execute code the repository configures (`core.fsmonitor`, hooks, ...),
 * and `check` must never execute anything from the scanned repository.
 *
 * Format (https://git-scm.com/docs/index-format), all integers big-endian:
 *   header:  "DIRC" | u32 version | u32 entry count
 *   entry:   ctime(8) mtime(8) dev(4) ino(4) mode(4) uid(4) gid(4) size(4) | object id (20 or 32)
 *            | u16 flags | [u16 extended flags, v3+ when flags & 0x4000] | path
 *   path:    v2/v3: NUL-terminated, then NUL padding so the entry length is a multiple of 8;
 *            v4:    varint N (bytes to drop from the end of the previous path) + NUL-terminated
 *                   suffix, no padding.
 *   then extensions (4-byte signature + u32 size + data) and a trailing checksum.
 */

export interface IndexEntry {
  /** Path relative to the top level of the work tree, POSIX separators, as stored (UTF-8). */
  path: string;
  /** File mode: 0o100644, 0o100755, 0o120000 (symlink), 0o160000 (submodule), 0o040000 (sparse dir). */
  mode: number;
  /** Merge stage (0 normally; 1-3 during a conflicted merge). */
  stage: number;
}

export interface GitIndex {
  version: number;
  entries: IndexEntry[];
  /**
   * True when the index carries a `link` extension (split index): most entries then live in a
   * `sharedindex.*` file that this reader does not merge, so `entries` is incomplete.
   */
  splitIndex: boolean;
}

export class GitIndexError extends Error {}

const SIGNATURE = 0x44495243; // "DIRC"
const FLAG_EXTENDED = 0x4000;
const FLAG_STAGE_MASK = 0x3000;
const FLAG_STAGE_SHIFT = 12;
/** Bytes of an entry before the object id: 10 32-bit fields. */
const FIXED_BEFORE_OID = 40;
const MODE_OFFSET = 24;

/**
 * Parses an index file. `hashSize` is 20 for SHA-1 repositories (the default) and 32 for
 * SHA-256 ones (`extensions.objectFormat = sha256`). Throws GitIndexError on malformed input.
 */
export function parseGitIndex(buf: Buffer, hashSize = 20): GitIndex {
  if (buf.length < 12 || buf.readUInt32BE(0) !== SIGNATURE) throw new GitIndexError('not a git index (bad signature)');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) throw new GitIndexError(`unsupported index version ${version}`);
  const count = buf.readUInt32BE(8);
  // Every entry is at least 62 bytes; a count the file cannot hold means corruption.
  if (count > buf.length / (FIXED_BEFORE_OID + hashSize + 2)) throw new GitIndexError(`entry count ${count} exceeds the file size`);

  const entries: IndexEntry[] = new Array(count);
  // v4 paths are deltas against the previous path, on bytes (a UTF-8 character may be split).
  let prev = Buffer.alloc(v4Capacity(256));
  let prevLen = 0;
  let off = 12;
  for (let i = 0; i < count; i++) {
    const start = off;
    const flagsAt = start + FIXED_BEFORE_OID + hashSize;
    if (flagsAt + 2 > buf.length) throw truncated(i);
    const mode = buf.readUInt32BE(start + MODE_OFFSET);
    const flags = buf.readUInt16BE(flagsAt);
    let pathAt = flagsAt + 2;
    if (flags & FLAG_EXTENDED) {
      if (version < 3) throw new GitIndexError(`entry ${i}: extended flags in a version ${version} index`);
      pathAt += 2;
    }
    let path: string;
    if (version === 4) {
      // Git's offset varint: 7 bits per byte, high bit = more, each continuation adds 1.
      let p = pathAt;
      if (p >= buf.length) throw truncated(i);
      let c = buf[p++];
      let drop = c & 0x7f;
      while (c & 0x80) {
        if (p >= buf.length) throw truncated(i);
        c = buf[p++];
        drop = (drop + 1) * 128 + (c & 0x7f); // multiplication: no 32-bit wrap-around
      }
      if (drop > prevLen) throw new GitIndexError(`entry ${i}: path prefix length out of range`);
      const nul = buf.indexOf(0, p);
      if (nul < 0) throw truncated(i);
      const keep = prevLen - drop;
      const len = keep + (nul - p);
      if (len > prev.length) {
        const grown = Buffer.alloc(v4Capacity(len));
        prev.copy(grown, 0, 0, keep);
        prev = grown;
      }
      buf.copy(prev, keep, p, nul);
      prevLen = len;
      path = prev.toString('utf8', 0, len);
      off = nul + 1;
    } else {
      const nul = buf.indexOf(0, pathAt);
      if (nul < 0) throw truncated(i);
      path = buf.toString('utf8', pathAt, nul);
      // Entry length (fixed part + path + at least one NUL) rounded up to a multiple of 8.
      off = start + ((pathAt - start + (nul - pathAt) + 8) & ~7);
      if (off > buf.length) throw truncated(i);
    }
    entries[i] = { path, mode, stage: (flags & FLAG_STAGE_MASK) >> FLAG_STAGE_SHIFT };
  }

  return { version, entries, splitIndex: hasExtension(buf, off, hashSize, 'link') };
}

function truncated(i: number): GitIndexError {
  return new GitIndexError(`entry ${i}: index file is truncated`);
}

function v4Capacity(n: number): number {
  return Math.max(256, 2 ** Math.ceil(Math.log2(n)));
}

/** Walks the extension blocks after the entries (stopping at the trailing checksum). */
function hasExtension(buf: Buffer, off: number, hashSize: number, signature: string): boolean {
  const end = buf.length - hashSize;
  while (off + 8 <= end) {
    const sig = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32BE(off + 4);
    if (sig === signature) return true;
    off += 8 + size;
  }
  return false;
}
