import { Body } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, OrgCaller } from '../../common/auth/decorators.js';
import { ApiController, Route } from '../../common/route.js';
import { PagingService, type RotaView } from './paging.service.js';

@ApiController('paging', 'api/paging')
export class PagingController {
  constructor(private readonly paging: PagingService) {}

  // The rota holds professionals' mobiles: org admins only, like the settings they write.
  @Route('GET rota', 'organisation.settings.write', {
    summary: 'The on-call rota of the caller’s organisation, with the gaps nobody covers',
    result: 'RotaView',
  })
  getRota(@CurrentOrg() scope: OrgScope): Promise<RotaView> {
    return this.paging.getRota(scope);
  }

  @Route('PUT rota', 'organisation.settings.write', {
    summary: 'Replace the on-call rota (org admin); 400 names each invalid field',
    errors: [400],
    result: 'RotaView',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        ackMinutes: 10,
        voice: false,
        entries: [
          { userId: '…', weekdays: [1, 2, 3, 4, 5], start: '18:00', end: '08:00', phone: '+33612345678' },
        ],
      },
    },
  })
  putRota(@Body() body: unknown, @OrgCaller() { scope, audit }: OrgCaller): Promise<RotaView> {
    return this.paging.putRota(scope, body, audit);
  }
}
