// The public status page's style sheet and script, served from /status/ (the CSP allows nothing inline).
// Colours: dark words on light tints, each pair at least 7:1 (WCAG AAA for text), and every status also has an icon and
// its words, so colour is never the only sign.

export const STATUS_CSS = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff; }
body { margin: 0 auto; max-width: 48rem; padding: 1rem; line-height: 1.4; }
h1 { font-size: 1.5rem; margin: .25rem 0; }
a { color: #0b4f9c; }
header .where, .sites .where { color: #444; margin: 0; }
.summary { font-weight: 600; margin: .5rem 0 1rem; }
ul { list-style: none; margin: 0; padding: 0; }
.sites li a { display: grid; grid-template-columns: 1fr auto; gap: .1rem 1rem; padding: .75rem; border-bottom: 1px solid #ddd; text-decoration: none; }
.sites .name { font-weight: 600; text-decoration: underline; }
.sites .count { grid-row: span 2; align-self: center; color: #1a1a1a; }
.charger { display: grid; grid-template-columns: 1fr auto; gap: .25rem .75rem; padding: .75rem; margin: .5rem 0; border-radius: .5rem; border-left: .5rem solid; }
.charger .name { font-weight: 600; }
.charger .status { font-weight: 700; justify-self: end; }
.charger .when, .charger .plugs { grid-column: 1 / -1; font-size: .95rem; }
.charger .back { margin-left: .75rem; font-weight: 600; }
.icon::before { display: inline-block; width: 1.2em; text-align: center; }
.s-available { background: #dcf5e2; border-color: #1e7b34; color: #0c3d18; } .s-available .icon::before { content: "\\2713"; }
.s-inUse { background: #dde9fd; border-color: #1d5fbf; color: #0e2f61; } .s-inUse .icon::before { content: "\\26A1"; }
.s-reserved { background: #efe3fa; border-color: #7a3fb0; color: #3c1660; } .s-reserved .icon::before { content: "\\25C6"; }
.s-maintenance { background: #fff2cc; border-color: #a87400; color: #4a3300; } .s-maintenance .icon::before { content: "\\2692"; }
.s-outOfService { background: #ebebeb; border-color: #555; color: #222; } .s-outOfService .icon::before { content: "\\2715"; }
.s-outOfOrder { background: #fde2df; border-color: #b3261e; color: #5f120c; } .s-outOfOrder .icon::before { content: "!"; }
.s-unknown { background: #eef0f3; border-color: #5b6573; color: #262c35; } .s-unknown .icon::before { content: "?"; }
footer { margin-top: 1.5rem; color: #444; font-size: .9rem; }
@media (min-width: 40rem) { .charger { grid-template-columns: 10rem 1fr auto; } .charger .when { grid-column: auto; } }
`;

/** Re-reads the page's JSON feed every 10 s and updates the words, classes and times in place (text only). */
export const STATUS_JS = `
(() => {
  const feed = document.body.dataset.feed;
  if (!feed) return;
  const when = (iso, tz) => iso ? new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)) : '';
  const setTime = (el, label, iso, tz) => {
    el.textContent = '';
    if (!iso) return;
    el.append(label + ' ');
    const t = document.createElement('time');
    t.dateTime = iso;
    t.textContent = when(iso, tz);
    el.append(t);
  };
  const apply = (data) => {
    const gen = document.querySelector('[data-generated]');
    if (data.chargers) {
      for (const c of data.chargers) {
        const li = document.querySelector('li[data-id="' + CSS.escape(c.id) + '"]');
        if (!li) continue;
        li.className = 'charger s-' + c.status;
        li.querySelector('.word').textContent = c.statusText;
        const w = li.querySelector('.when');
        w.textContent = '';
        const since = document.createElement('span');
        since.className = 'since';
        setTime(since, 'since', c.since, data.timeZone);
        const back = document.createElement('span');
        back.className = 'back';
        setTime(back, 'expected back', c.expectedBack, data.timeZone);
        w.append(since, back);
      }
      const a = document.querySelector('[data-available]');
      if (a) a.textContent = String(data.available);
      if (gen) gen.textContent = when(data.generatedAt, data.timeZone);
    } else if (data.sites) {
      for (const s of data.sites) {
        const el = document.querySelector('[data-site="' + CSS.escape(s.id) + '"]');
        if (el) el.textContent = s.available + ' of ' + s.chargers.length + ' available';
      }
      if (gen) gen.textContent = when(data.generatedAt, 'UTC');
    }
  };
  const poll = async () => {
    try {
      const res = await fetch(feed, { cache: 'no-store' });
      if (res.ok) apply(await res.json());
    } catch {}
    setTimeout(poll, Number(document.body.dataset.every || 10000));
  };
  setTimeout(poll, Number(document.body.dataset.every || 10000));
})();
`;

/** The page's icon: a white bolt on green. */
export const STATUS_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1e7b34"/><path d="M18 3 7 18h7l-2 11 11-15h-7z" fill="#fff"/></svg>`;
