import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern, tickChainPattern, type StageRequest } from '@tightloop/contracts';
import { updatePnl } from '@tightloop/core';
import {
  handleStageRequest,
  InjectTickChainRelay,
  type TickChainRelay,
} from '@tightloop/stage-host';

const update = (r: StageRequest<'pnl.update'>) => updatePnl(r);

/** Pnl monitor: balance pnl and its attribution. */
@Controller()
export class PnlNatsController {
  constructor(@InjectTickChainRelay() private readonly relay: TickChainRelay) {}

  @MessagePattern(stageRequestPattern('pnl.update'))
  update(@Payload() payload: unknown) {
    return handleStageRequest('pnl.update', payload, update);
  }

  @EventPattern(tickChainPattern('pnl.update'))
  chainedUpdate(@Payload() payload: unknown, @Ctx() context: unknown) {
    return this.relay.step('pnl.update', payload, context, update);
  }
}
