import { useState } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { when } from './format.js';
import { linkTo } from './router.js';
import { dataOf, useAnswer } from './use-answer.js';
import { ScrollTable } from './scroll-table.js';

type Customer = components['schemas']['Customer'];

const PAGE_SIZE = 25;

interface Query {
  search: string;
  /** The pages before this one, by the last id of each (empty on the first page). */
  cursors: string[];
}

/** Customers, newest first, a page at a time, optionally those a search matches. */
export function CustomersPage({ tally }: { tally: Tally }) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState<Query>({ search: '', cursors: [] });
  const startingAfter = query.cursors.at(-1);
  const { value: page, error } = useAnswer(
    () =>
      dataOf(
        tally.client.GET('/v1/customers', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(query.search ? { search: query.search } : {}),
              ...(startingAfter ? { starting_after: startingAfter } : {}),
            },
          },
        }),
      ),
    [tally, query],
  );
  const customers = (page?.data ?? []) as Customer[];

  const search = (event: Event) => {
    event.preventDefault();
    setQuery({ search: text.trim(), cursors: [] });
  };

  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <form class="filters customers-search" role="search" onSubmit={search}>
        <label>
          Search
          <input
            name="search"
            type="search"
            value={text}
            maxLength={200}
            placeholder="Name, email, external id or cus_…"
            onInput={(event) => setText(event.currentTarget.value)}
          />
        </label>
        <button type="submit">Search</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!page && !error && <p aria-live="polite">Loading…</p>}
      {page && customers.length === 0 && (
        <p>{query.search ? `No customer matches “${query.search}”.` : 'No customers yet.'}</p>
      )}
      {customers.length > 0 && (
        <ScrollTable
          label="Customers table"
          caption={<>{query.search ? `Customers matching ${query.search}` : 'Customers'}</>}
        >
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">External id</th>
              <th scope="col">Id</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {customers.map((customer) => (
              <tr>
                <th scope="row">
                  <a {...linkTo(`customers/${customer.id}`)}>{customer.name ?? '(no name)'}</a>
                </th>
                <td>{customer.email ?? '—'}</td>
                <td>{customer.external_id ?? '—'}</td>
                <td>
                  <code>{customer.id}</code>
                </td>
                <td>{when(customer.created)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      {page && (query.cursors.length > 0 || page.has_more) && (
        <div class="actions">
          {query.cursors.length > 0 && (
            <button
              type="button"
              class="quiet"
              onClick={() => setQuery({ ...query, cursors: query.cursors.slice(0, -1) })}
            >
              Previous page
            </button>
          )}
          {page.has_more && (
            <button
              type="button"
              onClick={() => setQuery({ ...query, cursors: [...query.cursors, customers.at(-1)!.id] })}
            >
              Next page
            </button>
          )}
        </div>
      )}
    </section>
  );
}
