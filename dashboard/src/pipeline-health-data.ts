import { TallyApiError, type ErrorBody, type Tally, type components } from '../../sdk/src/index.js';

export type PipelineHealth = components['schemas']['PipelineHealth'];

/** GET /v1/pipeline/health (no SDK helper yet). */
export function pipelineHealth(tally: Tally): Promise<PipelineHealth> {
  return dataOf(tally.client.GET('/v1/pipeline/health'));
}

/** The data of a raw `tally.client` call, or the TallyApiError its refusal is (as the SDK's helpers throw). */
export async function dataOf<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error as { error?: ErrorBody } | undefined)?.error;
  throw new TallyApiError(
    response.status,
    body ?? { type: 'api_error', code: 'unknown', message: `The API answered ${response.status}.` },
    response.headers.get('request-id') ?? undefined,
  );
}

/** Seconds as a person reads them: "0 s", "4.2 s", "3 min 5 s". */
export function seconds(value: number): string {
  if (value < 60) return `${value} s`;
  const minutes = Math.floor(value / 60);
  return `${minutes} min ${Math.floor(value - minutes * 60)} s`;
}
