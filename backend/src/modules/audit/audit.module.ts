import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

/** Writing the audit log, for every room (global). Reading it is `AuditLogModule`. */
@Global()
@Module({
  // The repository is exported for AuditLogModule's reads; ESLint keeps other rooms from importing it.
  providers: [AuditService, AuditRepository],
  exports: [AuditService, AuditRepository],
})
export class AuditModule {}
