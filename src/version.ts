declare const __SEAWORTHY_VERSION__: string | undefined;

/** Set by the build (scripts/build.mjs); '0.0.0-dev' when running from sources. */
export const VERSION: string = typeof __SEAWORTHY_VERSION__ !== 'undefined' ? __SEAWORTHY_VERSION__ : '0.0.0-dev';
