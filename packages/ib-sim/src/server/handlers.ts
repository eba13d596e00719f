/**
 * Dispatches decoded client messages: applies scripted faults, then answers each request kind.
 * Unknown and malformed messages are ignored, as a gateway ignores what it cannot use.
 */
import type { ClientMessage, WireContract } from '../protocol/decoder';
import { currentTimeFields, managedAccountsFields, nextValidIdFields } from '../protocol/encoder';
import { symbolSamplesFields } from '../protocol/encoder-extra';
import { IB_SIM_ACCOUNT_ID } from '../identity';
import type { SimulatorContext } from './context';
import { handleContractDetails } from './contract-details-handler';
import { handleHeadTimestamp } from './head-timestamp-handler';
import { handleCancelHistoricalData, handleHistoricalData } from './historical-handler';
import type { SimRequestInfo, SimRequestKind } from './request-info';
import { produceHistoricalTicks } from './historical-ticks';
import { responderFor, scheduleReply } from './responder';
import { optionParameterAnswer } from './option-parameters';
import { matchingSymbols } from './symbol-search';
import { answerUnsupported } from './unsupported-requests';
import type { ClientSession } from './session';

const NO_CONTRACT: WireContract = {
  conId: 0,
  symbol: '',
  secType: '',
  lastTradeDateOrContractMonth: '',
  strike: 0,
  right: '',
  multiplier: '',
  exchange: '',
  primaryExch: '',
  currency: '',
  localSymbol: '',
  tradingClass: '',
  includeExpired: false,
};

type RequestMessage = Extract<ClientMessage, { kind: SimRequestKind }>;

function isRequest(message: ClientMessage): message is RequestMessage {
  return !['start-api', 'cancel-head-timestamp', 'set-log-level', 'unknown', 'malformed'].includes(
    message.kind,
  );
}

function describe(session: ClientSession, message: RequestMessage): SimRequestInfo {
  const contract = 'contract' in message ? message.contract : NO_CONTRACT;
  const historical = message.kind === 'historical-data' ? message : undefined;
  const ticks = message.kind === 'historical-ticks' ? message : undefined;
  return {
    kind: message.kind,
    reqId: 'reqId' in message ? message.reqId : -1,
    clientId: session.clientId ?? -1,
    connectionId: session.id,
    symbol: contract.symbol,
    secType: contract.secType,
    localSymbol: contract.localSymbol,
    currency: contract.currency,
    barSize: historical?.barSize ?? '',
    duration: historical?.duration ?? '',
    whatToShow:
      historical?.whatToShow ??
      ticks?.whatToShow ??
      (message.kind === 'head-timestamp' ? message.whatToShow : ''),
    endDateTime: historical?.endDateTime ?? ticks?.endDateTime ?? '',
  };
}

/** Answers one decoded message of a started API session. */
export function handleClientMessage(
  ctx: SimulatorContext,
  session: ClientSession,
  message: ClientMessage,
): void {
  if (message.kind === 'cancel-head-timestamp') {
    // IBApiNext sends this after every answered head timestamp: harmless, never answered.
    const open = session.open.get(message.reqId);
    if (open?.kind === 'head-timestamp') session.finishRequest(message.reqId);
    return;
  }
  if (message.kind === 'unknown') {
    answerUnknown(ctx, session, message.id, message.fields);
    return;
  }
  if (!isRequest(message)) return;
  ctx.stats.requests += 1;
  ctx.stats.requestsByKind[message.kind] += 1;
  const info = describe(session, message);
  const action = ctx.script.take(info);
  if (action?.type === 'drop-connection') {
    session.destroy();
    return;
  }
  if (action?.type === 'error') {
    scheduleReply(ctx, session, info, {}, () => session.sendError(info.reqId, action.code, action.message));
    return;
  }
  const extraDelayMs = action?.type === 'delay' ? action.ms : 0;
  const responder = responderFor(session, action);
  const reply = (send: () => void): void => {
    if (action?.type !== 'never-answer') scheduleReply(ctx, session, info, { extraDelayMs }, send);
  };
  switch (message.kind) {
    case 'historical-data':
      handleHistoricalData(ctx, session, message, info, action);
      return;
    case 'cancel-historical-data':
      handleCancelHistoricalData(session, message, action);
      return;
    case 'head-timestamp':
      handleHeadTimestamp(ctx, session, message, info, action);
      return;
    case 'contract-details':
      if (action?.type !== 'never-answer') handleContractDetails(ctx, session, message, info, action);
      return;
    case 'current-time':
      reply(() => responder.send(currentTimeFields(ctx.nowSeconds())));
      return;
    case 'req-ids':
      reply(() => responder.send(nextValidIdFields(session.nextOrderId)));
      return;
    case 'managed-accounts':
      reply(() => responder.send(managedAccountsFields([IB_SIM_ACCOUNT_ID])));
      return;
    case 'matching-symbols': {
      const samples = matchingSymbols(ctx.universe, message.pattern);
      reply(() => responder.send(symbolSamplesFields(message.reqId, samples, session.serverVersion)));
      return;
    }
    case 'sec-def-opt-params':
      reply(() => {
        for (const fields of optionParameterAnswer(ctx, message)) responder.send(fields);
      });
      return;
    case 'historical-ticks':
      reply(() => {
        const result = produceHistoricalTicks(ctx, message, ctx.nowSeconds());
        if (result.ok) responder.send(result.fields);
        else responder.sendError(message.reqId, result.code, result.message);
      });
      return;
  }
}

/** Answers a message the simulator does not implement: never silence (see unsupported-requests.ts). */
function answerUnknown(
  ctx: SimulatorContext,
  session: ClientSession,
  id: number,
  fields: readonly string[],
): void {
  const answer = answerUnsupported(id, fields);
  if (answer.type === 'silent') return;
  ctx.stats.requests += 1;
  ctx.stats.requestsByKind.unsupported += 1;
  if (answer.type === 'reply') session.send(answer.fields);
  else session.sendError(answer.reqId, answer.code, answer.message);
}
