// Every semantic check, in one list, run on one indexed resource.
import type { Problem } from '../base/problems';
import type { IstioMetadata } from '../schema/istioMetadata';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';
import { checkAnnotations, checkInjectionLabels } from './annotationChecks';
import { runChecks, type Check } from './context';
import {
  checkConflictingMeshHosts,
  checkDestinationRule,
  checkHostsInGateways,
  checkIngressSubsets,
  checkServiceEntryProtocols,
  checkMultipleSidecars,
  checkMultipleTelemetries,
  checkPortNames,
} from './namespaceChecks';
import { checkRouteOrder } from './routeOrder';
import { checkParentRefs } from './gatewayApiParents';
import { checkGatewayAddresses, checkGatewayClass, checkGatewayHostPorts, checkListenerConflicts, checkListenerSetAccepted } from './gatewayApiGateways';
import { checkListenerProtocols, checkRouteFilters } from './gatewayApiIstioRules';
import { checkDuplicateRouteMatches, checkRouteMatchConflicts } from './gatewayApiRouteConflicts';
import { AMBIENT_CHECKS } from './ambientChecks';
import { checkIneffectivePolicy, checkInternalGateways, checkJwtClaimRoutes, checkServiceEntryAddresses, checkTelemetryProviders } from './meshChecks';
import { checkDestinationPorts, checkDuplicateDestinations, checkGateways, checkHosts, checkSubsets } from './references';
import { checkEnvoyFilterPatches } from './envoyFilterChecks';
import { checkConflictingGateways, checkDuplicateCertificates, checkMtlsConsistency, checkServerVerification } from './tlsChecks';
import { checkAuthorizationRules, checkDryRunAnnotation, checkEmptySelector, checkJwtRules, checkPolicyTargets, checkTelemetry, checkWasmPlugin } from './webhookSecurity';
import { checkApplicationUid, checkAuthorizationPolicySelector, checkDeploymentServices, checkSidecarSelector, checkTelemetrySelector } from './workloadChecks';
import {
  checkDestinationRuleWebhook,
  checkEnvoyFilterWebhook,
  checkGatewayWebhook,
  checkProxyConfigWebhook,
  checkServiceEntryWebhook,
  checkWebhookAnnotations,
  checkWorkloadEntryWebhook,
  checkWorkloadGroupWebhook,
} from './webhookNetworking';
import { checkSidecarWebhook } from './webhookSidecar';
import { checkBackendRefs } from './gatewayApiBackends';
import { checkReferenceGrantNamespaces, checkReferenceGrantsNeeded, checkUnusedReferenceGrant } from './gatewayApiGrants';
import { checkVirtualServiceWebhook } from './webhookVirtualService';
import { checkAuthorizationPolicy, checkConditionKeys, checkGatewayNames, checkHostSyntax, checkPorts, checkRegexes, checkRouteFieldConflicts, checkWeights } from './webhook';

/**
 * Checks that read only the resource itself (with its namespace and the host settings): their
 * results are cached with the document's own problems, so a keystroke elsewhere re-runs none.
 */
export const LOCAL_CHECKS: Check[] = [
  checkDuplicateDestinations,
  checkWeights,
  checkRegexes,
  checkHostSyntax,
  checkPorts,
  checkGatewayNames,
  checkConditionKeys,
  checkRouteFieldConflicts,
  checkAuthorizationPolicy,
  checkAuthorizationRules,
  checkPolicyTargets,
  checkEmptySelector,
  checkDryRunAnnotation,
  checkJwtRules,
  checkTelemetry,
  checkWasmPlugin,
  checkPortNames,
  checkRouteOrder,
  checkServerVerification,
  checkEnvoyFilterPatches,
  checkApplicationUid,
  checkAnnotations,
  checkInjectionLabels,
  checkServiceEntryAddresses,
  checkTelemetryProviders,
  checkInternalGateways,
  checkWebhookAnnotations,
  checkGatewayWebhook,
  checkVirtualServiceWebhook,
  checkDestinationRuleWebhook,
  checkServiceEntryWebhook,
  checkSidecarWebhook,
  checkWorkloadEntryWebhook,
  checkWorkloadGroupWebhook,
  checkProxyConfigWebhook,
  checkEnvoyFilterWebhook,
  checkDuplicateRouteMatches,
];

/** Checks that compare the resource with the rest of the workspace: re-run on every change. */
export const CROSS_FILE_CHECKS: Check[] = [
  checkBackendRefs,
  checkReferenceGrantsNeeded,
  checkUnusedReferenceGrant,
  checkReferenceGrantNamespaces,
  checkSubsets,
  checkGateways,
  checkHosts,
  checkDestinationPorts,
  checkConflictingMeshHosts,
  checkMultipleSidecars,
  checkMultipleTelemetries,
  checkHostsInGateways,
  checkDestinationRule,
  checkIngressSubsets,
  checkServiceEntryProtocols,
  checkMtlsConsistency,
  checkConflictingGateways,
  checkDuplicateCertificates,
  checkSidecarSelector,
  checkTelemetrySelector,
  checkAuthorizationPolicySelector,
  checkDeploymentServices,
  checkJwtClaimRoutes,
  checkIneffectivePolicy,
  checkParentRefs,
  checkGatewayClass,
  checkListenerConflicts,
  checkListenerSetAccepted,
  checkGatewayHostPorts,
  checkGatewayAddresses,
  checkRouteMatchConflicts,
  checkListenerProtocols,
  checkRouteFilters,
  ...AMBIENT_CHECKS,
];

export const CHECKS: Check[] = [...LOCAL_CHECKS, ...CROSS_FILE_CHECKS];

export function localProblems(index: WorkspaceIndex, entry: IndexedResource, metadata?: IstioMetadata): Problem[] {
  return runChecks(LOCAL_CHECKS, index, entry, metadata);
}

export function crossFileProblems(index: WorkspaceIndex, entry: IndexedResource): Problem[] {
  return runChecks(CROSS_FILE_CHECKS, index, entry);
}

export function semanticProblems(index: WorkspaceIndex, entry: IndexedResource, metadata?: IstioMetadata): Problem[] {
  return runChecks(CHECKS, index, entry, metadata);
}
