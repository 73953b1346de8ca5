// The simulated phone's script. Everything shown is set with textContent: message text is untrusted.
'use strict';
const simulator = document.body.dataset.simulator;
const $ = (id) => document.getElementById(id);
const status = $('status');
const TICKS = { accepted: '·', pending: '… waiting for the handset', sent: '✓', delivered: '✓✓', read: '✓✓ read', failed: '✗ not delivered', revoked: 'revoked', received: '' };

function show(problem) {
  status.textContent = problem || '';
}

async function call(path, body) {
  const response = await fetch(simulator + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(json.error || `simulator answered ${response.status}`);
  return json;
}

function render(messages) {
  const list = $('conversation');
  list.replaceChildren(
    ...messages.map((message) => {
      const item = document.createElement('li');
      item.className = `bubble ${message.direction}`;
      const text = document.createElement('div');
      text.textContent = message.text;
      item.append(text);
      if (message.direction === 'out' && message.options.length > 0) {
        const options = document.createElement('div');
        options.className = 'options';
        for (const option of message.options) {
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = option.title;
          button.addEventListener('click', () => tap(message.providerMessageId, option.id));
          options.append(button);
        }
        item.append(options);
      }
      const meta = document.createElement('div');
      meta.className = 'meta';
      const when = new Date(message.at).toLocaleTimeString();
      const ticks = document.createElement('span');
      ticks.className = `ticks ${message.state}`;
      ticks.textContent = message.direction === 'out' ? ` ${TICKS[message.state] ?? message.state}` : '';
      const answered = message.direction === 'in' ? ` · hub answered ${message.hubAnswers.join(', ') || '…'}` : '';
      meta.textContent = `${message.channel.toUpperCase()} via ${message.carrier} · ${when}${answered}`;
      meta.append(ticks);
      item.append(meta);
      return item;
    }),
  );
}

async function refresh() {
  if (!simulator) return show('The carrier simulator is not set up for this data dir. Run: clarion simulate --data <the hub\'s data dir>, then restart the hub.');
  try {
    const { messages } = await call(`/_sim/conversation?phone=${encodeURIComponent($('phone').value)}`);
    render(messages);
    show('');
  } catch {
    show(`The carrier simulator at ${simulator} is not answering. Start it with: clarion simulate`);
  }
}

async function tap(providerMessageId, optionId) {
  try {
    await call('/_sim/tap', { providerMessageId, optionId });
    await refresh();
  } catch (error) {
    show(error.message);
  }
}

$('compose').addEventListener('submit', async (event) => {
  event.preventDefault();
  const route = $('route').value;
  const send = { route, from: $('phone').value.trim(), to: $('line').value, text: $('text').value };
  if ($('name').value.trim() !== '') send.name = $('name').value.trim();
  try {
    const result = await call('/_sim/send', { send, copies: $('twice').checked ? 2 : 1 });
    if (result.statuses.some((code) => code >= 300)) show(`The hub answered ${result.statuses.join(', ')}`);
    $('text').value = '';
    await refresh();
  } catch (error) {
    show(error.message);
  }
});

$('phone').addEventListener('change', refresh);
setInterval(refresh, 1000);
void refresh();
