import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export class ReportQueryDto {
  /** The customer (cus_…); give this or account_id. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customer_id?: string;

  /** The account (acct_…); give this or customer_id. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  account_id?: string;

  /** Window start, inclusive, on a whole UTC hour (ISO 8601); default: the start of the current UTC month. */
  @IsOptional()
  @IsString()
  start?: string;

  /** Window end, exclusive, on a whole UTC hour; default: now, rounded up to the next hour. */
  @IsOptional()
  @IsString()
  end?: string;
}

export class EventReportQueryDto extends ReportQueryDto {
  /** A time series of the window in periods of this size. */
  @IsOptional()
  @IsIn(['hour', 'day'])
  window_size?: 'hour' | 'day';

  /** A breakdown by the value of this metadata key (reads the events themselves). */
  @IsOptional()
  @IsString()
  @Length(1, 40)
  group_by?: string;
}

export class SubscriptionReportQueryDto {
  @IsString()
  @Length(1, 64)
  subscription_id!: string;
}
