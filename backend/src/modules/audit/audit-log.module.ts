import { Module } from '@nestjs/common';
import { ParentsModule } from '../parents/parents.module.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditController } from './audit.controller.js';

/**
 * Reading the audit log (`GET /api/audit`). Apart from `AuditModule` (the writing side every room uses) because
 * it names parents through the parents room, which itself writes the log.
 */
@Module({
  imports: [ParentsModule],
  controllers: [AuditController],
  providers: [AuditLogService],
})
export class AuditLogModule {}
