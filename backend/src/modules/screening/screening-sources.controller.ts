import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ScreeningSourceStats, ScreeningSourceView } from '@lien/shared';
import type { Response } from 'express';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import type { AuditContext } from '../audit/audit.service.js';
import { CreateScreeningSourceDto } from './dto/create-screening-source.dto.js';
import { ScreeningSourcesService } from './screening-sources.service.js';

/** Sources of self-screenings (partner sites, leaflets): org admins create them and download their QR code. */
@ApiTags('screening')
@ApiBearerAuth()
@Controller('api/screening-sources')
export class ScreeningSourcesController {
  constructor(private readonly sources: ScreeningSourcesService) {}

  @Post()
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'Create a source (name, partner, optional code); 409 when the code is taken' })
  create(
    @Body() body: CreateScreeningSourceDto,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ScreeningSourceView> {
    return this.sources.create(scope.organisationId, body, audit);
  }

  @Get()
  @RequirePermission('reports.read')
  @ApiOperation({ summary: 'Sources with screenings, positive rate and contact requests (1–4 hidden)' })
  list(@CurrentOrg() scope: OrgScope): Promise<ScreeningSourceStats[]> {
    return this.sources.list(scope.organisationId);
  }

  @Get(':id/qr.svg')
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: "QR code of the source's page (SVG)" })
  async qrSvg(
    @Param('id', new UuidParamPipe('Screening source')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Res() response: Response,
  ): Promise<void> {
    const svg = await this.sources.qrCode(scope.organisationId, id, 'svg');
    response
      .status(200)
      .set({ 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'no-store' })
      .send(svg);
  }

  @Get(':id/qr.png')
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: "QR code of the source's page (PNG, 512 px)" })
  async qrPng(
    @Param('id', new UuidParamPipe('Screening source')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Res() response: Response,
  ): Promise<void> {
    const png = await this.sources.qrCode(scope.organisationId, id, 'png');
    response.status(200).set({ 'Content-Type': 'image/png', 'Cache-Control': 'no-store' }).send(png);
  }

  @Get(':id/widget')
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'The widget snippet to paste on a partner site (iframe, automatic height)' })
  widget(
    @Param('id', new UuidParamPipe('Screening source')) id: string,
    @CurrentOrg() scope: OrgScope,
  ): Promise<{ url: string; snippet: string }> {
    return this.sources.widget(scope.organisationId, id);
  }
}
