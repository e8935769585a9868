import { Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import { UndocumentedController } from '../../common/route.js';
import { DomainError, notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { checkScrape } from './metrics-auth.js';
import { Metrics } from './metrics.service.js';

/** Prometheus scrapes: public to the user guard (no user JWT) but refused without the metrics bearer token. */
@UndocumentedController('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const verdict = checkScrape(this.config.metricsToken, authorization);
    if (verdict === 'disabled') throw notFound('Metrics');
    if (verdict === 'refused')
      throw new DomainError(
        'unauthorised',
        'metrics_token_required',
        'A valid metrics bearer token is required',
      );
    const text = await this.metrics.text();
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.setHeader('Cache-Control', 'no-store');
    response.send(text);
  }
}
