/**
 * A broken invariant inside the loop (a bug or corrupt input), with a stable code such as
 * `POS.UNDECLARED_KEY`. Domain refusals are not errors: they are events (see risk events).
 */
export class LoopInvariantError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'LoopInvariantError';
  }
}
