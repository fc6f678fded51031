import { html, type SafeHtml } from '@portal/common';
import type { UserSearchField, UserSearchRow } from '../queries/users.js';
import { t } from '../locales/consoles.js';

const searchFields: readonly UserSearchField[] = ['username', 'name', 'email', 'org'];

/** The one "find a user" form of the help desk and the administration pages. */
export function userSearchForm(action: string, field: UserSearchField, text: string): SafeHtml {
  return html`<form method="get" action="${action}" class="search" role="search">
    <label class="usa-label" for="field">${t('consoles.search.findBy')}</label>
    <select class="usa-select" id="field" name="field">${searchFields.map((f) => html`<option value="${f}"${f === field ? html` selected` : ''}>${t(`consoles.search.fields.${f}`)}</option>`)}</select>
    <label class="usa-label" for="q">${t('consoles.search.searchFor')}</label>
    <input class="usa-input" id="q" name="q" type="text" value="${text}" minlength="2" maxlength="100" required autocomplete="off">
    <button class="usa-button" type="submit">${t('consoles.search.button')}</button>
  </form>`;
}

/** The pager under a list: previous and next page links around the page number. */
export function pager(page: number, more: boolean, href: (page: number) => string): SafeHtml {
  return html`<nav aria-label="${t('consoles.pager.label')}" class="pager">${page > 1 ? html`<a href="${href(page - 1)}">${t('consoles.pager.previous')}</a>` : ''} <span>${t('consoles.pager.page', { page })}</span> ${more ? html`<a href="${href(page + 1)}">${t('consoles.pager.next')}</a>` : ''}</nav>`;
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
  if (!results.rows.length) return html`<p role="status">${t('consoles.search.noMatch')}</p>`;
  return html`<h2>${t('consoles.search.results')}</h2>
  <table class="usa-table usa-table--stacked orgs results">
    <thead><tr><th scope="col">${t('consoles.username')}</th><th scope="col">${t('consoles.name')}</th><th scope="col">${t('consoles.email')}</th>${v.extra.heads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>${results.rows.map(
      (r) => html`<tr><td><a href="${v.hrefOf(r)}">${r.username}</a></td><td>${r.name}</td><td>${r.email}</td>${v.extra.cells(r).map((c) => html`<td>${c}</td>`)}</tr>`,
    )}</tbody>
  </table>
  ${pager(results.page, results.more, v.pageHref)}`;
}
