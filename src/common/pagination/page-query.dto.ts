import { IsOptional, IsString } from 'class-validator';

/** `limit` (1–100, default 10) and `starting_after` (an id from the previous page); checked by toPageRequest. */
export class PageQueryDto {
  @IsOptional()
  @IsString()
  limit?: string;

  @IsOptional()
  @IsString()
  starting_after?: string;
}
