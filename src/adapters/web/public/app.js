// The web chat's page: the form (drop or pick the images, which go to the bot at once, then the job's
// settings), the job cards and "My jobs", kept up to date by the bot's event stream (EventSource). Every
// sentence comes worded from the bot; this script only places it. Plain DOM, no framework, no build step.
/* global document, window, fetch, EventSource, URL, URLSearchParams */
'use strict';

const postToken = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
const words = JSON.parse(document.getElementById('words').textContent);
/** The held images' ids by role, as the bot answered each upload. */
const held = { content: '', style: '' };
const announcer = document.getElementById('announcer');

function announce(text) {
  // Emptied first, so that the same sentence twice is announced twice.
  announcer.textContent = '';
  window.setTimeout(() => (announcer.textContent = text), 50);
}

/** A post of this page: the browser's token in a header, the answer as JSON ({ error } when refused). */
async function post(path, body, headers = {}) {
  try {
    const response = await fetch(path, { method: 'POST', body, headers: { 'x-csrf-token': postToken, ...headers }, credentials: 'same-origin' });
    const answer = await response.json().catch(() => ({}));
    return response.ok ? answer : { error: answer.error || words['web-page-out-of-date'] };
  } catch {
    return { error: words['web-connection-lost'] };
  }
}

function setNote(element, text, isError) {
  element.textContent = text || '';
  element.classList.toggle('error', Boolean(isError));
}

// ---- The images: picked or dropped, sent to the bot at once, checked there.

async function sendImage(role, file) {
  const note = document.getElementById(`${role}-note`);
  const thumb = document.getElementById(`${role}-thumb`);
  const input = document.getElementById(`${role}-file`);
  held[role] = '';
  setNote(note, words['web-sending'], false);
  if (thumb.src.startsWith('blob:')) URL.revokeObjectURL(thumb.src);
  thumb.hidden = true;
  const answer = await post(`/uploads/${role}`, file, { 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) });
  if (answer.error) {
    setNote(note, answer.error, true);
    input.setAttribute('aria-invalid', 'true');
    return;
  }
  input.removeAttribute('aria-invalid');
  held[role] = answer.id;
  setNote(note, answer.note, false);
  thumb.src = URL.createObjectURL(file);
  thumb.hidden = false;
  // A style image of one's own replaces a painting of the library.
  if (role === 'style') document.querySelector('input[name="library"][value=""]').checked = true;
}

for (const zone of document.querySelectorAll('.drop')) {
  const role = zone.dataset.role;
  const input = document.getElementById(`${role}-file`);
  input.addEventListener('change', () => {
    if (input.files && input.files[0]) sendImage(role, input.files[0]);
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) sendImage(role, file);
  });
}

// A painting of the library replaces a style image of one's own.
for (const radio of document.querySelectorAll('input[name="library"]')) {
  radio.addEventListener('change', () => {
    if (radio.value === '' || !radio.checked) return;
    held.style = '';
    document.getElementById('style-file').value = '';
    document.getElementById('style-thumb').hidden = true;
    setNote(document.getElementById('style-note'), '', false);
  });
}

// ---- The job: its settings, sent as a plain form.

const form = document.getElementById('new-job');
const formNote = document.getElementById('form-note');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  setNote(formNote, words['web-sending'], false);
  const fields = new URLSearchParams({
    photo: held.content,
    style: held.style,
    library: (form.querySelector('input[name="library"]:checked') || { value: '' }).value,
    preset: form.elements.preset.value,
    size: form.elements.size.value,
    // The painting time: absent when no time fits the job time limit.
    minutes: form.elements.minutes ? form.elements.minutes.value : '',
  });
  const answer = await post('/jobs', fields);
  button.disabled = false;
  setNote(formNote, answer.error || '', Boolean(answer.error));
});

// ---- The job cards and "My jobs", from the event stream.

const cards = document.getElementById('cards');
const lastTone = new Map();

function element(tag, attributes = {}, text) {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
  if (text !== undefined) made.textContent = text;
  return made;
}

/** Runs a card's button; what it answers (a refusal, the details, a note) shows in the card. */
async function press(card, jobId, button) {
  const note = card.querySelector('.card-note');
  const answer = await post(`/jobs/${jobId}/${button.action}`, new URLSearchParams({ value: button.value }));
  const details = card.querySelector('.details');
  if (answer.error) return setNote(note, answer.error, true);
  if (answer.lines) {
    details.replaceChildren(element('p', {}, answer.heading), ...[element('ul')].map((list) => {
      for (const line of answer.lines) list.append(element('li', {}, line));
      return list;
    }));
    details.hidden = false;
    return setNote(note, '', false);
  }
  setNote(note, answer.note || '', false);
}

function buttonsOf(card, data) {
  const row = element('div', { class: 'buttons' });
  for (const button of data.buttons) {
    const made = element('button', { type: 'button', 'data-action': button.action, 'data-value': button.value }, button.label);
    made.addEventListener('click', () => press(card, data.id, button));
    row.append(made);
  }
  return row;
}

function newCard(data) {
  const card = element('article', { class: 'card', id: `job-${data.id}`, 'aria-labelledby': `job-${data.id}-heading` });
  card.append(
    element('h3', { id: `job-${data.id}-heading` }),
    element('p', { class: 'status' }),
    element('progress', { max: '1', value: '0', 'aria-labelledby': `job-${data.id}-heading`, hidden: '' }),
    element('figure', { class: 'picture', hidden: '' }),
    element('div', { class: 'buttons' }),
    element('div', { class: 'details', hidden: '' }),
    element('p', { class: 'card-note', role: 'status' }),
  );
  cards.prepend(card);
  return card;
}

function showPicture(card, data) {
  const figure = card.querySelector('figure');
  const shown = data.result || data.preview;
  if (!shown) return void (figure.hidden = true);
  const img = figure.querySelector('img') || figure.appendChild(element('img'));
  if (img.getAttribute('src') !== shown.url) img.setAttribute('src', shown.url);
  img.setAttribute('alt', shown.alt);
  let link = figure.querySelector('a');
  if (data.result && !link) link = figure.appendChild(element('a', { href: data.result.url, download: `${data.result.title}.png` }, words['web-download']));
  if (!data.result && link) link.remove();
  figure.hidden = false;
}

function showCard(data) {
  const card = document.getElementById(`job-${data.id}`) || newCard(data);
  card.dataset.tone = data.tone;
  card.querySelector('h3').textContent = data.heading;
  card.querySelector('.status').textContent = data.status;
  const bar = card.querySelector('progress');
  bar.hidden = data.fraction === undefined;
  if (data.fraction !== undefined) bar.value = data.fraction;
  showPicture(card, data);
  // Rebuilt only when they change, so that a keyboard user's focus stays on a button while progress moves.
  const buttons = JSON.stringify(data.buttons);
  if (card.dataset.buttons !== buttons) {
    card.dataset.buttons = buttons;
    card.querySelector('.buttons').replaceWith(buttonsOf(card, data));
  }
  // Progress ticks stay quiet; a new place in line, a start, the end are announced.
  const news = `${data.tone}:${data.position === undefined ? '' : data.position}`;
  if (lastTone.get(data.id) !== news) {
    lastTone.set(data.id, news);
    announce(`${data.heading}: ${data.status}`);
  }
  document.getElementById('pictures-none').hidden = true;
}

function showJobs(jobs) {
  const list = document.getElementById('my-jobs');
  list.replaceChildren(
    ...jobs.map((job) => {
      const item = element('li', {}, `${job.text} `);
      const cancel = element('button', { type: 'button', 'data-action': 'cancel' }, words['button-cancel']);
      cancel.setAttribute('aria-label', `${words['button-cancel']}: ${job.text}`);
      cancel.addEventListener('click', async () => {
        const answer = await post(`/jobs/${job.id}/cancel`, new URLSearchParams());
        if (answer.error) announce(answer.error);
      });
      item.append(cancel);
      return item;
    }),
  );
  document.getElementById('jobs-none').hidden = jobs.length > 0;
}

const connection = document.getElementById('connection');
const stream = new EventSource('/events');
stream.addEventListener('open', () => setNote(connection, '', false));
stream.addEventListener('error', () => setNote(connection, words['web-connection-lost'], true));
stream.addEventListener('job', (event) => showCard(JSON.parse(event.data)));
stream.addEventListener('jobs', (event) => showJobs(JSON.parse(event.data)));
stream.addEventListener('removed', (event) => {
  const { id } = JSON.parse(event.data);
  const card = document.getElementById(`job-${id}`);
  if (card) card.remove();
  document.getElementById('pictures-none').hidden = cards.children.length > 0;
});
