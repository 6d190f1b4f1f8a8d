/**
 * A server URL (Postgres, NATS) fit for a log line or an error message: a password in it
 * is replaced by `***`. A value that is no URL is not repeated, since it may be a secret.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
