import { RouteTable } from './route-table.js';

describe('RouteTable', () => {
  const table = new RouteTable();
  table.add('GET', '/v1/customers');
  table.add(['POST', 'HEAD'], '/v1/customers');
  table.add('GET', '/v1/customers/:id');
  table.add('POST', '/v1/customers/:id');
  table.add('DELETE', '/v1/webhook_endpoints/:id');
  table.add('GET', '/v1/events/:id');
  table.add('POST', '/v1/events/batch');

  it.each<[string, string[]]>([
    ['/v1/customers', ['GET', 'HEAD', 'POST']],
    ['/v1/customers/', ['GET', 'HEAD', 'POST']],
    ['/v1/customers?limit=3', ['GET', 'HEAD', 'POST']],
    ['/v1/customers/cus_123', ['GET', 'POST']],
    ['/v1/webhook_endpoints/we_1', ['DELETE']],
    ['/v1/customers/cus_123/extra', []],
    ['/v1/nothing', []],
    ['/v1/customersX', []],
    ['/v1/events/batch', ['POST']],
    ['/v1/events/ev_1', ['GET']],
  ])('%s takes %j', (path, methods) => {
    expect(table.allowedAt(path)).toEqual(methods);
  });
});
