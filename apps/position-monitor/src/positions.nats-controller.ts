import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern } from '@tightloop/contracts';
import { AppliedFillsPositionSource, refreshPositions } from '@tightloop/core';
import { handleStageRequest } from '@tightloop/stage-host';

const applied = new AppliedFillsPositionSource();

/** Position monitor: the tick's refresh (capital, funding, rewards, liquidations) and fills applied. */
@Controller()
export class PositionsNatsController {
  @MessagePattern(stageRequestPattern('positions.refresh'))
  refresh(@Payload() payload: unknown) {
    return handleStageRequest('positions.refresh', payload, (r) => refreshPositions(r));
  }

  @MessagePattern(stageRequestPattern('positions.apply'))
  apply(@Payload() payload: unknown) {
    return handleStageRequest('positions.apply', payload, (r) =>
      applied.afterExecution(r.state, r.fills),
    );
  }
}
