// Every semantic check, in one list, run on one indexed resource.
import type { Problem } from '../problems';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';
import { runChecks, type Check } from './context';
import { checkConflictingMeshHosts, checkDestinationRule, checkHostsInGateways, checkIngressSubsets, checkServiceEntryProtocols, checkMultipleSidecars, checkMultipleTelemetries, checkPortNames, checkRouteOrder } from './namespaceChecks';
import { checkDestinationPorts, checkDuplicateDestinations, checkGateways, checkHosts, checkSubsets } from './references';
import { checkEnvoyFilterPatches } from './envoyFilterChecks';
import { checkConflictingGateways, checkDuplicateCertificates, checkMtlsConsistency, checkServerVerification } from './tlsChecks';
import { checkAuthorizationPolicy, checkConditionKeys, checkGatewayNames, checkHostSyntax, checkPorts, checkRegexes, checkRouteFieldConflicts, checkWeights } from './webhook';

export const CHECKS: Check[] = [
  checkSubsets,
  checkGateways,
  checkHosts,
  checkDestinationPorts,
  checkDuplicateDestinations,
  checkWeights,
  checkRegexes,
  checkHostSyntax,
  checkPorts,
  checkGatewayNames,
  checkConditionKeys,
  checkRouteFieldConflicts,
  checkAuthorizationPolicy,
  checkConflictingMeshHosts,
  checkMultipleSidecars,
  checkMultipleTelemetries,
  checkPortNames,
  checkRouteOrder,
  checkHostsInGateways,
  checkDestinationRule,
  checkIngressSubsets,
  checkServiceEntryProtocols,
  checkServerVerification,
  checkMtlsConsistency,
  checkConflictingGateways,
  checkDuplicateCertificates,
  checkEnvoyFilterPatches,
];

export function semanticProblems(index: WorkspaceIndex, entry: IndexedResource): Problem[] {
  return runChecks(CHECKS, index, entry);
}
