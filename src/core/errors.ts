/**
 * A problem with the user's input (a flag, a file, a shape). The CLI prints its message as one
 * line and exits 2; the library API throws it as is. Messages name the file or flag and what is wrong.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
