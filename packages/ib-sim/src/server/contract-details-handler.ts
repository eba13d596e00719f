/**
 * reqContractDetails: every matching contract, then CONTRACT_DATA_END; 200 when nothing matches.
 * Options, crypto and bonds come from `other-contracts.ts` (bonds as BOND_CONTRACT_DATA).
 */
import type { ContractDetailsRequest } from '../protocol/decoder';
import { contractDataEndFields, contractDataFields } from '../protocol/encoder';
import { bondContractDataFields } from '../protocol/encoder-extra';
import { IbErrorCode, IbErrorText } from '../protocol/error-messages';
import type { SimulatorContext } from './context';
import { contractDetailsFor } from './contract-details';
import { resolveContract } from './contract-resolver';
import { lookUpOtherContracts } from './other-contracts';
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
    const other = lookUpOtherContracts(
      ctx.universe,
      request.contract,
      { type: request.secIdType, value: request.secId },
      now,
      (instrument) => ctx.bars.latestClose(instrument, now),
    );
    if (other !== undefined) {
      if (other.kind === 'none') {
        responder.sendError(
          request.reqId,
          IbErrorCode.NO_SECURITY_DEFINITION,
          IbErrorText.noSecurityDefinition,
        );
        return;
      }
      if (other.kind === 'bond') {
        responder.send(bondContractDataFields(request.reqId, other.bond, session.serverVersion));
      } else {
        for (const details of other.details)
          responder.send(contractDataFields(request.reqId, details, session.serverVersion));
      }
      responder.send(contractDataEndFields(request.reqId));
      return;
    }
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
