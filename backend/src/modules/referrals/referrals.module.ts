import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ReferralsController } from './referrals.controller.js';
import { ReferralsRepository } from './referrals.repository.js';
import { ReferralsService } from './referrals.service.js';

/**
 * The referral directory (resources per organisation), picked by the "referred" step of an alert; kept by org
 * admins (their organisation) and coordinators (their territory's organisations).
 */
@Module({
  imports: [OrganisationsModule],
  controllers: [ReferralsController],
  providers: [ReferralsRepository, ReferralsService],
  exports: [ReferralsService],
})
export class ReferralsModule {}
