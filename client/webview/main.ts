// The traffic preview's only script: renders what the extension posts and turns clicks, weight
// changes and the simulator form into messages. No data is ever evaluated as code.
import type { FromPreview, SimulateResult, ToPreview, TrafficView } from '../../shared/protocol';
import { parseHeaders, parseLabels, renderSimulator, renderView } from './render';
import { checkWeightField } from './weight';

declare function acquireVsCodeApi(): { postMessage(message: FromPreview): void; setState(state: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();
const banner = document.getElementById('banner')!;
const content = document.getElementById('content')!;
const simulatorHost = document.getElementById('simulator-host')!;
let view: TrafficView | undefined = (vscode.getState() as { view?: TrafficView } | undefined)?.view;
let simulation: SimulateResult | undefined;

function render(): void {
  if (!view) {
    content.textContent = 'Put the cursor in a VirtualService to preview its traffic.';
    return;
  }
  content.innerHTML = renderView(view, simulation);
  for (const fill of content.querySelectorAll<HTMLElement>('.fill')) fill.style.width = `${fill.dataset.percent ?? 0}%`;
  if (!simulatorHost.firstChild) simulatorHost.innerHTML = renderSimulator(view.hosts[0] ?? '');
}

function say(text: string, kind: 'error' | 'info' | '' = ''): void {
  banner.textContent = text;
  banner.className = kind;
  banner.hidden = text === '';
}

window.addEventListener('message', (event: MessageEvent<ToPreview>) => {
  const message = event.data;
  switch (message.type) {
    case 'view':
      if (view?.uri !== message.view.uri || view?.name !== message.view.name) simulation = undefined;
      view = message.view;
      vscode.setState({ view });
      say('');
      render();
      break;
    case 'problems':
      say(`The document has errors; showing the last good state. ${message.problems[0] ?? ''}`, 'error');
      break;
    case 'idle':
      say(message.message, 'info');
      break;
    case 'simulation':
      simulation = message.result;
      document.getElementById('simulation-summary')!.textContent = message.result.summary;
      render();
      break;
    case 'error':
      say(message.message, 'error');
      break;
  }
});

document.addEventListener('click', (event) => {
  const link = (event.target as HTMLElement).closest<HTMLElement>('[data-reveal]');
  if (!link) return;
  event.preventDefault();
  vscode.postMessage({ type: 'reveal', range: JSON.parse(link.dataset.reveal!) });
});

function weightInput(event: Event): HTMLInputElement | undefined {
  const input = event.target;
  return input instanceof HTMLInputElement && input.dataset.setWeight ? input : undefined;
}

// While typing, only say whether the field holds a weight; a change sends it, and only then.
document.addEventListener('input', (event) => {
  const input = weightInput(event);
  if (input) checkWeightField(input);
});

document.addEventListener('change', (event) => {
  const input = weightInput(event);
  if (!input) return;
  const weight = checkWeightField(input);
  if (weight !== undefined) vscode.postMessage({ type: 'setWeight', position: JSON.parse(input.dataset.setWeight!).start, weight });
});

document.addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const port = Number(text('port'));
  vscode.postMessage({
    type: 'simulate',
    request: {
      authority: text('authority'),
      method: text('method') || 'GET',
      path: text('path') || '/',
      headers: parseHeaders(text('headers')),
      port: port > 0 ? port : undefined,
      gateway: text('gateway') || 'mesh',
      sourceLabels: parseLabels(text('sourceLabels')),
    },
  });
});

render();
vscode.postMessage({ type: 'ready' });
