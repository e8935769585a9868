import { Module } from '@nestjs/common';
import { FhirController } from './fhir.controller.js';
import { FhirRepository } from './fhir.repository.js';
import { FhirService } from './fhir.service.js';

/** FHIR R4 read API (`/fhir`): the EPDS Questionnaire, responses, totals, item-10 flags, patients, tasks. */
@Module({
  controllers: [FhirController],
  providers: [FhirRepository, FhirService],
})
export class FhirModule {}
