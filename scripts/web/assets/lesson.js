// The lesson page's script: checks streamed as they run and re-run on every save, and hints one at a time.
// Without scripts, the hint form still works as a plain form.
const form = document.querySelector('#check-form');
const checkButton = document.querySelector('#check-button');
const stopButton = document.querySelector('#stop-button');
const solution = document.querySelector('#solution');
const statusLine = document.querySelector('#check-status');
const stageResult = document.querySelector('#stage-result');
const results = document.querySelector('#results');
const lessonStatus = document.querySelector('#lesson-status');
let source;

const say = (text) => {
  statusLine.textContent = text;
};

function placeholder(name, index) {
  const item = document.createElement('li');
  item.className = 'scenario running';
  item.dataset.index = String(index);
  item.innerHTML =
    '<h3><span aria-hidden="true">…</span> <span class="name"></span> <span class="verdict">running</span></h3>';
  item.querySelector('.name').textContent = name;
  return item;
}

// One failure at a time: the first failing scenario (in the lesson's order) open, the others one line each until
// the learner opens one. A card the learner opened or closed stays as they left it.
function openFirstFailure() {
  const failures = [...results.querySelectorAll('li.scenario.fail details.failure')];
  failures.forEach((details, place) => {
    if (details.dataset.touched) return;
    details.open = place === 0;
  });
}
results.addEventListener('click', (event) => {
  const summary = event.target.closest('summary');
  if (summary?.parentElement.classList.contains('failure')) summary.parentElement.dataset.touched = '1';
});

function showHintFor(scenario) {
  const line = document.querySelector('#hint-for');
  if (line)
    line.textContent = scenario
      ? `The next hint is for ${scenario}, the first scenario that failed at your last check.`
      : '';
}

function stop(message) {
  source?.close();
  source = undefined;
  stopButton.disabled = true;
  checkButton.textContent = 'Check my work';
  if (message) say(message);
}

function start() {
  stop();
  const url = `${form.getAttribute('action')}${solution.checked ? '?solution=1' : ''}`;
  const what = solution.checked ? 'the reference solution' : 'your files';
  source = new EventSource(url);
  stopButton.disabled = false;
  checkButton.textContent = 'Check again';
  say(`Checking ${what}…`);
  const on = (event, handle) => source.addEventListener(event, (message) => handle(JSON.parse(message.data)));
  on('start', ({ scenarios }) => {
    stageResult.replaceChildren();
    results.replaceChildren(...scenarios.map(placeholder));
    say(`Checking ${what}: ${scenarios.length} scenarios…`);
  });
  on('scenario', ({ index, html }) => {
    const item = results.querySelector(`[data-index="${index}"]`);
    const template = document.createElement('template');
    template.innerHTML = html.trim();
    item?.replaceWith(template.content);
    openFirstFailure();
  });
  on('stage', ({ passed, html, hint }) => {
    stageResult.innerHTML = html;
    openFirstFailure();
    if (hint) showHintFor(hint.for);
    if (!solution.checked) document.querySelector('#last-checked').textContent = 'just now';
    if (!solution.checked)
      lessonStatus.innerHTML = passed
        ? '<span class="badge passes"><span aria-hidden="true">✓</span> passes</span>'
        : '<span class="badge fails"><span aria-hidden="true">✗</span> fails</span>';
    say(`${passed ? 'The stage passes' : 'The stage fails'}. Watching: save a lesson file to check again.`);
  });
  on('saved', ({ file, interrupted }) =>
    say(`${file} changed${interrupted ? ': the check under way is stopped' : ''}; checking again…`),
  );
  on('problem', ({ message }) => {
    results.replaceChildren();
    stageResult.innerHTML = '';
    const problem = document.createElement('p');
    problem.className = 'stage fail';
    problem.textContent = message;
    stageResult.append(problem);
    say('The lesson cannot be checked until this is fixed. Watching for a save…');
  });
  source.onerror = () => {
    // The server stopped (Ctrl-C): no point retrying for ever.
    if (source && source.readyState !== EventSource.OPEN)
      stop('The workbook server is not answering: is npm run web still running?');
  };
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  start();
});
stopButton.addEventListener('click', () => stop('Stopped: nothing is being checked or watched.'));

const hintForm = document.querySelector('#hint-form');
hintForm?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = document.querySelector('#hint-button');
  const response = await fetch(hintForm.getAttribute('action'), {
    method: 'POST',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) return;
  const hint = await response.json();
  showHintFor(hint.next);
  const list = document.querySelector('#hint-list');
  if (list.children.length < hint.number) {
    const item = document.createElement('li');
    item.innerHTML = hint.html;
    item.tabIndex = -1;
    list.append(item);
    item.focus();
  }
  const more = hint.number < hint.total;
  button.textContent = more ? `Show hint ${hint.number + 1} of ${hint.total}` : `All ${hint.total} hints shown`;
  button.disabled = !more;
});
