import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { QueueSummary } from '@lien/shared';

type QueueSummaryCountsShape = QueueSummary['counts'];

@ApiSchema({ name: 'QueueSummaryCounts' })
export class QueueSummaryCountsResponse implements QueueSummaryCountsShape {
  @ApiProperty({ type: Number })
  waiting!: QueueSummaryCountsShape['waiting'];

  @ApiProperty({ type: Number })
  active!: QueueSummaryCountsShape['active'];

  @ApiProperty({ type: Number })
  delayed!: QueueSummaryCountsShape['delayed'];

  @ApiProperty({ type: Number })
  failed!: QueueSummaryCountsShape['failed'];

  @ApiProperty({ type: Number })
  completed!: QueueSummaryCountsShape['completed'];
}

@ApiSchema({ name: 'QueueSummary' })
export class QueueSummaryResponse implements QueueSummary {
  @ApiProperty({ type: String, example: 'sms' })
  name!: QueueSummary['name'];

  @ApiProperty({ type: () => QueueSummaryCountsResponse })
  counts!: QueueSummary['counts'];

  @ApiProperty({ type: Boolean })
  paused!: QueueSummary['paused'];
}
