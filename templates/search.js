// guidegen: search over a language's guides, with no network — the index is a script of its own
// (search-index.js, assigning window.guidegenSearch), so that it works from file:// too.
// Without this script the search forms stay hidden and the language's index lists every guide.
// A form on a guide page has no index: it sends the words to the language's index page (?q=…),
// which searches and lists the places found, each linked to its step.
'use strict';
(function () {
  const forms = document.querySelectorAll('form[data-search]');
  for (const form of forms) form.hidden = false;
  const data = window.guidegenSearch;
  const box = document.querySelector('[data-search-results]');
  if (!data || !box) return;
  const form = box.closest('[data-search-area]')?.querySelector('form[data-search]') || forms[0];
  const input = form && form.querySelector('input[name="q"]');
  if (!input) return;
  const status = box.querySelector('[role="status"]');
  const list = box.querySelector('ol');
  const most = 50;

  // The same words as the index holds (src/search.rs): lowercase, letters and digits, 2+ long.
  const words = (text) =>
    text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1);

  const postings = (i) => {
    let n = 0;
    return data.postings[i].map((gap) => (n += gap));
  };

  // How well an indexed word matches a typed one: the same (3), beginning with it (2), or — for a
  // typed word of 4+ letters — the indexed word it begins with ("koden" finds "kode": 1).
  const match = (word, typed) => {
    if (word === typed) return 3;
    if (word.startsWith(typed)) return 2;
    if (typed.length >= 4 && word.length >= 3 && typed.length - word.length <= 3 && typed.startsWith(word)) return 1;
    return 0;
  };

  // Each place that holds a word matching `typed`, with how well it matched.
  const placesOf = (typed) => {
    const found = new Map();
    data.words.forEach((word, i) => {
      const score = match(word, typed);
      if (!score) return;
      for (const p of postings(i)) found.set(p, Math.max(found.get(p) || 0, score));
    });
    return found;
  };

  // Whether a guide's title holds a word that begins with one typed: its places come first.
  const titleWords = data.guides.map(([, title]) => words(title));
  const inTitle = (g, typed) => typed.some((t) => titleWords[g].some((w) => match(w, t)));

  // The places that match every typed word, best first, then in the index's order.
  const search = (query) => {
    const typed = words(query);
    if (!typed.length) return null;
    let scores = null;
    for (const word of typed) {
      const found = placesOf(word);
      if (!scores) {
        scores = found;
        continue;
      }
      for (const [p, s] of scores) {
        if (found.has(p)) scores.set(p, s + found.get(p));
        else scores.delete(p);
      }
    }
    for (const [p, s] of scores) {
      const [g, anchor] = data.places[p];
      if (inTitle(g, typed)) scores.set(p, s + (anchor ? 2 : 4));
    }
    return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([p]) => p);
  };

  const say = (key, n, query) =>
    (box.getAttribute(key) || '').replace('{n}', String(n)).replace('{query}', query);

  const show = (query) => {
    const found = search(query);
    list.replaceChildren();
    if (!found) {
      status.textContent = '';
      return;
    }
    const key = found.length === 0 ? 'data-none' : found.length === 1 ? 'data-one' : 'data-many';
    status.textContent = say(key, found.length, query.trim());
    for (const p of found.slice(0, most)) {
      const [g, anchor, label, excerpt] = data.places[p];
      const [href, title] = data.guides[g];
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = href + anchor;
      const name = document.createElement('span');
      name.className = 'search-result-title';
      name.textContent = title;
      link.append(name);
      if (label) {
        const where = document.createElement('span');
        where.className = 'search-result-place';
        where.textContent = label;
        link.append(' ', where);
      }
      item.append(link);
      if (excerpt) {
        const text = document.createElement('p');
        text.className = 'search-result-excerpt';
        text.textContent = excerpt;
        item.append(text);
      }
      list.append(item);
    }
  };

  const remember = (query) => {
    try {
      const url = new URL(location.href);
      if (query) url.searchParams.set('q', query);
      else url.searchParams.delete('q');
      history.replaceState(null, '', url.href);
    } catch {
      // Some browsers refuse to change a file:// address; the search works all the same.
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show(input.value);
    remember(input.value);
    const first = list.querySelector('a');
    if (first) first.focus();
  });
  input.addEventListener('input', () => show(input.value));
  input.addEventListener('change', () => remember(input.value));

  // Arrow keys move between the field and the results; Escape clears the field.
  const links = () => [...list.querySelectorAll('a')];
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === 'Escape' && input.value) {
      input.value = '';
      show('');
      remember('');
    }
  });
  list.addEventListener('keydown', (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === 'ArrowDown' && at + 1 < all.length) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    }
  });

  const asked = new URLSearchParams(location.search).get('q');
  if (asked) {
    input.value = asked;
    show(asked);
  } else if (input.value) {
    show(input.value);
  }
})();
