import { Module } from '@nestjs/common';
import { TimelineController } from './timeline.controller.js';
import { TimelineRepository } from './timeline.repository.js';
import { TimelineService } from './timeline.service.js';

/** The parent timeline: GET /api/parents/:id/timeline. */
@Module({ controllers: [TimelineController], providers: [TimelineRepository, TimelineService] })
export class TimelineModule {}
