import { applyDecorators, Body, Res } from '@nestjs/common';
import { ApiProduces, ApiResponse } from '@nestjs/swagger';
import type { ScreeningSourceStats, ScreeningSourceView, ScreeningSourceWidget } from '@lien/shared';
import type { Response } from 'express';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, OrgCaller } from '../../common/auth/decorators.js';
import { ApiResult } from '../../common/openapi.js';
import { ApiController, IdParam, Route } from '../../common/route.js';
import { CreateScreeningSourceDto } from './dto/create-screening-source.dto.js';
import { ScreeningSourcesService } from './screening-sources.service.js';

/** A QR code answer (an image, not JSON; `ApiResultText` covers text types only). */
const ApiQrCode = (contentType: 'image/svg+xml' | 'image/png', description: string): MethodDecorator =>
  applyDecorators(
    ApiProduces(contentType),
    ApiResponse({
      status: 200,
      description,
      content: {
        [contentType]: {
          schema: contentType === 'image/png' ? { type: 'string', format: 'binary' } : { type: 'string' },
        },
      },
    }),
  );

/** The answer's type of each QR code format. */
const QR_CONTENT_TYPE = { svg: 'image/svg+xml; charset=utf-8', png: 'image/png' } as const;

/** Sources of self-screenings (partner sites, leaflets): org admins create them and download their QR code. */
@ApiController('screening', 'api/screening-sources')
export class ScreeningSourcesController {
  constructor(private readonly sources: ScreeningSourcesService) {}

  @Route('POST', 'organisation.settings.write', {
    summary: 'Create a source (name, partner, optional code); 409 when the code is taken',
    errors: [400, { 409: 'source_code_taken: the code is already used' }],
  })
  @ApiResult('ScreeningSourceView', { status: 201 })
  create(
    @Body() body: CreateScreeningSourceDto,
    @OrgCaller() { scope, audit }: OrgCaller,
  ): Promise<ScreeningSourceView> {
    return this.sources.create(scope, body, audit);
  }

  @Route('GET', 'reports.read', {
    summary: 'Sources with screenings, positive rate and contact requests (1–4 hidden)',
  })
  @ApiResult('ScreeningSourceStats', { isArray: true })
  list(@CurrentOrg() scope: OrgScope): Promise<ScreeningSourceStats[]> {
    return this.sources.list(scope);
  }

  @Route('GET :id/qr.svg', 'organisation.settings.write', {
    summary: "QR code of the source's page (SVG)",
    errors: [404],
  })
  @ApiQrCode('image/svg+xml', 'The QR code as SVG')
  async qrSvg(
    @IdParam('Screening source') id: string,
    @CurrentOrg() scope: OrgScope,
    @Res() response: Response,
  ): Promise<void> {
    await this.sendQrCode(scope, id, 'svg', response);
  }

  @Route('GET :id/qr.png', 'organisation.settings.write', {
    summary: "QR code of the source's page (PNG, 512 px)",
    errors: [404],
  })
  @ApiQrCode('image/png', 'The QR code as a 512 px PNG')
  async qrPng(
    @IdParam('Screening source') id: string,
    @CurrentOrg() scope: OrgScope,
    @Res() response: Response,
  ): Promise<void> {
    await this.sendQrCode(scope, id, 'png', response);
  }

  @Route('GET :id/widget', 'organisation.settings.write', {
    summary: 'The widget snippet to paste on a partner site (iframe, automatic height)',
    errors: [404],
  })
  @ApiResult('ScreeningSourceWidget')
  widget(
    @IdParam('Screening source') id: string,
    @CurrentOrg() scope: OrgScope,
  ): Promise<ScreeningSourceWidget> {
    return this.sources.widget(scope, id);
  }

  private async sendQrCode(
    scope: OrgScope,
    id: string,
    format: keyof typeof QR_CONTENT_TYPE,
    response: Response,
  ): Promise<void> {
    const image = await this.sources.qrCode(scope, id, format);
    response
      .status(200)
      .set({ 'Content-Type': QR_CONTENT_TYPE[format], 'Cache-Control': 'no-store' })
      .send(image);
  }
}
