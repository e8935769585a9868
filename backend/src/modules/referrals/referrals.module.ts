import { Module } from '@nestjs/common';
import { ReferralsController } from './referrals.controller.js';
import { ReferralsRepository } from './referrals.repository.js';
import { ReferralsService } from './referrals.service.js';

/**
 * The referral directory (resources per organisation), picked by the "referred" step of an alert; kept by org
 * admins (their organisation) and coordinators (their territory's organisations).
 */
@Module({
  controllers: [ReferralsController],
  providers: [ReferralsRepository, ReferralsService],
  exports: [ReferralsService],
})
export class ReferralsModule {}
