import { Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import {
  STAGE_OPERATIONS,
  type StageOperation,
  type StageRequest,
  type StageResponse,
} from '@tightloop/contracts';

const logger = new Logger('stage');

/**
 * Validates a request at the edge and hands the typed value to core. A request that fails
 * its schema, or a handler that throws, becomes an error reply naming the operation and
 * the problem, so the run fails with that message instead of waiting for a reply.
 */
export function handleStageRequest<O extends StageOperation>(
  operation: O,
  payload: unknown,
  handler: (request: StageRequest<O>) => StageResponse<O> | Promise<StageResponse<O>>,
): Promise<StageResponse<O>> {
  const parsed = STAGE_OPERATIONS[operation].request.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.')}: ${i.message}`);
    const message = `${operation}: request rejected by its schema: ${problems.join('; ')}`;
    logger.error(message);
    return Promise.reject(new RpcException({ code: 'STAGE.BAD_REQUEST', message }));
  }
  const request = parsed.data as StageRequest<O>;
  logger.debug(`${operation} run ${request.runId} tick ${request.tickIndex} seq ${request.seq}`);
  return Promise.resolve()
    .then(() => handler(request))
    .catch((error: unknown) => {
      const message = `${operation} run ${request.runId} tick ${request.tickIndex}: ${error instanceof Error ? error.message : String(error)}`;
      logger.error(message);
      throw new RpcException({ code: 'STAGE.FAILED', message });
    });
}
