import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { ID_PREFIXES, type IdKind } from '../ids/ids.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';
import { Optional } from '../validation/optional.js';

/** The pattern of an id of `kind`, as `isIdOf` checks it. */
export function idPattern(kind: IdKind): string {
  return `^${ID_PREFIXES[kind]}_[0-9a-hjkmnp-tv-z]{26}$`;
}

const pages = new Map<IdKind, new () => PageQuery>();

export interface PageQuery {
  limit?: string;
  starting_after?: string;
}

/**
 * `limit` and `starting_after` for a list of `kind` objects; toPageRequest checks them (the
 * query string is text), and this states the same rule in the OpenAPI document.
 */
export function pageQueryFor(kind: IdKind): new () => PageQuery {
  const known = pages.get(kind);
  if (known) return known;
  class PageQueryDto implements PageQuery {
    @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
    @Optional()
    @IsString()
    limit?: string;

    @ApiPropertyOptional({
      type: 'string',
      pattern: idPattern(kind),
      description: 'The id of the last object of the previous page.',
    })
    @Optional()
    @IsString()
    starting_after?: string;
  }
  pages.set(kind, PageQueryDto);
  return PageQueryDto;
}
