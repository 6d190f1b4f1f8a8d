/** Thrown by RunRegistry.create for a run id that exists already. */
export class RunAlreadyRegisteredError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} is already registered`);
    this.name = 'RunAlreadyRegisteredError';
  }
}

/** Thrown by RunRegistry.update for a run id nobody created. */
export class RunNotRegisteredError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} is not registered`);
    this.name = 'RunNotRegisteredError';
  }
}
