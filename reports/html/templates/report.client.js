// Trailwarden HTML report: the findings table. Every string in the data is attacker-controlled
// (resource names, tags, policy text from AWS accounts), so text only ever reaches the page through
// textContent and attribute setters; nothing here parses data as HTML.
(() => {
  const data = JSON.parse(document.getElementById('tw-data').textContent);
  const rows = data.rows;
  const C_CHECK = 0;
  const C_STATUS = 1;
  const C_SEV = 2;
  const C_ACCOUNT = 3;
  const C_REGION = 4;
  const C_TYPE = 5;
  const C_NAME = 6;
  const C_ARN = 7;
  const C_MESSAGE = 8;
  const C_EVIDENCE = 9;
  const C_FP = 10;
  const C_EXC = 11;
  const STATUS_LABEL = { PASS: 'Pass', FAIL: 'Fail', ERROR: 'Error', NOT_APPLICABLE: 'N/A' };
  const SEV_LABEL = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };
  // Open problems first: FAIL, ERROR, excepted FAIL, PASS, N/A.
  const STATUS_RANK = { FAIL: 0, ERROR: 2, PASS: 4, NOT_APPLICABLE: 6 };

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const fmt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const statusOf = (r) => data.statuses[r[C_STATUS]];
  const statusClass = (s) => `st-${s.toLowerCase().replace(/_/g, '-')}`;
  const accountLabel = (i) => {
    const a = data.accounts[i];
    return a[1] ? `${a[0]} (${a[1]})` : a[0];
  };

  const state = { status: '', severity: '', exception: '', account: -1, check: -1, text: '', sort: 'status', dir: 1, page: 0, size: 200 };
  let view = [];

  function fillSelect(select, items) {
    const frag = document.createDocumentFragment();
    for (const [value, label] of items) {
      const o = el('option', '', label);
      o.value = String(value);
      frag.appendChild(o);
    }
    select.appendChild(frag);
  }
  fillSelect(
    $('f-account'),
    data.accounts.map((_, i) => [i, accountLabel(i)]),
  );
  fillSelect(
    $('f-check'),
    data.checks.map((c, i) => [i, `${c.id} — ${c.title}`]),
  );

  // Lower-cased text of each finding for the text filter: built in small slices while the page is
  // idle after loading, and finished at once if someone searches before that.
  const haystack = new Array(rows.length);
  let indexed = 0;
  function indexText(upTo) {
    const end = Math.min(rows.length, upTo);
    for (; indexed < end; indexed++) {
      const r = rows[indexed];
      const exc = r[C_EXC] >= 0 ? data.exceptions[r[C_EXC]] : null;
      haystack[indexed] = [
        data.checks[r[C_CHECK]].id,
        accountLabel(r[C_ACCOUNT]),
        data.regions[r[C_REGION]],
        data.types[r[C_TYPE]],
        r[C_NAME],
        r[C_ARN],
        r[C_MESSAGE],
        r[C_FP],
        JSON.stringify(r[C_EVIDENCE]),
        exc ? `${exc.id} ${exc.reason} ${exc.approver}` : '',
      ]
        .join('\n')
        .toLowerCase();
    }
  }
  function searchText() {
    indexText(rows.length);
    return haystack;
  }
  function indexWhileIdle() {
    indexText(indexed + 4000);
    if (indexed < rows.length) setTimeout(indexWhileIdle, 0);
    else {
      document.documentElement.dataset.indexed = 'true';
      performance.mark('tw-indexed');
    }
  }

  const sortKeys = {
    // Within a status, the most severe first.
    status: (r) => STATUS_RANK[statusOf(r)] * 10 + (r[C_EXC] >= 0 ? 30 : 0) + r[C_SEV],
    severity: (r) => r[C_SEV],
    check: (r) => data.checks[r[C_CHECK]].id,
    account: (r) => data.accounts[r[C_ACCOUNT]][0],
    region: (r) => data.regions[r[C_REGION]],
    resource: (r) => r[C_NAME],
    message: (r) => r[C_MESSAGE],
  };

  function compute() {
    const st = state.status === '' ? -1 : data.statuses.indexOf(state.status);
    const sev = state.severity === '' ? -1 : data.severities.indexOf(state.severity);
    const terms = state.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const hay = terms.length > 0 ? searchText() : null;
    const out = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (st >= 0 && r[C_STATUS] !== st) continue;
      if (sev >= 0 && r[C_SEV] !== sev) continue;
      if (state.account >= 0 && r[C_ACCOUNT] !== state.account) continue;
      if (state.check >= 0 && r[C_CHECK] !== state.check) continue;
      if (state.exception === 'open' && r[C_EXC] >= 0) continue;
      if (state.exception === 'excepted' && r[C_EXC] < 0) continue;
      if (hay && !terms.every((t) => hay[i].includes(t))) continue;
      out.push(i);
    }
    const key = sortKeys[state.sort];
    const keys = new Array(rows.length);
    for (const i of out) keys[i] = key(rows[i]);
    const dir = state.dir;
    // Ties keep the result's own (deterministic) order.
    out.sort((a, b) => {
      const x = keys[a];
      const y = keys[b];
      return x < y ? -dir : x > y ? dir : a - b;
    });
    view = out;
  }

  function badge(status, excepted) {
    const b = el('span', `badge ${excepted ? 'st-excepted' : statusClass(status)}`, excepted ? `${STATUS_LABEL[status]} · excepted` : STATUS_LABEL[status]);
    return b;
  }

  function addField(dl, label, value, mono) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', '', label));
    const dd = el('dd', mono ? 'mono' : '');
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = value;
    dl.appendChild(dd);
  }

  function detailRow(i) {
    const r = rows[i];
    const check = data.checks[r[C_CHECK]];
    const tr = el('tr', 'detail');
    tr.hidden = true;
    const td = el('td');
    td.colSpan = 7;
    const dl = el('dl');
    addField(dl, 'Message', r[C_MESSAGE]);
    addField(dl, 'Check', `${check.id} — ${check.title}`);
    addField(dl, 'Account', accountLabel(r[C_ACCOUNT]), true);
    addField(dl, 'Region', data.regions[r[C_REGION]], true);
    addField(dl, 'Resource', r[C_NAME], true);
    addField(dl, 'ARN', r[C_ARN], true);
    addField(dl, 'Type', data.types[r[C_TYPE]], true);
    addField(dl, 'Fingerprint', r[C_FP], true);
    addField(dl, 'Frameworks', check.frameworks.join('; '));
    if (r[C_EXC] >= 0) {
      const e = data.exceptions[r[C_EXC]];
      addField(dl, 'Exception', `${e.id}: ${e.reason} (approved by ${e.approver}, expires ${e.expires})`);
    }
    addField(dl, 'Evidence', el('pre', 'evidence', JSON.stringify(r[C_EVIDENCE], null, 2)));
    const rem = el('div', 'remediation');
    rem.appendChild(el('p', '', check.remediation.text));
    if (check.remediation.cli) rem.appendChild(el('pre', '', check.remediation.cli));
    if (check.remediation.terraform) rem.appendChild(el('pre', '', check.remediation.terraform));
    if (check.url && /^https?:\/\//i.test(check.url)) {
      const a = el('a', '', 'Documentation');
      a.href = check.url;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      rem.appendChild(a);
    }
    addField(dl, 'Remediation', rem);
    td.appendChild(dl);
    tr.appendChild(td);
    return tr;
  }

  function toggle(row, force) {
    const detail = row.nextElementSibling;
    const open = force === undefined ? detail.hidden : force;
    detail.hidden = !open;
    row.setAttribute('aria-expanded', String(open));
  }

  function renderPage() {
    const pages = Math.max(1, Math.ceil(view.length / state.size));
    if (state.page >= pages) state.page = pages - 1;
    const start = state.page * state.size;
    const end = Math.min(view.length, start + state.size);
    const frag = document.createDocumentFragment();
    for (let k = start; k < end; k++) {
      const i = view[k];
      const r = rows[i];
      const status = statusOf(r);
      const tr = el('tr', 'finding');
      tr.tabIndex = 0;
      tr.dataset.index = String(i);
      tr.setAttribute('aria-expanded', 'false');
      const tdStatus = el('td');
      tdStatus.appendChild(badge(status, r[C_EXC] >= 0));
      tr.appendChild(tdStatus);
      const sev = data.severities[r[C_SEV]];
      const tdSev = el('td');
      tdSev.appendChild(el('span', `sev sev-${sev}`, SEV_LABEL[sev]));
      tr.appendChild(tdSev);
      tr.appendChild(el('td', 'mono nowrap', data.checks[r[C_CHECK]].id));
      tr.appendChild(el('td', 'mono nowrap', data.accounts[r[C_ACCOUNT]][0]));
      tr.appendChild(el('td', 'mono nowrap', data.regions[r[C_REGION]]));
      tr.appendChild(el('td', 'resource mono', r[C_NAME]));
      tr.appendChild(el('td', 'message', r[C_MESSAGE]));
      frag.appendChild(tr);
      frag.appendChild(detailRow(i));
    }
    if (end === start) {
      const tr = el('tr');
      const td = el('td', 'empty', 'No findings match these filters.');
      td.colSpan = 7;
      tr.appendChild(td);
      frag.appendChild(tr);
    }
    $('findings-body').replaceChildren(frag);
    const shown = view.length === 0 ? '0' : `${fmt(start + 1)}–${fmt(end)}`;
    $('f-count').textContent = `Showing ${shown} of ${fmt(view.length)} matching findings (${fmt(rows.length)} in total)`;
    $('f-count').dataset.matching = String(view.length);
    $('f-page').textContent = `Page ${fmt(state.page + 1)} of ${fmt(pages)}`;
    $('f-prev').disabled = state.page === 0;
    $('f-next').disabled = state.page >= pages - 1;
    $('f-print-note').textContent = `This printout lists findings ${shown} of the ${fmt(view.length)} matching the filters in use (${describeFilters()}), sorted by ${state.sort}.`;
    for (const th of document.querySelectorAll('#findings-table th[data-sort]')) {
      if (th.dataset.sort === state.sort) th.setAttribute('aria-sort', state.dir === 1 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
  }

  function describeFilters() {
    const parts = [];
    if (state.status) parts.push(`status ${state.status}`);
    if (state.severity) parts.push(`severity ${state.severity}`);
    if (state.exception) parts.push(state.exception === 'open' ? 'not excepted' : 'excepted only');
    if (state.account >= 0) parts.push(`account ${data.accounts[state.account][0]}`);
    if (state.check >= 0) parts.push(`check ${data.checks[state.check].id}`);
    if (state.text.trim()) parts.push(`text "${state.text.trim()}"`);
    return parts.length > 0 ? parts.join(', ') : 'none';
  }

  function update() {
    state.page = 0;
    compute();
    renderPage();
  }

  function readFilters() {
    state.status = $('f-status').value;
    state.severity = $('f-severity').value;
    state.exception = $('f-exception').value;
    state.account = $('f-account').value === '' ? -1 : Number($('f-account').value);
    state.check = $('f-check').value === '' ? -1 : Number($('f-check').value);
    state.text = $('f-text').value;
  }

  for (const id of ['f-status', 'f-severity', 'f-exception', 'f-account', 'f-check']) {
    $(id).addEventListener('change', () => {
      readFilters();
      update();
    });
  }
  let timer = 0;
  $('f-text').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      readFilters();
      update();
    }, 120);
  });
  $('f-size').addEventListener('change', () => {
    state.size = Number($('f-size').value);
    state.page = 0;
    renderPage();
  });
  $('f-prev').addEventListener('click', () => {
    state.page = Math.max(0, state.page - 1);
    renderPage();
  });
  $('f-next').addEventListener('click', () => {
    state.page += 1;
    renderPage();
  });
  $('f-reset').addEventListener('click', () => {
    for (const id of ['f-status', 'f-severity', 'f-exception', 'f-account', 'f-check', 'f-text']) $(id).value = '';
    readFilters();
    update();
  });
  $('f-expand').addEventListener('click', () => {
    const findingRows = document.querySelectorAll('#findings-body tr.finding');
    const open = [...findingRows].some((r) => r.getAttribute('aria-expanded') !== 'true');
    for (const r of findingRows) toggle(r, open);
  });
  for (const th of document.querySelectorAll('#findings-table th[data-sort]')) {
    th.querySelector('button').addEventListener('click', () => {
      const key = th.dataset.sort;
      state.dir = state.sort === key ? -state.dir : 1;
      state.sort = key;
      update();
    });
  }
  const body = $('findings-body');
  body.addEventListener('click', (ev) => {
    const row = ev.target.closest('tr.finding');
    if (row && !ev.target.closest('a')) toggle(row);
  });
  body.addEventListener('keydown', (ev) => {
    const row = ev.target.closest('tr.finding');
    if (row && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault();
      toggle(row);
    }
  });

  // Section toggles (check details, error list) and "show findings of" links in the static views.
  document.addEventListener('click', (ev) => {
    const t = ev.target.closest('button[aria-controls].toggle');
    if (t) {
      const target = document.getElementById(t.getAttribute('aria-controls'));
      if (target) {
        target.hidden = !target.hidden;
        t.setAttribute('aria-expanded', String(!target.hidden));
      }
      return;
    }
    const f = ev.target.closest('button[data-filter-account], button[data-filter-check]');
    if (!f) return;
    if (f.dataset.filterAccount !== undefined) {
      const i = data.accounts.findIndex((a) => a[0] === f.dataset.filterAccount);
      $('f-account').value = i >= 0 ? String(i) : '';
    } else {
      const i = data.checks.findIndex((c) => c.id === f.dataset.filterCheck);
      $('f-check').value = i >= 0 ? String(i) : '';
    }
    readFilters();
    update();
    $('findings').scrollIntoView();
  });

  update();
  document.documentElement.dataset.ready = 'true';
  performance.mark('tw-ready');
  setTimeout(indexWhileIdle, 50);
})();
