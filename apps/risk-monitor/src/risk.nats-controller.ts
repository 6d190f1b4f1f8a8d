import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern, tickChainPattern, type StageRequest } from '@tightloop/contracts';
import { assessRisk } from '@tightloop/core';
import {
  handleStageRequest,
  InjectTickChainRelay,
  type TickChainRelay,
} from '@tightloop/stage-host';

const assess = (r: StageRequest<'risk.assess'>) => assessRisk(r.exposure, r.limits, r.market);

/** Risk monitor: margin, LTV, health factor, delta and depeg against the run's limits. */
@Controller()
export class RiskNatsController {
  constructor(@InjectTickChainRelay() private readonly relay: TickChainRelay) {}

  @MessagePattern(stageRequestPattern('risk.assess'))
  assess(@Payload() payload: unknown) {
    return handleStageRequest('risk.assess', payload, assess);
  }

  @EventPattern(tickChainPattern('risk.assess'))
  chainedAssess(@Payload() payload: unknown, @Ctx() context: unknown) {
    return this.relay.step('risk.assess', payload, context, assess);
  }
}
