import { Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiController, PublicRoute } from '../../common/route.js';
import { PagesService } from './pages.service.js';

/** The link of a page's SMS: opened on the professional's phone, before any sign-in. */
@ApiController('paging', 'api/paging/ack')
export class PagingAckController {
  constructor(private readonly pages: PagesService) {}

  // The random single-use token is the credential; the console page it leads to asks for sign-in.
  @PublicRoute('GET :token', {
    summary:
      'Acknowledges an urgent page (single-use link of its SMS) and redirects to the alert in the console',
    errors: [{ 404: 'Unknown link', 410: 'Link already used' }],
    result: { redirect: 'Redirect to the alert’s page in the console' },
  })
  async acknowledge(@Param('token') token: string, @Res() response: Response): Promise<void> {
    const location = await this.pages.acknowledgeByToken(token);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.redirect(302, location);
  }
}
