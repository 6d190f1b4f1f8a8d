import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Controller, Get, Inject, Logger, Param, Res } from '@nestjs/common';
import { BacktestRunsService } from './backtest-runs.service';
import { BACKTEST_RUNS_SERVICE, RUN_RESULTS_STORE } from './run-controller.tokens';
import { checkResultFileName, RunResultsStore } from './run-results.store';

/** The results of a completed run: 409 while it is queued or running, 404 for unknown runs. */
@Controller('api/v1/backtests/:runId')
export class BacktestResultsHttpController {
  private readonly logger = new Logger('BacktestResults');

  constructor(
    @Inject(BACKTEST_RUNS_SERVICE) private readonly runs: BacktestRunsService,
    @Inject(RUN_RESULTS_STORE) private readonly results: RunResultsStore,
  ) {}

  @Get('summary')
  async summary(@Param('runId') runId: string) {
    const dir = await this.runs.completedRunDir(runId);
    this.logger.log(`run ${runId}: summary`);
    return { data: await this.results.summary(dir) };
  }

  @Get('files')
  async files(@Param('runId') runId: string) {
    const dir = await this.runs.completedRunDir(runId);
    this.logger.log(`run ${runId}: file list`);
    return { data: await this.results.list(dir) };
  }

  /** The raw file (CSV, HTML report, JSON), not enveloped, so a browser or curl uses it as is. */
  @Get('files/:name')
  async file(
    @Param('runId') runId: string,
    @Param('name') name: string,
    @Res() response: ServerResponse,
  ): Promise<void> {
    checkResultFileName(name);
    const dir = await this.runs.completedRunDir(runId);
    const file = await this.results.open(dir, name);
    this.logger.log(`run ${runId}: file ${name}`);
    const sent = await send(response, file.stream, file.contentType, `inline; filename="${name}"`);
    if (!sent) this.logger.warn(`run ${runId}: client left before ${name} was sent`);
  }

  @Get('download')
  async download(@Param('runId') runId: string, @Res() response: ServerResponse): Promise<void> {
    const dir = await this.runs.completedRunDir(runId);
    const zip = await this.results.zip(dir);
    this.logger.log(`run ${runId}: zip download`);
    const sent = await send(
      response,
      zip,
      'application/zip',
      `attachment; filename="tightloop-${runId}.zip"`,
    );
    if (!sent) this.logger.warn(`run ${runId}: client left before the zip was sent`);
  }
}

/**
 * Streams a body straight to the response. Not Nest's StreamableFile: under tsx, Nest's
 * ES modules load twice (native and transpiled), so the platform's `instanceof
 * StreamableFile` does not recognise ours and would serialise it as JSON. False when the
 * client went away first: that is the client's choice, not a server error.
 */
async function send(
  response: ServerResponse,
  body: Readable,
  contentType: string,
  disposition: string,
): Promise<boolean> {
  response.statusCode = 200;
  response.setHeader('content-type', contentType);
  response.setHeader('content-disposition', disposition);
  try {
    await pipeline(body, response);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return false;
    throw error;
  }
}
