import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';

/** Writing the audit log, for every room (global). Reading it is `AuditLogModule`. */
@Global()
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
