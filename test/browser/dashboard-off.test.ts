import { http, useTestStack } from '../support/test-stack.js';

/**
 * DASHBOARD=false (as in every in-process test): neither the app, its config.json nor the customer
 * portal's page is served (the portal API is, as every API route).
 */
describe('the dashboard turned off', () => {
  const stack = useTestStack();

  it('answers its pages, config.json and the portal page as unknown routes', async () => {
    for (const path of ['/dashboard/config.json', '/dashboard/', '/dashboard/usage', '/portal', '/portal/']) {
      const answer = await http(stack.api.baseUrl, 'GET', path);
      expect({ path, status: answer.status, code: answer.body.error.code }).toEqual({
        path,
        status: 404,
        code: 'route_not_found',
      });
    }
  });
});
