// The traffic preview's only script: renders what the extension posts and turns clicks, weight
// changes and the simulator form into messages. No data is ever evaluated as code or parsed as
// markup: the page is built from element trees (dom.ts) with DOM calls.
import type { FromPreview, PreviewState, SimulateResult, ToPreview, TrafficView } from '../../shared/protocol';
import { safeAttribute, type Child, type El } from './dom';
import type { Measure } from './layout';
import { parseHeaders, parseLabels, renderSimulator, renderView, simulatorDefaults } from './render';
import { checkWeightField } from './weight';

declare function acquireVsCodeApi(): { postMessage(message: FromPreview): void; setState(state: PreviewState): void; getState(): PreviewState | undefined };

const vscode = acquireVsCodeApi();
const banner = document.getElementById('banner')!;
const content = document.getElementById('content')!;
const simulatorHost = document.getElementById('simulator-host')!;
// After a window reload (or when the panel was hidden) the last view shows until the server answers.
let view: TrafficView | undefined = vscode.getState()?.view;
let simulation: SimulateResult | undefined;

/** Text widths in the page's own font, as SVG text draws it. */
const measure: Measure = (() => {
  const context = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(document.body);
  const font = (bold: boolean) => `${bold ? '600 ' : ''}12px ${style.fontFamily || 'sans-serif'}`;
  return (text: string, bold: boolean) => {
    if (!context) return text.length * 7.5;
    context.font = font(bold);
    // A little more than measured: SVG text and canvas may round differently.
    return context.measureText(text).width * 1.04;
  };
})();

/** DOM nodes of a tree: elements by createElementNS, attributes by setAttribute, text as text nodes. */
function materialize(node: Child): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const element = document.createElementNS(node.ns, node.tag);
  for (const [name, value] of Object.entries(node.attrs)) if (safeAttribute(name)) element.setAttribute(name, value);
  for (const child of node.children) element.appendChild(materialize(child));
  return element;
}

function show(host: HTMLElement, tree: El): void {
  host.replaceChildren(materialize(tree));
}

function render(): void {
  if (!view) {
    content.textContent = 'Put the cursor in a VirtualService, HTTPRoute or GRPCRoute to preview its traffic.';
    return;
  }
  show(content, renderView(view, measure, simulation));
  // The picture fits the panel, but never below 3/4 of its size (text stays readable); beyond that it scrolls.
  const picture = content.querySelector<SVGSVGElement>('svg.traffic');
  if (picture) picture.style.minWidth = `${Math.round(Number(picture.getAttribute('width')) * 0.75)}px`;
  if (!simulatorHost.firstChild) {
    const defaults = simulatorDefaults(view);
    show(simulatorHost, renderSimulator(defaults.authority, defaults.gateway));
  }
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
      if (view?.uri !== message.view.uri || view?.name !== message.view.name) {
        // Another resource: a fresh simulator, with its first host as the authority.
        simulation = undefined;
        simulatorHost.replaceChildren();
      }
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

function reveal(target: EventTarget | null): boolean {
  if (!(target instanceof Element) || target.closest('input, label.weight')) return false;
  const link = target.closest('[data-reveal]');
  const range = link?.getAttribute('data-reveal');
  if (!range) return false;
  vscode.postMessage({ type: 'reveal', range: JSON.parse(range) });
  return true;
}

document.addEventListener('click', (event) => {
  if (reveal(event.target)) event.preventDefault();
});

document.addEventListener('keydown', (event) => {
  if ((event.key === 'Enter' || event.key === ' ') && reveal(event.target)) event.preventDefault();
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
