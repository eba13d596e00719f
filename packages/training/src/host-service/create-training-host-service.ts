import { type ServiceImplementation, implementService } from '@ktrdr/core';
import type { TrainingSessions } from '../session/training-sessions';
import { type TrainingHostContract, trainingHostContract } from '../contract/training-host-contract';

/**
 * The training host service's routes over a {@link TrainingSessions} trainer: what
 * `@ktrdr/server` mounts on port 8002 and what the in-process transport calls.
 */
export function createTrainingHostService(
  sessions: TrainingSessions,
): ServiceImplementation<TrainingHostContract> {
  return implementService(trainingHostContract, {
    health() {
      return {
        healthy: true,
        service: trainingHostContract.name,
        timestamp: new Date().toISOString(),
        backend: sessions.backend,
        active_sessions: sessions.activeSessions,
        max_concurrent_sessions: sessions.maxConcurrentSessions,
      };
    },
    start(input) {
      const sessionId = sessions.start(input);
      return {
        success: true as const,
        session_id: sessionId,
        status: 'started' as const,
        message: `Training session ${sessionId} started`,
      };
    },
    stop({ session_id }) {
      const info = sessions.stop(session_id);
      return { success: true as const, session_id, status: info.status };
    },
    status({ session_id }) {
      return sessions.status(session_id);
    },
    follow({ session_id }, { signal, reportProgress }) {
      return sessions.follow(session_id, reportProgress, signal);
    },
    sessions() {
      return { sessions: sessions.list() };
    },
  });
}
