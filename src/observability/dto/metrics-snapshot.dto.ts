import { ApiProperty } from '@nestjs/swagger';
import type { MetricFamily, MetricSample, MetricsSnapshotBody } from '../metrics-snapshot.js';

export class MetricSampleResource implements MetricSample {
  @ApiProperty({
    description: 'The series: the family name, or `…_bucket`, `…_sum`, `…_count` of a histogram.',
  })
  name!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { route: '/v1/customers' },
  })
  labels!: Record<string, string>;

  @ApiProperty({ description: 'As Prometheus writes it: a decimal, `NaN`, `+Inf` or `-Inf`.', example: '42' })
  value!: string;
}

export class MetricFamilyResource implements MetricFamily {
  @ApiProperty({ example: 'tally_http_requests_total' })
  name!: string;

  @ApiProperty()
  help!: string;

  @ApiProperty({ enum: ['counter', 'gauge', 'histogram', 'summary'] })
  type!: MetricFamily['type'];

  @ApiProperty({ type: [MetricSampleResource] })
  samples!: MetricSampleResource[];
}

export class MetricsSnapshot implements MetricsSnapshotBody {
  @ApiProperty({ enum: ['metrics'] })
  object!: 'metrics';

  @ApiProperty({ type: [MetricFamilyResource] })
  data!: MetricFamilyResource[];
}
