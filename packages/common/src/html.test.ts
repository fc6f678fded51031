import { html, SafeHtml } from './html.js';

test('interpolations are escaped; nested templates and lists are not double-escaped', () => {
  const name = `<script>alert("x")</script>&'`;
  const out = html`<p title="${name}">${name}</p>${[html`<b>${'a&b'}</b>`, 'c<d']}`.toString();
  expect(out).toBe(
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p><b>a&amp;b</b>c&lt;d',
  );
  expect(html`${new SafeHtml('<i>ok</i>')}${null}${undefined}${false}`.toString()).toBe('<i>ok</i>');
});
