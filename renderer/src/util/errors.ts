/** The message of something thrown, for showing to the person. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
