import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { Controller, Get, Inject } from '@nestjs/common';
import type { RunRegistry } from '@tightloop/core';
import { ApiError } from './api.error';
import { describeError } from './error-message.describer';
import type { RunControllerConfig } from './run-controller.config';
import { RUN_CONTROLLER_CONFIG, RUN_REGISTRY } from './run-controller.tokens';

/**
 * The port has no ping, so readiness asks the registry for a run id that cannot exist
 * (it does not match the run id pattern): cheap in memory and one indexed read in Postgres.
 */
const PROBE_RUN_ID = 'readiness probe';

@Controller('health')
export class HealthHttpController {
  constructor(
    @Inject(RUN_CONTROLLER_CONFIG) private readonly config: RunControllerConfig,
    @Inject(RUN_REGISTRY) private readonly registry: RunRegistry,
  ) {}

  /** The process answers; nothing else is checked, so a slow store never gets it restarted. */
  @Get('live')
  live() {
    return { data: { status: 'live' } };
  }

  /** Ready when runs can be recorded and their results written. */
  @Get('ready')
  async ready() {
    try {
      await this.registry.get(PROBE_RUN_ID);
    } catch (error) {
      throw ApiError.unavailable('NOT_READY', `run registry unusable: ${describeError(error)}`);
    }
    try {
      await access(this.config.resultsDir, constants.W_OK);
    } catch (error) {
      throw ApiError.unavailable(
        'NOT_READY',
        `results directory ${this.config.resultsDir} unusable: ${describeError(error)}`,
      );
    }
    return { data: { status: 'ready' } };
  }
}
