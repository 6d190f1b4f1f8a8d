import { Module } from '@nestjs/common';
import { RiskNatsController } from './risk.nats-controller';

@Module({ controllers: [RiskNatsController] })
export class RiskMonitorModule {}
