/**
 * reqHistoricalData and cancelHistoricalData: validation, pacing, latency, the reply, live updates
 * for keepUpToDate, and cancellation (162 "query cancelled" for an open request, 366 otherwise).
 */
import type { CancelHistoricalDataRequest, HistoricalDataRequest } from '../protocol/decoder';
import { historicalDataUpdateFields } from '../protocol/encoder';
import { IbErrorCode, IbErrorText } from '../protocol/error-messages';
import type { SimulatorContext } from './context';
import type { ScriptedFaultAction } from './faults';
import type { HistoricalPlan } from './historical-data';
import { currentBar, planHistoricalRequest, produceHistoricalReply } from './historical-data';
import { PACING_LIMITS } from './pacing';
import type { SimRequestInfo } from './request-info';
import { responderFor, scheduleReply } from './responder';
import type { ClientSession, OpenRequest } from './session';

function startLiveUpdates(
  ctx: SimulatorContext,
  session: ClientSession,
  open: OpenRequest,
  plan: HistoricalPlan,
): void {
  open.stream = setInterval(() => {
    // While connectivity is down nothing flows; after "data lost" the subscription is gone.
    if (session.closed || ctx.connectivityDown) return;
    const update = currentBar(ctx, plan, ctx.nowSeconds());
    if (!update) return;
    ctx.stats.barsServed += 1;
    session.send(historicalDataUpdateFields(plan.request.reqId, update.bar, update.date));
  }, ctx.options.keepUpToDateIntervalMs);
}

/** The soft slowdown of a request of larger bars in practical mode (0 for small bars, or none). */
function softDelay(ctx: SimulatorContext, plan: HistoricalPlan): number {
  if (ctx.softPacing === undefined || plan.barSize.seconds <= PACING_LIMITS.smallBarMaxSeconds) return 0;
  const delay = ctx.softPacing.admit(plan.duration.nominalSeconds / plan.barSize.seconds);
  ctx.stats.softPacedRequests += 1;
  ctx.stats.softDelayMs += delay;
  return delay;
}

/** Handles REQ_HISTORICAL_DATA. `action` is the scripted fault for this request, if any. */
export function handleHistoricalData(
  ctx: SimulatorContext,
  session: ClientSession,
  request: HistoricalDataRequest,
  info: SimRequestInfo,
  action: ScriptedFaultAction | undefined,
): void {
  const { reqId } = request;
  // A reused id replaces the old request, as the client can no longer tell their replies apart.
  session.finishRequest(reqId);
  const responder = responderFor(session, action);
  const extraDelayMs = action?.type === 'delay' ? action.ms : 0;
  const planned = planHistoricalRequest(ctx, request, ctx.nowSeconds());
  if (!planned.ok) {
    if (planned.durationViolation) ctx.stats.durationViolations += 1;
    if (planned.breach === 'practical-cap' && ctx.options.durationOverrun === 'timeout') {
      // Over the practical cap, gateways go silent: open, never answered, until cancelled.
      ctx.stats.durationTimeouts += 1;
      session.startRequest(reqId, 'historical-data', false);
      return;
    }
    scheduleReply(ctx, session, info, { extraDelayMs }, () =>
      responder.sendError(reqId, planned.code, planned.message),
    );
    return;
  }
  const { plan } = planned;
  if (plan.missingTimeZone) {
    session.sendError(reqId, IbErrorCode.NO_EXPLICIT_TIME_ZONE, IbErrorText.noExplicitTimeZone);
  }
  const violation = ctx.pacing.admit(plan.pacing);
  if (violation) {
    ctx.stats.pacingViolations += 1;
    ctx.stats.violationsByRule[violation] += 1;
    scheduleReply(ctx, session, info, { extraDelayMs }, () =>
      responder.sendError(reqId, IbErrorCode.HISTORICAL_DATA_ERROR, IbErrorText.pacingViolation),
    );
    return;
  }
  const open = session.startRequest(reqId, 'historical-data', ctx.options.pacing !== 'off');
  if (action?.type === 'never-answer') return;
  const softDelayMs = softDelay(ctx, plan);
  scheduleReply(
    ctx,
    session,
    info,
    { extraDelayMs: extraDelayMs + softDelayMs, open, holdWhileDisconnected: true },
    () => {
      const result = produceHistoricalReply(ctx, plan, ctx.nowSeconds());
      if (!result.ok) {
        if (result.durationViolation) ctx.stats.durationViolations += 1;
        session.finishRequest(reqId);
        responder.sendError(reqId, result.code, result.message);
        return;
      }
      ctx.stats.historicalResponses += 1;
      ctx.stats.barsServed += result.barCount;
      responder.sendFrame(result.frame);
      if (request.keepUpToDate && !session.closed) startLiveUpdates(ctx, session, open, plan);
      else session.finishRequest(reqId);
    },
  );
}

/** Handles CANCEL_HISTORICAL_DATA. */
export function handleCancelHistoricalData(
  session: ClientSession,
  request: CancelHistoricalDataRequest,
  action: ScriptedFaultAction | undefined,
): void {
  const responder = responderFor(session, action);
  const open = session.open.get(request.reqId);
  if (!open || open.kind !== 'historical-data') {
    responder.sendError(
      request.reqId,
      IbErrorCode.NO_HISTORICAL_QUERY,
      IbErrorText.noHistoricalQuery(request.reqId),
    );
    return;
  }
  session.finishRequest(request.reqId);
  responder.sendError(
    request.reqId,
    IbErrorCode.HISTORICAL_DATA_ERROR,
    IbErrorText.queryCancelled(request.reqId),
  );
}
