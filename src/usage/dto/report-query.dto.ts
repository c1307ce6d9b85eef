import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { IsInstant } from '../../common/validation/decorators.js';
import type { WindowSize } from '../domain/report.js';
import { Optional } from '../../common/validation/optional.js';

export const WINDOW_SIZES: readonly WindowSize[] = ['hour', 'day'];

export class ReportQueryDto {
  /** The customer (cus_…); give this or account_id. */
  @ApiPropertyOptional({ example: 'cus_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  @Length(1, 64)
  customer_id?: string;

  /** The account (acct_…); give this or customer_id. */
  @ApiPropertyOptional({ example: 'acct_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  @Length(1, 64)
  account_id?: string;

  /**
   * Window start, inclusive (ISO 8601 with a time zone); default: the start of the current UTC
   * month. Any instant: a partial hour at either edge is read from the raw events.
   */
  @Optional()
  @IsInstant()
  start?: string;

  /** Window end, exclusive: after start, at most 400 days later (ISO 8601 with a time zone); default: now. */
  @Optional()
  @IsInstant()
  end?: string;
}

export class EventReportQueryDto extends ReportQueryDto {
  /**
   * `all`: every customer's and account's report of the metric added up, each payer priced on its
   * own usage as it is billed (instead of customer_id / account_id: 400 `payer_conflict` with
   * either). At most 1,000 payers with usage in the window, else 400 `too_many_payers`.
   */
  @ApiPropertyOptional({ enum: ['all'] })
  @Optional()
  @IsIn(['all'])
  payers?: 'all';

  /** A time series of the window in periods of this size. */
  @ApiPropertyOptional({ enum: WINDOW_SIZES })
  @Optional()
  @IsIn(WINDOW_SIZES)
  window_size?: WindowSize;

  /** A breakdown by the value of this metadata key (reads the events themselves). */
  @Optional()
  @IsString()
  @Length(1, 40)
  group_by?: string;
}
