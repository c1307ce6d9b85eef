import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ApiExactlyOne } from '../../common/http/openapi/api-contract.js';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { Optional } from '../../common/validation/optional.js';
import { PayerFieldsDto } from '../../payers/dto/payer-fields.dto.js';
import { EXPIRES_IN } from '../domain/portal-token.js';

/**
 * An absolute http(s) URL: a host of letters, digits, dots and hyphens, an optional port, then
 * visible ASCII. The service also parses it (WHATWG URL): one that does not parse is 400 `url_invalid`.
 */
export const RETURN_URL_PATTERN = '^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?$';

/** Whose portal to open: exactly one of customer / account, where the page links back, for how long. */
@ApiExactlyOne(['customer', 'account'])
export class CreatePortalSessionDto extends PayerFieldsDto {
  /** Where the portal's "back" link goes (an http(s) URL, at most 2048 characters); default: none. */
  @ApiPropertyOptional({ pattern: RETURN_URL_PATTERN, example: 'https://example.com/account' })
  @Optional()
  @IsString()
  @Length(1, 2048)
  @Matches(new RegExp(RETURN_URL_PATTERN))
  return_url?: string;

  /** How long the URL works, in seconds: 300 (5 minutes) to 86400 (a day); default 3600. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: EXPIRES_IN.min,
    maximum: EXPIRES_IN.max,
    default: EXPIRES_IN.default,
  })
  @Optional()
  @IsInt()
  @Min(EXPIRES_IN.min)
  @Max(EXPIRES_IN.max)
  expires_in?: number;
}

/** A page of the portal payer's invoices (newest first); no filters: the payer is the session's. */
export class PortalInvoicesQueryDto extends pageQueryFor('invoice') {}
