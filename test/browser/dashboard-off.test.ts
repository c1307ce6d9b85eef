import { http, useTestStack } from '../support/test-stack.js';

/** DASHBOARD=false (as in every in-process test): neither the app nor its config.json is served. */
describe('the dashboard turned off', () => {
  const stack = useTestStack();

  it('answers its pages and config.json as unknown routes', async () => {
    for (const path of ['/dashboard/config.json', '/dashboard/', '/dashboard/usage']) {
      const answer = await http(stack.api.baseUrl, 'GET', path);
      expect({ path, status: answer.status, code: answer.body.error.code }).toEqual({
        path,
        status: 404,
        code: 'route_not_found',
      });
    }
  });
});
