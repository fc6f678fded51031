import { html, type SafeHtml } from '@portal/common';
import type { UserSearchField, UserSearchRow } from '../queries/users.js';

export const searchFieldLabels: Record<UserSearchField, string> = { username: 'Username (exact)', name: 'Name (starts with)', email: 'Email (starts with)', org: 'Organization code (starts with)' };

/** The one "find a user" form of the help desk and the administration pages. */
export function userSearchForm(action: string, field: UserSearchField, text: string): SafeHtml {
  return html`<form method="get" action="${action}" class="search" role="search">
    <label class="usa-label" for="field">Find a user by</label>
    <select class="usa-select" id="field" name="field">${(Object.keys(searchFieldLabels) as UserSearchField[]).map((f) => html`<option value="${f}"${f === field ? html` selected` : ''}>${searchFieldLabels[f]}</option>`)}</select>
    <label class="usa-label" for="q">Search for</label>
    <input class="usa-input" id="q" name="q" type="text" value="${text}" minlength="2" maxlength="100" required autocomplete="off">
    <button class="usa-button" type="submit">Search</button>
  </form>`;
}

/**
 * The results of that search, paged: a table whose first column links each user to `hrefOf`, and
 * a last column the page chooses (the help desk's status, the administrators' role and account).
 */
export function userSearchResults(v: {
  results: { rows: UserSearchRow[]; page: number; more: boolean };
  hrefOf: (row: UserSearchRow) => string;
  pageHref: (page: number) => string;
  extra: { heads: string[]; cells: (row: UserSearchRow) => string[] };
}): SafeHtml {
  const { results } = v;
  if (!results.rows.length) return html`<p role="status">No user matches. Usernames must match exactly (00012345678 is not 12345678).</p>`;
  return html`<h2>Results</h2>
  <table class="usa-table usa-table--stacked orgs results">
    <thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Email</th>${v.extra.heads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>${results.rows.map(
      (r) => html`<tr><td><a href="${v.hrefOf(r)}">${r.username}</a></td><td>${r.name}</td><td>${r.email}</td>${v.extra.cells(r).map((c) => html`<td>${c}</td>`)}</tr>`,
    )}</tbody>
  </table>
  <nav aria-label="Result pages" class="pager">${results.page > 1 ? html`<a href="${v.pageHref(results.page - 1)}">Previous page</a>` : ''} <span>Page ${results.page}</span> ${results.more ? html`<a href="${v.pageHref(results.page + 1)}">Next page</a>` : ''}</nav>`;
}
