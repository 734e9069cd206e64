/**
 * The reader study page: one HTML document with its script and styles inline (no external asset of any kind), served
 * by `studyServer.ts`. It talks to the server's JSON API on the same origin and never learns which conclusion is the
 * generated one: it only sees "A" and "B".
 */
export function studyPageHtml(nonce: string, caseCount: number): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reader study</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
  <strong>Reader study</strong>
  <span id="progress"></span>
  <span id="who" hidden>Reader: <b id="readerName"></b> <button type="button" id="switchReader" class="link">Change reader</button></span>
</header>
<main>
  <section id="enter" hidden>
    <h1>Blinded reader study</h1>
    <p>For each of the ${caseCount} cases you see the findings and two conclusions, <b>A</b> and <b>B</b>, in random order.
    Rate each conclusion from 1 (unacceptable) to 5 (excellent), then choose the better one, or “equivalent”.</p>
    <p>Open the study with your own invitation link, the one the study coordinator gave you (it ends in <code>#invite=…</code>).
    Every answer is saved the moment you give it; open your link again to resume where you stopped. Keep the link to
    yourself: whoever has it answers as you.</p>
    <form id="inviteForm"><label>Invitation link or code <input id="invite" name="invite" autocomplete="off" spellcheck="false" maxlength="400" required></label> <button type="submit" id="open">Open</button></form>
  </section>
  <section id="naming" hidden>
    <h1>Your name</h1>
    <p>The name is shown in the results. It is only a label: your invitation link is what identifies you.</p>
    <form id="nameForm"><label>Your name <input id="name" name="name" autocomplete="name" maxlength="80" required></label> <button type="submit" id="start">Start</button></form>
  </section>
  <section id="case" hidden>
    <div id="exam" class="exam"></div>
    <h2>Findings</h2>
    <p id="findings" class="text"></p>
    <div class="pair">
      ${panel('A')}
      ${panel('B')}
    </div>
    <div class="preference" role="radiogroup" aria-label="Which conclusion is better?">
      <span>Which is better?</span>
      <button type="button" data-preference="A" aria-pressed="false">A is better <kbd>a</kbd></button>
      <button type="button" data-preference="equivalent" aria-pressed="false">Equivalent <kbd>e</kbd></button>
      <button type="button" data-preference="B" aria-pressed="false">B is better <kbd>b</kbd></button>
    </div>
    <nav>
      <button type="button" id="previous">Previous <kbd>p</kbd></button>
      <span id="status" role="status"></span>
      <button type="button" id="retry" hidden>Retry saving</button>
      <button type="button" id="next">Next <kbd>n</kbd> / <kbd>Enter</kbd></button>
    </nav>
    <p class="keys">Keys: <kbd>1</kbd>–<kbd>5</kbd> rate the highlighted conclusion (<kbd>←</kbd> <kbd>→</kbd> or a click switch it), <kbd>a</kbd> / <kbd>b</kbd> / <kbd>e</kbd> choose, <kbd>n</kbd> or <kbd>Enter</kbd> next, <kbd>p</kbd> previous.</p>
  </section>
  <section id="done" hidden>
    <h1>All cases done</h1>
    <p>Thank you. Your answers are saved. You can still go back and change them.</p>
    <button type="button" id="review">Back to the last case</button>
  </section>
  <div id="error" role="alert" hidden></div>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

const RATING_LABELS = ['1: unacceptable', '2: poor', '3: acceptable', '4: good', '5: excellent'];

function panel(side: 'A' | 'B'): string {
  const buttons = [1, 2, 3, 4, 5]
    .map(
      (value) => `<button type="button" data-side="${side}" data-rating="${value}" aria-pressed="false" title="${RATING_LABELS[value - 1]}">${value}</button>`,
    )
    .join('');
  return `<article id="panel${side}" class="conclusion" data-side="${side}">
        <h3>Conclusion ${side}</h3>
        <p id="text${side}" class="text"></p>
        <div class="rating" role="radiogroup" aria-label="Rating of conclusion ${side}"><span>Rating</span>${buttons}<small>1 unacceptable · 3 acceptable · 5 excellent</small></div>
      </article>`;
}

const STYLE = `
:root { color-scheme: light dark; --accent: #2f6fb2; --line: #c8d1db; --muted: #5b6570; --focus: #fff6d6; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; }
header { display: flex; gap: 18px; align-items: baseline; padding: 10px 20px; border-bottom: 1px solid var(--line); }
#who { margin-left: auto; }
main { max-width: 1100px; margin: 0 auto; padding: 10px 20px 40px; }
h1 { font-size: 22px; } h2 { font-size: 15px; margin-bottom: 4px; color: var(--muted); } h3 { margin: 0 0 6px; font-size: 15px; }
.exam { font-weight: 600; margin-top: 10px; }
.text { white-space: pre-wrap; margin-top: 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin: 14px 0; }
.conclusion { border: 2px solid var(--line); border-radius: 8px; padding: 10px 14px; cursor: pointer; }
.conclusion.focused { border-color: var(--accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--accent) 25%, transparent); }
.rating { display: flex; gap: 6px; align-items: center; }
.rating span, .preference span { color: var(--muted); margin-right: 6px; }
.rating small { color: var(--muted); margin-left: 8px; }
button { font: inherit; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; cursor: pointer; }
button[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
button:disabled { opacity: 0.45; cursor: default; }
button.link { border: none; padding: 0; text-decoration: underline; color: var(--accent); }
.preference { display: flex; gap: 8px; align-items: center; margin: 12px 0; }
nav { display: flex; gap: 12px; align-items: center; margin-top: 18px; }
#next { margin-left: auto; }
#status { color: var(--muted); }
#status.error, #error { color: #b3261e; }
.keys { color: var(--muted); font-size: 13px; margin-top: 18px; }
kbd { font: 12px ui-monospace, monospace; border: 1px solid var(--line); border-radius: 3px; padding: 0 4px; }
`;

const SCRIPT = String.raw`
(function () {
  'use strict';
  var TOKEN_KEY = 'radreport-study-token';
  var state = { token: null, reader: null, cases: [], answers: {}, index: 0, focus: 'A', unsaved: {}, saving: 0 };
  var $ = function (id) { return document.getElementById(id); };

  var TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
  // An invitation link carries its token in the fragment (#invite=…), which the browser never sends to a server.
  function tokenFrom(text) {
    var match = /(?:^|[#?&])invite=([A-Za-z0-9_-]+)/.exec(text || '');
    var token = match ? match[1] : String(text || '').trim();
    return TOKEN_SHAPE.test(token) ? token : null;
  }
  function storedToken() { try { return localStorage.getItem(TOKEN_KEY); } catch (e) { return null; } }
  function storeToken(token) { try { if (token) localStorage.setItem(TOKEN_KEY, token); else localStorage.removeItem(TOKEN_KEY); } catch (e) { /* storage off: the link resumes */ } }

  function api(method, path, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (state.token) headers['X-Reader-Token'] = state.token;
    // Relative paths, so the page also works behind a proxy that serves it under a path prefix.
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) { var error = new Error(data.error || ('HTTP ' + response.status)); error.status = response.status; throw error; }
          return data;
        });
      });
  }

  function show(section) {
    ['enter', 'naming', 'case', 'done'].forEach(function (id) { $(id).hidden = id !== section; });
    $('who').hidden = section === 'enter' || section === 'naming';
  }
  function showError(message) { $('error').textContent = message || ''; $('error').hidden = !message; }

  function answerOf(number) {
    return state.answers[number] || { case: number, ratingA: null, ratingB: null, preference: null };
  }
  function complete(answer) { return answer.ratingA !== null && answer.ratingB !== null && answer.preference !== null; }
  function completeCount() { var n = 0; state.cases.forEach(function (c) { if (complete(answerOf(c.number))) n++; }); return n; }
  function firstIncomplete() {
    for (var i = 0; i < state.cases.length; i++) if (!complete(answerOf(state.cases[i].number))) return i;
    return -1;
  }
  function unsavedCount() { return Object.keys(state.unsaved).length; }

  function enterStudy(data) {
    state.reader = data.reader.name;
    state.answers = {};
    data.answers.forEach(function (a) { state.answers[a.case] = a; });
    $('readerName').textContent = state.reader;
    showError('');
    if (!data.reader.named) { show('naming'); $('name').value = state.reader; $('name').select(); $('name').focus(); return; }
    return api('GET', 'api/cases').then(function (study) {
      state.cases = study.cases;
      var next = firstIncomplete();
      if (next === -1) { state.index = state.cases.length - 1; show('done'); renderProgress(); return; }
      openCase(next);
    });
  }

  function openCase(index) {
    state.index = index;
    var c = state.cases[index];
    var a = answerOf(c.number);
    state.focus = a.ratingA === null || a.ratingB !== null ? 'A' : 'B';
    $('exam').textContent = c.exam || '';
    $('findings').textContent = c.findings;
    $('textA').textContent = c.A;
    $('textB').textContent = c.B;
    show('case');
    render();
    window.scrollTo(0, 0);
  }

  function renderProgress() {
    $('progress').textContent = state.cases.length
      ? 'Case ' + (state.index + 1) + ' of ' + state.cases.length + ' · ' + completeCount() + ' complete'
      : '';
  }

  function render() {
    var c = state.cases[state.index];
    var a = answerOf(c.number);
    Array.prototype.forEach.call(document.querySelectorAll('[data-rating]'), function (button) {
      var value = button.getAttribute('data-side') === 'A' ? a.ratingA : a.ratingB;
      button.setAttribute('aria-pressed', String(value === Number(button.getAttribute('data-rating'))));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-preference]'), function (button) {
      button.setAttribute('aria-pressed', String(a.preference === button.getAttribute('data-preference')));
    });
    $('panelA').classList.toggle('focused', state.focus === 'A');
    $('panelB').classList.toggle('focused', state.focus === 'B');
    $('previous').disabled = state.index === 0;
    $('next').disabled = !complete(a) || unsavedCount() > 0 || state.saving > 0;
    var status = $('status');
    status.classList.toggle('error', unsavedCount() > 0 && state.saving === 0);
    $('retry').hidden = !(unsavedCount() > 0 && state.saving === 0);
    if (state.saving > 0) status.textContent = 'Saving…';
    else if (unsavedCount() > 0) status.textContent = 'Not saved: ' + (state.lastError || 'the study server cannot be reached') + '.';
    else if (complete(a)) status.textContent = 'Saved. Press n or Enter for the next case.';
    else if (a.ratingA !== null || a.ratingB !== null || a.preference !== null) status.textContent = 'Saved.';
    else status.textContent = '';
    renderProgress();
  }

  function give(change) {
    var c = state.cases[state.index];
    var number = c.number;
    var a = answerOf(number);
    var merged = { case: number, ratingA: a.ratingA, ratingB: a.ratingB, preference: a.preference };
    Object.keys(change).forEach(function (k) { merged[k] = change[k]; });
    state.answers[number] = merged;
    var pending = state.unsaved[number] || {};
    Object.keys(change).forEach(function (k) { pending[k] = change[k]; });
    state.unsaved[number] = pending;
    if (change.ratingA !== undefined && merged.ratingB === null) state.focus = 'B';
    flush();
  }

  // Answers go to the server one request at a time, in the order given, so a later answer never loses to an earlier one.
  var retryTimer = null;
  function flush() {
    if (state.saving > 0) return;
    var numbers = Object.keys(state.unsaved);
    if (numbers.length === 0) { render(); return; }
    var number = Number(numbers[0]);
    var change = state.unsaved[number];
    delete state.unsaved[number];
    state.saving = 1;
    render();
    api('PUT', 'api/answers/' + number, change).then(function (data) {
      state.saving = 0;
      state.lastError = null;
      var saved = data.answer;
      var newer = state.unsaved[number] || {};
      Object.keys(newer).forEach(function (k) { saved[k] = newer[k]; });
      state.answers[number] = saved;
      flush();
    }, function (error) {
      state.saving = 0;
      state.lastError = error.status ? error.message : 'the study server cannot be reached';
      var newer = state.unsaved[number] || {};
      Object.keys(newer).forEach(function (k) { change[k] = newer[k]; });
      state.unsaved[number] = change;
      if (error.status === 401) { signOut('Your invitation is not valid for this study any more: open the study with your invitation link.'); return; }
      render();
      if (!error.status && !retryTimer) retryTimer = setTimeout(function () { retryTimer = null; flush(); }, 3000);
    });
  }

  function retry() { flush(); }

  function next() {
    var a = answerOf(state.cases[state.index].number);
    if (!complete(a) || unsavedCount() > 0 || state.saving > 0) return;
    if (state.index + 1 < state.cases.length) { openCase(state.index + 1); return; }
    var missing = firstIncomplete();
    if (missing === -1) { show('done'); renderProgress(); }
    else openCase(missing);
  }

  function signOut(message) {
    state.token = null; state.reader = null; state.answers = {}; state.unsaved = {};
    storeToken(null);
    $('progress').textContent = '';
    show('enter');
    showError(message || '');
    $('invite').focus();
  }

  function openWith(token) {
    state.token = token;
    storeToken(token);
    return api('GET', 'api/me').then(enterStudy).catch(function (error) {
      signOut(error.status === 401
        ? 'This invitation is not valid for this study: open the study with the link you were given.'
        : 'The study server cannot be reached: ' + error.message);
    });
  }

  $('inviteForm').addEventListener('submit', function (event) {
    event.preventDefault();
    var token = tokenFrom($('invite').value);
    $('invite').value = '';
    if (!token) { showError('That is not an invitation link or code: a name does not open the study. Open the study with your own invitation link.'); return; }
    showError('');
    $('open').disabled = true;
    openWith(token).then(function () { $('open').disabled = false; });
  });
  $('nameForm').addEventListener('submit', function (event) {
    event.preventDefault();
    showError('');
    $('start').disabled = true;
    api('PUT', 'api/me', { name: $('name').value })
      .then(enterStudy)
      .catch(function (error) { showError(error.message); })
      .then(function () { $('start').disabled = false; });
  });
  $('switchReader').addEventListener('click', function () { signOut(''); });
  $('previous').addEventListener('click', function () { if (state.index > 0) openCase(state.index - 1); });
  $('next').addEventListener('click', next);
  $('retry').addEventListener('click', retry);
  $('review').addEventListener('click', function () { openCase(state.cases.length - 1); });
  ['A', 'B'].forEach(function (side) {
    $('panel' + side).addEventListener('click', function () { state.focus = side; render(); });
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-rating]'), function (button) {
    button.addEventListener('click', function (event) {
      event.stopPropagation();
      var side = button.getAttribute('data-side');
      state.focus = side;
      var change = {}; change['rating' + side] = Number(button.getAttribute('data-rating'));
      give(change);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-preference]'), function (button) {
    button.addEventListener('click', function () { give({ preference: button.getAttribute('data-preference') }); });
  });

  document.addEventListener('keydown', function (event) {
    if ($('case').hidden || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
    var key = event.key;
    if (key >= '1' && key <= '5') { var change = {}; change['rating' + state.focus] = Number(key); give(change); }
    else if (key === 'a' || key === 'A') give({ preference: 'A' });
    else if (key === 'b' || key === 'B') give({ preference: 'B' });
    else if (key === 'e' || key === 'E') give({ preference: 'equivalent' });
    else if (key === 'n' || key === 'N' || key === 'Enter') next();
    else if (key === 'p' || key === 'P') { if (state.index > 0) openCase(state.index - 1); }
    else if (key === 'ArrowLeft') { state.focus = 'A'; render(); }
    else if (key === 'ArrowRight') { state.focus = 'B'; render(); }
    else return;
    event.preventDefault();
  });

  var linked = tokenFrom(location.hash);
  // The token leaves the address bar and the history at once.
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  // A link pasted into the address bar of the open page changes only the fragment: open it as well.
  window.addEventListener('hashchange', function () {
    var token = tokenFrom(location.hash);
    history.replaceState(null, '', location.pathname + location.search);
    if (token) openWith(token);
  });
  var token = linked || storedToken();
  if (!token) { show('enter'); return; }
  openWith(token);
})();
`;
