import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern, tickChainPattern, type StageRequest } from '@tightloop/contracts';
import { AppliedFillsPositionSource, refreshPositions } from '@tightloop/core';
import {
  handleStageRequest,
  InjectTickChainRelay,
  type TickChainRelay,
} from '@tightloop/stage-host';

const applied = new AppliedFillsPositionSource();
const refresh = (r: StageRequest<'positions.refresh'>) => refreshPositions(r);

/** Position monitor: the tick's refresh (capital, funding, rewards, liquidations) and fills applied. */
@Controller()
export class PositionsNatsController {
  constructor(@InjectTickChainRelay() private readonly relay: TickChainRelay) {}

  @MessagePattern(stageRequestPattern('positions.refresh'))
  refresh(@Payload() payload: unknown) {
    return handleStageRequest('positions.refresh', payload, refresh);
  }

  @EventPattern(tickChainPattern('positions.refresh'))
  chainedRefresh(@Payload() payload: unknown, @Ctx() context: unknown) {
    return this.relay.step('positions.refresh', payload, context, refresh);
  }

  @MessagePattern(stageRequestPattern('positions.apply'))
  apply(@Payload() payload: unknown) {
    return handleStageRequest('positions.apply', payload, (r) =>
      applied.afterExecution(r.state, r.fills),
    );
  }
}
