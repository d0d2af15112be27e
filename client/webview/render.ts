// Renders the traffic preview as HTML text. Pure functions of the view: every name from the
// document goes through `escape`, nothing is spliced into scripts, and interaction is declared
// with data-* attributes that the webview's one script handles.
import type { DestinationView, Range, RouteView, SimulateResult, TrafficView } from '../../shared/protocol';
import { MAX_WEIGHT } from './weight';

export function escape(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function rangeAttr(range: Range): string {
  return escape(JSON.stringify(range));
}

function labelsText(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function destination(route: RouteView, d: DestinationView, i: number): string {
  const unresolved = d.status === 'unresolved-subset' || d.status === 'unresolved-host';
  const name = `${d.host}${d.subset ? ` · ${d.subset}` : ''}${d.port !== undefined ? ` :${d.port}` : ''}`;
  const weightInput =
    route.destinations.length > 1
      ? `<label class="weight">weight <input type="number" min="0" max="${MAX_WEIGHT}" step="1" value="${escape(d.weight ?? 0)}" data-set-weight="${rangeAttr(d.range)}" aria-label="weight of ${escape(name)}"></label>`
      : '';
  const resolution = unresolved
    ? `<div class="note error" role="alert">✖ ${escape(d.note ?? 'unresolved')}</div>`
    : `<div class="note">${escape([d.note, d.labels && Object.keys(d.labels).length > 0 ? `labels ${labelsText(d.labels)}` : '', d.workloads.length > 0 ? `workloads ${d.workloads.join(', ')}` : ''].filter(Boolean).join(' · '))}</div>`;
  return `<li class="destination${unresolved ? ' unresolved' : ''}" data-index="${i}">
  <div class="dest-head"><a href="#" class="reveal" data-reveal="${rangeAttr(d.range)}">${escape(name)}</a>
    <span class="percent">${escape(d.percent)}%${d.weight !== undefined ? ` <span class="raw">(weight ${escape(d.weight)})</span>` : ''}</span>${weightInput}</div>
  <div class="bar" role="img" aria-label="${escape(d.percent)} percent"><div class="fill" data-percent="${Math.max(0, Math.min(100, d.percent))}"></div></div>
  ${resolution}
</li>`;
}

function route(r: RouteView, hit: boolean, why: string | undefined): string {
  const title = `${r.kind.toUpperCase()} route ${r.index + 1}${r.name ? ` · ${r.name}` : ''}`;
  const matches = r.matches.length === 0 ? '<li>any request</li>' : r.matches.map((m, i) => `<li>${i > 0 ? '<em>or</em> ' : ''}${escape(m)}</li>`).join('');
  return `<section class="route${hit ? ' hit' : ''}" data-route="${r.kind}-${r.index}">
  <h3><a href="#" class="reveal" data-reveal="${rangeAttr(r.range)}">${escape(title)}</a>${hit ? ' <span class="badge">takes the request</span>' : ''}</h3>
  ${why ? `<div class="why">${escape(why)}</div>` : ''}
  <ul class="matches">${matches}</ul>
  <ul class="destinations">${r.destinations.map((d, i) => destination(r, d, i)).join('') || '<li class="note">no destinations</li>'}</ul>
  ${r.details.length > 0 ? `<ul class="details">${r.details.map((d) => `<li>${escape(d)}</li>`).join('')}</ul>` : ''}
</section>`;
}

/** The header and routes of a view; `simulation` highlights the route that takes the request. */
export function renderView(view: TrafficView, simulation?: SimulateResult): string {
  const verdicts = new Map((simulation?.verdicts ?? []).map((v) => [v.index, v]));
  return `<header>
  <h2><a href="#" class="reveal" data-reveal="${rangeAttr(view.range)}">VirtualService ${escape(view.name)}</a> <span class="ns">${escape(view.namespace)}</span></h2>
  <div>hosts: ${view.hosts.map((h) => `<code>${escape(h)}</code>`).join(' ') || '<em>none</em>'}</div>
  <div>gateways: ${view.gateways.map((g) => `<code>${escape(g)}</code>`).join(' ')}</div>
</header>
${view.routes.map((r) => route(r, r.kind === 'http' && simulation?.route === r.index, r.kind === 'http' ? verdicts.get(r.index)?.why : undefined)).join('\n') || '<p>No routes.</p>'}`;
}

/** The simulator form; static, so re-rendering the view keeps what the user typed. */
export function renderSimulator(defaultAuthority: string): string {
  return `<form id="simulator" class="simulator" autocomplete="off">
  <h3>Where does this request land?</h3>
  <div class="row"><label>authority <input name="authority" value="${escape(defaultAuthority)}"></label>
  <label>method <select name="method">${['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'].map((m) => `<option>${m}</option>`).join('')}</select></label>
  <label>path <input name="path" value="/"></label></div>
  <div class="row"><label>port <input name="port" type="number" min="1" max="65535"></label>
  <label>gateway <input name="gateway" value="mesh"></label>
  <label>source labels <input name="sourceLabels" placeholder="app=frontend,version=v1"></label></div>
  <label class="block">headers (one <code>name: value</code> per line)<textarea name="headers" rows="2"></textarea></label>
  <button type="submit">Simulate</button> <span id="simulation-summary" role="status"></span>
</form>`;
}

/** Reads `name: value` lines and `k=v,k2=v2` lists typed into the simulator. */
export function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

export function parseLabels(text: string): Record<string, string> | undefined {
  const pairs = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split('='));
  return pairs.length === 0 ? undefined : Object.fromEntries(pairs.map(([k, ...v]) => [k.trim(), v.join('=').trim()]));
}
