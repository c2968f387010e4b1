/** Entrypoint scripts: the shell files an image runs, found by following ENTRYPOINT/CMD. Plain data. */
import type { Location } from '../types.js';
import type { CopyInstr, Range } from './dockerfile.js';
import type { Image } from './project.js';
import type { ShellScript } from './shell.js';

export interface ScriptModel {
  /** Repository path of the source file (relative, POSIX). */
  path: string;
  text: string;
  /** `#!/bin/sh -e` → { interpreter: 'sh', path: '/bin/sh', args: ['-e'] }; `#!/usr/bin/env bash` → 'bash'. */
  shebang: { interpreter: string; path: string; args: string[]; range: Range } | null;
  /**
   * Parsed with the statement tree when the script is a shell script; null otherwise (a script in another
   * language, `#!/usr/bin/env python3`: followed for its shebang and executable bit only).
   */
  script: ShellScript | null;
  /** Executable bit: from the git index when in a git checkout, else the file mode; null when unknown. */
  executable: boolean | null;
  modeSource: 'git' | 'file' | null;
}

export type ScriptVia = 'ENTRYPOINT' | 'CMD' | 'compose entrypoint' | 'compose command';

export interface ScriptUse {
  script: ScriptModel;
  image: Image;
  via: ScriptVia;
  /** Compose environment and service for compose overrides. */
  environment?: string;
  service?: string;
  /** Path of the script inside the image. */
  imagePath: string;
  /** The COPY/ADD that put it in the image (in the final stage chain), when found. */
  copy: CopyInstr | null;
  /** How the Dockerfile makes it executable (`COPY --chmod=755`, `RUN chmod +x ...`), when it does. */
  chmod: { how: string; range: Range } | null;
  /** When the image runs it through an interpreter (`["sh", "/entrypoint.sh"]`), that interpreter; the shebang then does not matter. */
  explicitInterpreter: string | null;
  /** Where the image (or compose) names the script. */
  refLoc: Location;
}

/** A program an image starts that seaworthy tried to follow but could not (for honest unknowns). */
export interface UnresolvedStart {
  image: Image;
  via: ScriptVia;
  program: string;
  reason: string;
  refLoc: Location;
  environment?: string;
  service?: string;
}
