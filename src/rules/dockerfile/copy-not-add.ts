import type { CopyInstr } from '../../model/dockerfile.js';
import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';

const URL = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@[^:]+:)/i;
/** Local archives ADD extracts (identity, gzip, bzip2, xz): a legitimate use of ADD. */
const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$/i;

function judge(c: CopyInstr): { severity: 'low' | 'medium'; message: string } | null {
  const names = (ws: { value: string }[]) => ws.map((w) => `\`${w.value}\``).join(', ');
  const urls = c.sources.filter((s) => URL.test(s.value));
  if (urls.length && c.checksum === null) {
    return {
      severity: 'medium',
      message: `ADD downloads ${names(urls)} without \`--checksum\`, so a changed or compromised download goes into the image unnoticed; add \`--checksum=sha256:<digest>\`, or download and verify it in a RUN.`,
    };
  }
  const local = c.heredoc ? [{ value: 'heredoc' }] : c.sources.filter((s) => !URL.test(s.value) && !ARCHIVE.test(s.value));
  if (local.length) {
    return {
      severity: 'low',
      message: `ADD of local ${c.heredoc ? 'content' : `files ${names(local)}`}: ADD also extracts archives and fetches URLs, so what it does depends on the source; use COPY for plain files.`,
    };
  }
  return null;
}

function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const target = image.name;
  const adds = image.reachableStages.flatMap((s) => s.copies).filter((c) => c.keyword === 'ADD');
  const out: RawResult[] = [];
  for (const c of adds) {
    const j = judge(c);
    if (!j) continue;
    out.push(fail(target, loc(df.path, c.instr.range), j.message, j.severity === 'low' ? undefined : j.severity));
  }
  if (out.length) return out;
  if (adds.length) {
    return [
      pass(
        target,
        loc(df.path, adds[0].instr.range),
        'ADD is used only to extract local archives or fetch checksummed URLs',
        '`ADD` only for archives or checksummed URLs',
      ),
    ];
  }
  return [pass(target, fromLoc(image), 'files are added with COPY only', '`COPY` only')];
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/copy-not-add',
    title: 'COPY instead of ADD',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3020', 'DS-0005', 'CKV_DOCKER_4', 'CIS-DI-0009'],
    rationale:
      'ADD does more than copy: it extracts local tar archives and downloads URLs. Used for plain files, a later rename to `.tar.gz` silently changes ' +
      'what lands in the image, and readers cannot tell what was meant. Used for URLs without `--checksum`, it fetches whatever the server returns at ' +
      'build time, so a compromised or changed download enters the image without any integrity check. COPY does one predictable thing; ADD is fine ' +
      'for extracting a local archive or fetching a URL pinned by checksum.',
    fix: 'Use COPY for local files; for downloads add `--checksum=sha256:<digest>` to ADD or fetch and verify the file in a RUN.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM alpine:3.20\nADD app.conf /etc/app/app.conf\nADD https://example.com/tool.sh /usr/local/bin/tool.sh\n',
      },
      good: {
        file: 'Dockerfile',
        content: 'FROM alpine:3.20\nCOPY app.conf /etc/app/app.conf\nADD rootfs.tar.gz /\n',
      },
    },
  },
  check(project) {
    return project.images.flatMap(check);
  },
};

export default rule;
