import { html, type SafeHtml } from '@portal/common';
import type { UserSearchField } from '../queries/users.js';

export const searchFieldLabels: Record<UserSearchField, string> = { username: 'Username (exact)', name: 'Name (starts with)', email: 'Email (starts with)', org: 'Organization code (starts with)' };

/** The one "find a user" form of the help desk and the administration pages. */
export function userSearchForm(action: string, field: UserSearchField, text: string): SafeHtml {
  return html`<form method="get" action="${action}" class="search" role="search">
    <label for="field">Find a user by</label>
    <select id="field" name="field">${(Object.keys(searchFieldLabels) as UserSearchField[]).map((f) => html`<option value="${f}"${f === field ? html` selected` : ''}>${searchFieldLabels[f]}</option>`)}</select>
    <label for="q">Search for</label>
    <input id="q" name="q" type="text" value="${text}" minlength="2" maxlength="100" required autocomplete="off">
    <button type="submit">Search</button>
  </form>`;
}
