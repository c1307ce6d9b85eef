import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { MAX_ROLL_GRACE_SECONDS, RESTRICTED_ACCESSES, type RestrictedAccess } from '../domain/key-access.js';

export class CreateApiKeyDto {
  /** Your label for the key, e.g. where it is used. */
  @ApiProperty({ example: 'Edge ingestion' })
  @IsString()
  @Length(1, 200)
  name!: string;

  /** `read`: only routes that change nothing; `ingest`: only logging usage events. */
  @IsIn(RESTRICTED_ACCESSES)
  access!: RestrictedAccess;
}

export class RollApiKeyDto {
  /**
   * How long the rolled key keeps working alongside its successor, in seconds: 0 (it stops now)
   * to 604800 (7 days). A key rolled again keeps the earlier of the two ends.
   */
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_ROLL_GRACE_SECONDS, example: 3600 })
  @IsInt()
  @Min(0)
  @Max(MAX_ROLL_GRACE_SECONDS)
  expires_in_seconds!: number;
}

export class ListApiKeysQueryDto extends pageQueryFor('apiKey') {}
