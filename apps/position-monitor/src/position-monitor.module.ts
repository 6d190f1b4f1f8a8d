import { Module } from '@nestjs/common';
import { PositionsNatsController } from './positions.nats-controller';

@Module({ controllers: [PositionsNatsController] })
export class PositionMonitorModule {}
