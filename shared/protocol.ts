// Custom LSP messages shared by the client and the server. Each message is a typed value
// (method, params and result together); both sides send and handle messages only through these
// values, so neither can pick a result type of its own.

/** A request: its method and, as phantom types, its params and result. */
export interface RequestType<P, R> {
  readonly method: string;
  readonly _types?: (params: P) => R;
}
/** A notification: its method and, as a phantom type, its params. */
export interface NotificationType<P> {
  readonly method: string;
  readonly _params?: (params: P) => void;
}
const requestType = <P, R>(method: string): RequestType<P, R> => ({ method });
const notificationType = <P>(method: string): NotificationType<P> => ({ method });

export const ISTIO_VERSIONS = ['1.29', '1.30', '1.31'] as const;
export type IstioVersion = (typeof ISTIO_VERSIONS)[number];
export const DEFAULT_ISTIO_VERSION: IstioVersion = '1.30';

/** Settings under `istio.*`, as the server reads them through workspace/configuration. */
export interface IstioSettings {
  version: IstioVersion;
  validate: { enable: boolean };
  /** Globs (workspace-relative) of files the workspace index leaves out. */
  exclude: string[];
  clusterDomain: string;
  /** Namespace of resources that do not name one. */
  defaultNamespace: string;
  /** `workspace`: every workspace file is checked in the background; `openFiles`: only the editors' documents. */
  diagnostics: { scope: DiagnosticsScope };
}

export const DIAGNOSTICS_SCOPES = ['workspace', 'openFiles'] as const;
export type DiagnosticsScope = (typeof DIAGNOSTICS_SCOPES)[number];

/** The background check of the workspace's files, and the problems published so far (open and closed files). */
export interface WorkspaceStatusParams {
  /** `checking`: a pass is under way; `done`: every file is checked; `off`: only open files are checked (scope or validation). */
  state: 'checking' | 'done' | 'off';
  /** Files checked in the current pass, and how many it has. */
  checked: number;
  total: number;
  /** Diagnostics published now, over every file, and how many files have any. */
  problems: number;
  errors: number;
  files: number;
}

export interface DocumentStatusParams {
  uri: string;
  /** The Istio version whose schemas analysed the document. */
  istioVersion: IstioVersion;
  /** How many YAML documents of the file are Istio resources. */
  resourceCount: number;
}

/** A question a refactoring asks before it runs (the client shows it as a quick input). */
export interface RefactorQuestion {
  name: string;
  prompt: string;
  default: string;
  kind: 'name' | 'percent' | 'duration' | 'header' | 'text' | 'url' | 'status' | 'ports';
}

/**
 * Arguments of the refactor command (CommandId.refactor), which a refactoring code action carries
 * when it has questions: the client asks them, then sends RefactorRequest and applies the edit.
 */
export interface RefactorCommandArgs {
  uri: string;
  position: { line: number; character: number };
  id: string;
  title: string;
  questions: RefactorQuestion[];
}

export interface RefactorParams {
  uri: string;
  position: { line: number; character: number };
  id: string;
  answers: Record<string, string>;
}
/** Either the edit (an LSP WorkspaceEdit) or why it cannot be made. */
export type RefactorResult =
  { edit: { changes?: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } } | { error: string };

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

/** A diagnostic of the checker, as the traffic preview marks it on a node or an edge. */
export interface ProblemMark {
  code: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
}

/** A VirtualService destination (or mirror) as the traffic preview shows it. */
export interface DestinationView {
  host: string;
  subset?: string;
  port?: number;
  /** The weight as written (undefined: not written); a Gateway API backendRef's is 1 when not written, as the spec defaults it. */
  weight?: number;
  /** Share of the route's traffic in percent, normalized to 100. */
  percent: number;
  range: Range;
  status: 'ok' | 'unresolved-subset' | 'unresolved-host' | 'outside-workspace';
  note?: string;
  /** The subset's DestinationRule labels (or the Service selector without a subset). */
  labels?: Record<string, string>;
  /** Workloads of the workspace that carry those labels. */
  workloads: string[];
  /** The checker's diagnostics written in this destination (host, subset, port, weight). */
  problems: ProblemMark[];
  /** The checker's diagnostics on the subset's definition in its DestinationRule (no workloads, no labels). */
  subsetProblems: ProblemMark[];
}

export interface RouteView {
  /** A VirtualService's http, tcp or tls route, or a rule of an HTTPRoute or GRPCRoute. */
  kind: 'http' | 'tcp' | 'tls' | 'rule';
  index: number;
  name?: string;
  range: Range;
  /** One line per match block (alternatives); empty: every request. */
  matches: string[];
  destinations: DestinationView[];
  /** Mirror, fault, retries, timeout, rewrite, redirect... in words. */
  details: string[];
  /** Where the route mirrors traffic to (`mirror`, `mirrors`); `percent` is the mirrored share. */
  mirrors: DestinationView[];
  /** The checker's diagnostics in the route outside its destinations (timeout, mirror, unreachable route). */
  problems: ProblemMark[];
}

/** The resources the traffic preview shows. */
export type TrafficKind = 'VirtualService' | 'HTTPRoute' | 'GRPCRoute';

/** A parent of an HTTPRoute or GRPCRoute (a Gateway with the listeners it binds, or the mesh Service), as the preview shows it. */
export interface ParentView {
  /** The key among the view's `gateways` (and `gatewayProblems`). */
  name: string;
  /** What the simulator's gateway field takes to send a request through this parent (`mesh` for a Service). */
  gateway: string;
  /** The listeners bound, or what the parent is, one line each. */
  lines: string[];
  /** A host the simulator can send to through this parent (the mesh Service's `name.namespace`). */
  authority?: string;
}

export interface TrafficView {
  /** Absent in a view saved before HTTPRoutes were previewed: a VirtualService. */
  kind?: TrafficKind;
  uri: string;
  name: string;
  namespace: string;
  range: Range;
  hosts: string[];
  gateways: string[];
  /** An HTTPRoute's or GRPCRoute's parents, in the order of `gateways`. */
  parents?: ParentView[];
  routes: RouteView[];
  /** The checker's diagnostics on each gateway reference, by the name as written. */
  gatewayProblems: Record<string, ProblemMark[]>;
  /** The checker's other diagnostics in the VirtualService (hosts, metadata...). */
  problems: ProblemMark[];
}

export interface TrafficModelParams {
  uri: string;
  position: Position;
}
/** `view` is absent when no VirtualService is there; `problems` lists the document's syntax errors. */
export interface TrafficModelResult {
  view?: TrafficView;
  problems: string[];
}

/** An HTTP request for the simulator. */
export interface SimulatedRequest {
  authority: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  scheme?: string;
  port?: number;
  gateway?: string;
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
}

export interface SimulateParams {
  uri: string;
  position: Position;
  request: SimulatedRequest;
}
export interface SimulateResult {
  route?: number;
  summary: string;
  verdicts: { index: number; matched: boolean; why: string }[];
}

export interface SetWeightParams {
  uri: string;
  /** A position inside the destination (its range start). */
  position: Position;
  weight: number;
}

/** What the traffic preview webview keeps (`setState`); after a window reload its serializer reads it to show the same VirtualService. */
export interface PreviewState {
  view?: TrafficView;
}

/** Extension → traffic preview webview. */
export type ToPreview =
  | { type: 'view'; view: TrafficView }
  /** The document under the cursor has syntax errors: keep the last good view and say so. */
  | { type: 'problems'; problems: string[] }
  /** The cursor is not on a VirtualService: the last one stays, marked as such. */
  | { type: 'idle'; message: string }
  | { type: 'simulation'; result: SimulateResult }
  | { type: 'error'; message: string };

/** Traffic preview webview → extension. */
export type FromPreview = { type: 'ready' } | { type: 'reveal'; range: Range } | { type: 'simulate'; request: SimulatedRequest } | { type: 'setWeight'; position: Position; weight: number };

/** Server → client, after each analysis of a document: feeds the language status item. */
export const DocumentStatusNotification = notificationType<DocumentStatusParams>('istio/documentStatus');
/** Server → client, while the workspace is checked and when its problems change: feeds the workspace status item. */
export const WorkspaceStatusNotification = notificationType<WorkspaceStatusParams>('istio/workspaceStatus');
/** Client → server: the edit of a refactoring with the user's answers (defaults for the rest). */
export const RefactorRequest = requestType<RefactorParams, RefactorResult>('istio/refactor');
/** Client → server: the traffic model of the VirtualService at a position. */
export const TrafficModelRequest = requestType<TrafficModelParams, TrafficModelResult>('istio/trafficModel');
/** Client → server: which HTTP route of the VirtualService at `position` takes `request`. */
export const SimulateRequest = requestType<SimulateParams, SimulateResult>('istio/simulate');
/** Client → server: the edit that sets one destination's weight, the others adjusted to total 100. */
export const SetWeightRequest = requestType<SetWeightParams, RefactorResult>('istio/setWeight');
