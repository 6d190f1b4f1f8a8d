/**
 * A failure the API answers on purpose, with a stable code clients can branch on and a
 * message a person can act on. Anything else is a 500 (see api-error.filter.ts).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static badRequest(code: string, message: string): ApiError {
    return new ApiError(400, code, message);
  }

  static notFound(code: string, message: string): ApiError {
    return new ApiError(404, code, message);
  }

  static conflict(code: string, message: string): ApiError {
    return new ApiError(409, code, message);
  }

  static unavailable(code: string, message: string): ApiError {
    return new ApiError(503, code, message);
  }
}
