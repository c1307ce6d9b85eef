import type { Tally, components } from '../../sdk/src/index.js';
import { dataOf } from './use-answer.js';

export type PipelineHealth = components['schemas']['PipelineHealth'];

/** GET /v1/pipeline/health (no SDK helper yet). */
export function pipelineHealth(tally: Tally): Promise<PipelineHealth> {
  return dataOf(tally.client.GET('/v1/pipeline/health'));
}

/** Seconds as a person reads them: "0 s", "4.2 s", "3 min 5 s". */
export function seconds(value: number): string {
  if (value < 60) return `${value} s`;
  const minutes = Math.floor(value / 60);
  return `${minutes} min ${Math.floor(value - minutes * 60)} s`;
}
