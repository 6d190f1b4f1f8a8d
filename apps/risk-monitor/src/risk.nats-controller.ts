import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern } from '@tightloop/contracts';
import { assessRisk } from '@tightloop/core';
import { handleStageRequest } from '@tightloop/stage-host';

/** Risk monitor: margin, LTV, health factor, delta and depeg against the run's limits. */
@Controller()
export class RiskNatsController {
  @MessagePattern(stageRequestPattern('risk.assess'))
  assess(@Payload() payload: unknown) {
    return handleStageRequest('risk.assess', payload, (r) =>
      assessRisk(r.exposure, r.limits, r.market),
    );
  }
}
