import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';

export const READINESS = Symbol('READINESS');

/** What makes a service ready (connected to NATS, store migrated, ...). */
export interface Readiness {
  ready(): boolean;
}

@Controller('health')
export class HealthHttpController {
  constructor(@Inject(READINESS) private readonly readiness: Readiness) {}

  @Get('live')
  live() {
    return { status: 'live' };
  }

  @Get('ready')
  ready() {
    if (!this.readiness.ready())
      throw new HttpException({ status: 'not ready' }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready' };
  }
}
