/**
 * Compose booleans as compose-go reads them: after interpolation, the YAML 1.1 words `y`, `yes`,
 * `true`, `on` are true and `n`, `no`, `false`, `off` false, in any case (compose-go's `toBoolean`
 * for every boolean field: `read_only: yes` is a read-only root filesystem). Anything else is no
 * boolean (compose refuses the file): undefined.
 */
export function composeBool(text: string | undefined | null): boolean | undefined {
  if (text === undefined || text === null) return undefined;
  switch (text.toLowerCase()) {
    case 'y':
    case 'yes':
    case 'true':
    case 'on':
      return true;
    case 'n':
    case 'no':
    case 'false':
    case 'off':
      return false;
    default:
      return undefined;
  }
}
