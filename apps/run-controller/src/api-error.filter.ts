import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ApiError } from './api.error';

/** The part of Express's response used here (its typings are not installed). */
interface JsonResponse {
  headersSent: boolean;
  destroy(): void;
  status(code: number): { json(body: unknown): void };
}

/** Codes for the errors Nest and Express raise themselves (unknown route, malformed JSON...). */
const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * Every failure leaves as `{ error: { code, message } }` with its status. An unexpected
 * error is a 500 with a generic message; its details go to the log only.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    const { status, code, message } = this.describe(exception);
    // A stream that failed midway has already sent its headers; all that is left is to cut it.
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(status).json({ error: { code, message } });
  }

  private describe(exception: unknown): { status: number; code: string; message: string } {
    if (exception instanceof ApiError)
      return { status: exception.status, code: exception.code, message: exception.message };
    if (isHttpException(exception)) {
      const status = exception.getStatus();
      return { status, code: HTTP_CODES[status] ?? `HTTP_${status}`, message: exception.message };
    }
    this.logger.error(
      'unexpected error',
      exception instanceof Error ? exception.stack : String(exception),
    );
    return { status: 500, code: 'INTERNAL', message: 'internal error; see the run controller log' };
  }
}

/**
 * Recognised by shape, not `instanceof HttpException`: under tsx Nest's ES modules load
 * twice (native and transpiled), and the platform's exceptions (malformed JSON body,
 * unknown route) come from the other copy of the class.
 */
function isHttpException(
  exception: unknown,
): exception is { getStatus(): number; message: string } {
  const candidate = exception as { getStatus?: unknown; message?: unknown } | null;
  return (
    typeof candidate?.getStatus === 'function' &&
    typeof candidate.message === 'string' &&
    exception instanceof Error
  );
}
