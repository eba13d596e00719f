/** reqHeadTimestamp: the start of an instrument's (or a futures contract's) first bar. */
import { localDayOf, sessionOn, sessionWindow } from '../market/sessions';
import { isTradeData, parseWhatToShow } from '../market/quote-sides';
import { formatHeadTimestamp } from '../protocol/bar-time-format';
import type { HeadTimestampRequest } from '../protocol/decoder';
import { headTimestampFields } from '../protocol/encoder';
import { IbErrorCode, IbErrorText } from '../protocol/error-messages';
import type { SimulatorContext } from './context';
import type { ResolvedContract } from './contract-resolver';
import { resolveContract } from './contract-resolver';
import type { ScriptedFaultAction } from './faults';
import type { SimRequestInfo } from './request-info';
import { responderFor, scheduleReply } from './responder';
import type { ClientSession } from './session';

/** Head timestamp: the first bar's start, for the instrument or a futures contract's listing. */
function headTimestampOf(
  ctx: SimulatorContext,
  contract: ResolvedContract,
  useRth: boolean,
): number | undefined {
  const head = ctx.bars.headTime(contract.instrument, useRth);
  if (head === undefined || !contract.future) return head;
  const { instrument, future } = contract;
  // A dated future has data from about five quarters before its expiry.
  for (let day = future.expiryDay - 400; day <= future.expiryDay; day += 1) {
    const session = sessionOn(instrument.sessionKind, day);
    if (session) return Math.max(head, sessionWindow(session, useRth)[0]);
  }
  return head;
}

/** Handles REQ_HEAD_TIMESTAMP (cancellable until answered). */
export function handleHeadTimestamp(
  ctx: SimulatorContext,
  session: ClientSession,
  request: HeadTimestampRequest,
  info: SimRequestInfo,
  action: ScriptedFaultAction | undefined,
): void {
  const { reqId } = request;
  const responder = responderFor(session, action);
  const extraDelayMs = action?.type === 'delay' ? action.ms : 0;
  session.finishRequest(reqId);
  const open = session.startRequest(reqId, 'head-timestamp', false);
  if (action?.type === 'never-answer') return;
  scheduleReply(ctx, session, info, { extraDelayMs, open, holdWhileDisconnected: true }, () => {
    session.finishRequest(reqId);
    const now = ctx.nowSeconds();
    const resolution = resolveContract(ctx.universe, request.contract, Math.floor(now / 86400), 'data');
    if (!resolution.ok) {
      responder.sendError(reqId, resolution.code, resolution.message);
      return;
    }
    const contract = resolution.contracts[0] as ResolvedContract;
    const whatToShow = parseWhatToShow(request.whatToShow);
    if (!whatToShow) {
      responder.sendError(
        reqId,
        IbErrorCode.INVALID_REQUEST,
        IbErrorText.invalidWhatToShow(request.whatToShow),
      );
      return;
    }
    const { instrument } = contract;
    const head = headTimestampOf(ctx, contract, request.useRth);
    const noTrades = instrument.secType === 'CASH' && isTradeData(whatToShow);
    if (
      head === undefined ||
      noTrades ||
      localDayOf(instrument.sessionKind, head) > localDayOf(instrument.sessionKind, now)
    ) {
      const exchange = (request.contract.exchange || instrument.exchange).toUpperCase();
      responder.sendError(
        reqId,
        IbErrorCode.HISTORICAL_DATA_ERROR,
        IbErrorText.noData(instrument.ibSymbol, exchange, whatToShow),
      );
      return;
    }
    responder.send(headTimestampFields(reqId, formatHeadTimestamp(head, request.formatDate)));
  });
}
