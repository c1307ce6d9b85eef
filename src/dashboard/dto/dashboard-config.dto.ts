import { ApiProperty } from '@nestjs/swagger';

/** What the dashboard needs to know about its deployment; nothing secret. */
export class DashboardConfig {
  @ApiProperty({
    description: 'The Temporal Web UI base URL the dashboard links workflows to (TEMPORAL_UI_URL).',
    example: 'http://localhost:8233',
  })
  temporalUiUrl!: string;

  @ApiProperty({
    description: "The Temporal namespace of Tally's workflows (TEMPORAL_NAMESPACE).",
    example: 'default',
  })
  namespace!: string;
}
