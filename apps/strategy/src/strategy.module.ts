import { Module } from '@nestjs/common';
import { StrategyNatsController } from './strategy.nats-controller';

@Module({ controllers: [StrategyNatsController] })
export class StrategyModule {}
