/** reqContractDetails: every matching contract, then CONTRACT_DATA_END; 200 when nothing matches. */
import type { ContractDetailsRequest } from '../protocol/decoder';
import { contractDataEndFields, contractDataFields } from '../protocol/encoder';
import type { SimulatorContext } from './context';
import { contractDetailsFor } from './contract-details';
import { resolveContract } from './contract-resolver';
import type { ScriptedFaultAction } from './faults';
import type { SimRequestInfo } from './request-info';
import { responderFor, scheduleReply } from './responder';
import type { ClientSession } from './session';

/** Handles REQ_CONTRACT_DATA. */
export function handleContractDetails(
  ctx: SimulatorContext,
  session: ClientSession,
  request: ContractDetailsRequest,
  info: SimRequestInfo,
  action: ScriptedFaultAction | undefined,
): void {
  const responder = responderFor(session, action);
  const extraDelayMs = action?.type === 'delay' ? action.ms : 0;
  const now = ctx.nowSeconds();
  scheduleReply(ctx, session, info, { extraDelayMs }, () => {
    const resolution = resolveContract(ctx.universe, request.contract, Math.floor(now / 86400), 'details');
    if (!resolution.ok) {
      responder.sendError(request.reqId, resolution.code, resolution.message);
      return;
    }
    for (const contract of resolution.contracts) {
      responder.send(
        contractDataFields(request.reqId, contractDetailsFor(contract, now), session.serverVersion),
      );
    }
    responder.send(contractDataEndFields(request.reqId));
  });
}
