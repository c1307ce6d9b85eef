import { createMerchant, http, useTestStack } from '../support/test-stack.js';

describe.each([
  ['customers', 'cus_'],
  ['accounts', 'acct_'],
])('GET /v1/%s?search=', (path) => {
  const stack = useTestStack();
  let key: string;
  let otherKey: string;
  const ids: Record<string, string> = {};
  const call = (url: string, as = key) => http(stack.api.baseUrl, 'GET', url, { key: as });
  const idsOf = (body: { data: { id: string }[] }) => body.data.map((payer) => payer.id);
  const search = async (text: string, extra = '') => {
    const response = await call(`/v1/${path}?search=${encodeURIComponent(text)}${extra}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    key = (await createMerchant(stack.api.baseUrl)).key;
    otherKey = (await createMerchant(stack.api.baseUrl)).key;
    const make = async (as: string, body: object) =>
      (await http(stack.api.baseUrl, 'POST', `/v1/${path}`, { key: as, body })).body.id as string;
    ids.acme = await make(key, { name: 'Acme Rockets', email: 'ops@acme.test', external_id: 'u-100' });
    ids.globex = await make(key, {
      name: 'Globex',
      email: 'billing@globex.test',
      external_id: 'acme-legacy',
    });
    ids.percent = await make(key, { name: '100% Organic', external_id: 'under_score' });
    ids.plain = await make(key, { name: '1000 Organic', external_id: 'underXscore' });
    ids.nameless = await make(key, { email: 'Jane.DOE@Initech.test' });
    ids.otherAcme = await make(otherKey, { name: 'Acme of another merchant', external_id: 'acme-x' });
  });

  it('matches a substring of the name, email or external_id, whatever the case, newest first', async () => {
    expect(idsOf(await search('ACME'))).toEqual([ids.globex, ids.acme]);
    expect(idsOf(await search('rocket'))).toEqual([ids.acme]);
    expect(idsOf(await search('initech.TEST'))).toEqual([ids.nameless]);
    expect(idsOf(await search('u-10'))).toEqual([ids.acme]);
    expect(idsOf(await search('nothing like it'))).toEqual([]);
  });

  it('matches an exact id, and ignores white space around the text', async () => {
    expect(idsOf(await search(ids.plain))).toEqual([ids.plain]);
    expect(idsOf(await search(ids.plain.slice(0, -1)))).toEqual([]);
    expect(idsOf(await search('  \tglobex \n'))).toEqual([ids.globex]);
  });

  it('takes % and _ literally', async () => {
    expect(idsOf(await search('100%'))).toEqual([ids.percent]);
    expect(idsOf(await search('%'))).toEqual([ids.percent]);
    expect(idsOf(await search('under_score'))).toEqual([ids.percent]);
    expect(idsOf(await search('\\'))).toEqual([]);
  });

  it("never matches another merchant's payers, by text or by id", async () => {
    expect(idsOf(await search('another merchant'))).toEqual([]);
    expect(idsOf(await search(ids.otherAcme))).toEqual([]);
    const theirs = await call(`/v1/${path}?search=acme`, otherKey);
    expect(idsOf(theirs.body)).toEqual([ids.otherAcme]);
  });

  it('keeps pagination and the other filters', async () => {
    const first = await search('organic', '&limit=1');
    expect(idsOf(first)).toEqual([ids.plain]);
    expect(first.has_more).toBe(true);
    const second = await search('organic', `&limit=1&starting_after=${ids.plain}`);
    expect(idsOf(second)).toEqual([ids.percent]);
    expect(second.has_more).toBe(false);
    expect(idsOf(await search('acme', '&external_id=u-100'))).toEqual([ids.acme]);
    expect(idsOf(await search('globex', '&external_id=u-100'))).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['only white space', ' \t '],
    ['201 characters', 'a'.repeat(201)],
    ['201 characters inside white space', ` ${'a'.repeat(200)}b `],
  ])('refuses a search that is %s with 400 parameter_invalid', async (_what, text) => {
    const response = await call(`/v1/${path}?search=${encodeURIComponent(text)}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'parameter_invalid', param: 'search' });
  });

  it('takes 200 characters inside white space, and a repeated search is refused', async () => {
    expect((await search(`  ${'a'.repeat(200)}  `)).data).toEqual([]);
    const twice = await call(`/v1/${path}?search=a&search=b`);
    expect(twice.status).toBe(400);
    expect(twice.body.error).toMatchObject({ code: 'parameter_invalid', param: 'search' });
  });
});
